// Parsers of the pool-selection annotations (§3.1): Pod `ipam.spidernet.io/ippool` and
// `ipam.spidernet.io/ippools`, the Namespace default-pool annotations. Decoding follows Go's encoding/json
// into Spiderpool's structs (`AnnoPodIPPoolValue`, `AnnoPodIPPoolsValue`, `AnnoNSDefautlV4PoolValue`); a value
// that Go would reject is a `BadAnnotation` error carrying the annotation key and the value.
import { err, ok, type Result } from 'neverthrow';
import type { Namespace } from '../api/index.ts';
import {
  ANNO_NS_DEFAULT_V4_POOL,
  ANNO_NS_DEFAULT_V6_POOL,
  ANNO_POD_IPPOOL,
  ANNO_POD_IPPOOLS,
} from '../api/index.ts';
import {
  arrayOrNull,
  boolField,
  type Decoded,
  field,
  objectOrNull,
  parseJson,
  stringField,
  stringList,
} from './annotationsJson.ts';
import { badAnnotation, type IpamError } from './errors.ts';

/** `ipam.spidernet.io/ippool`: the pools of the current NIC, per family (names or wildcards). */
export interface PodIPPoolAnnotation {
  ipv4: string[];
  ipv6: string[];
}

/** One item of `ipam.spidernet.io/ippools`. `interface` is "" when not given. */
export interface PodIPPoolsItem {
  interface: string;
  ipv4: string[];
  ipv6: string[];
  cleanGateway: boolean;
}

/** The Namespace annotations `ipam.spidernet.io/default-ipv4-ippool` / `default-ipv6-ippool`. */
export interface NamespaceDefaultPools {
  ipv4: string[];
  ipv6: string[];
}

const unwrap = <T>(annotation: string, value: string, d: Decoded<T>): Result<T, IpamError> =>
  d.ok ? ok(d.value) : err(badAnnotation(annotation, value, d.detail));

const decodePools = (obj: Record<string, unknown>): Decoded<PodIPPoolAnnotation> => {
  const ipv4 = stringList(field(obj, 'ipv4'), 'ipv4');
  if (!ipv4.ok) return ipv4;
  const ipv6 = stringList(field(obj, 'ipv6'), 'ipv6');
  if (!ipv6.ok) return ipv6;
  return { ok: true, value: { ipv4: ipv4.value, ipv6: ipv6.value } };
};

const decodePodIPPool = (value: string): Decoded<PodIPPoolAnnotation> => {
  const json = parseJson(value);
  if (!json.ok) return json;
  const obj = objectOrNull(json.value, 'value');
  if (!obj.ok) return obj;
  return obj.value === undefined ? { ok: true, value: { ipv4: [], ipv6: [] } } : decodePools(obj.value);
};

/** Parses `ipam.spidernet.io/ippool` (`{"ipv4":["p1","p2*"],"ipv6":["p6"]}`). */
export const parsePodIPPoolAnnotation = (value: string): Result<PodIPPoolAnnotation, IpamError> =>
  unwrap(ANNO_POD_IPPOOL, value, decodePodIPPool(value));

const decodeItem = (v: unknown, i: number): Decoded<PodIPPoolsItem> => {
  const obj = objectOrNull(v, `[${i}]`);
  if (!obj.ok) return obj;
  if (obj.value === undefined)
    return { ok: true, value: { interface: '', ipv4: [], ipv6: [], cleanGateway: false } };
  const nic = stringField(field(obj.value, 'interface'), `[${i}].interface`);
  if (!nic.ok) return nic;
  const pools = decodePools(obj.value);
  if (!pools.ok) return { ok: false, detail: `[${i}].${pools.detail}` };
  const clean = boolField(field(obj.value, 'cleangateway'), `[${i}].cleangateway`);
  if (!clean.ok) return clean;
  return { ok: true, value: { interface: nic.value, ...pools.value, cleanGateway: clean.value } };
};

const decodePodIPPools = (value: string): Decoded<PodIPPoolsItem[]> => {
  const json = parseJson(value);
  if (!json.ok) return json;
  const arr = arrayOrNull(json.value, 'value');
  if (!arr.ok) return arr;
  const out: PodIPPoolsItem[] = [];
  for (const [i, v] of arr.value.entries()) {
    const item = decodeItem(v, i);
    if (!item.ok) return item;
    out.push(item.value);
  }
  return { ok: true, value: out };
};

/** Parses `ipam.spidernet.io/ippools` as written (no NIC naming or checks; see `normalizePodIPPools`). */
export const parsePodIPPoolsAnnotation = (value: string): Result<PodIPPoolsItem[], IpamError> =>
  unwrap(ANNO_POD_IPPOOLS, value, decodePodIPPools(value));

const checkItems = (items: readonly PodIPPoolsItem[], currentNIC: string): Decoded<PodIPPoolsItem[]> => {
  if (items.length === 0) return { ok: false, detail: 'value requires at least one item' };
  const named = items[0]?.interface !== '';
  const seen = new Set<string>();
  const out: PodIPPoolsItem[] = [];
  for (const [i, item] of items.entries()) {
    if ((item.interface !== '') !== named) {
      return { ok: false, detail: 'NIC should be either all specified or all unspecified' };
    }
    const nic = named ? item.interface : String(i);
    if (seen.has(nic)) return { ok: false, detail: `duplicate interface ${nic}` };
    seen.add(nic);
    out.push({ ...item, interface: nic });
  }
  if (named && !seen.has(currentNIC))
    return { ok: false, detail: `interface ${currentNIC} must be specified` };
  return { ok: true, value: out };
};

/**
 * Spiderpool `validateAndMutateMultipleNICAnnotations`: at least one item; `interface` set on all items or on
 * none; no NIC twice; in named mode the current NIC must be listed. In no-name mode items are named by
 * index ("0", "1", ...). `value` is the raw annotation, for the error.
 */
export const normalizePodIPPools = (
  items: readonly PodIPPoolsItem[],
  currentNIC: string,
  value: string,
): Result<PodIPPoolsItem[], IpamError> => unwrap(ANNO_POD_IPPOOLS, value, checkItems(items, currentNIC));

/** Whether `ipam.spidernet.io/ippools` is in no-name mode (Spiderpool `IsMultipleNicWithNoName`). */
export const isMultipleNicWithNoName = (
  annotations: Readonly<Record<string, string>> | undefined,
): boolean => {
  const value = annotations?.[ANNO_POD_IPPOOLS];
  if (value === undefined) return false;
  const items = decodePodIPPools(value);
  return items.ok && items.value.some((i) => i.interface === '');
};

const nsList = (ns: Namespace, key: string): Result<string[], IpamError> => {
  const value = ns.metadata.annotations?.[key];
  if (value === undefined) return ok([]);
  const json = parseJson(value);
  if (!json.ok) return err(badAnnotation(key, value, json.detail));
  return unwrap(key, value, stringList(json.value, 'value'));
};

/** Parses the Namespace default-pool annotations (JSON string arrays); absent ones are empty. */
export const parseNamespaceDefaultPools = (ns: Namespace): Result<NamespaceDefaultPools, IpamError> =>
  nsList(ns, ANNO_NS_DEFAULT_V4_POOL).andThen((ipv4) =>
    nsList(ns, ANNO_NS_DEFAULT_V6_POOL).map((ipv6) => ({ ipv4, ipv6 })),
  );
