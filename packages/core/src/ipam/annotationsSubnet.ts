// The SpiderSubnet Pod annotations (§3.1): `ipam.spidernet.io/subnets`
// (`[{"interface":"eth0","ipv4":["s1"],"ipv6":["s1v6"]},...]`) and `ipam.spidernet.io/subnet`
// (`{"interface":"eth0","ipv4":["s4"]}`). Rules of Spiderpool's `GetSubnetAnnoConfig` /
// `mutateAndValidateSubnetAnno`: only the first name of each list counts and may not be empty; each item names
// v4 or v6; with several items no subnet of a family twice and no interface twice; a single item's interface
// defaults to eth0. No wildcards. `subnets` wins over `subnet`.
import { err, ok, type Result } from 'neverthrow';
import { ANNO_POD_SUBNET, ANNO_POD_SUBNETS } from '../api/index.ts';
import {
  arrayOrNull,
  type Decoded,
  field,
  objectOrNull,
  parseJson,
  stringField,
  stringList,
} from './annotationsJson.ts';
import { badAnnotation, type IpamError } from './errors.ts';

/** One NIC's subnets: the first name of each family list, when given. */
export interface SubnetItem {
  interface: string;
  ipv4?: string;
  ipv6?: string;
}

export interface PodSubnetAnnotation {
  /** Which annotation was read. */
  annotation: typeof ANNO_POD_SUBNETS | typeof ANNO_POD_SUBNET;
  /** `subnets`: one item per NIC; `subnet`: one item that serves the current NIC whatever its name. */
  multiple: boolean;
  items: SubnetItem[];
}

const decodeItem = (v: unknown, where: string, mode: string): Decoded<SubnetItem> => {
  const obj = objectOrNull(v, where);
  if (!obj.ok) return obj;
  const get = (k: string) => (obj.value === undefined ? undefined : field(obj.value, k));
  const nic = stringField(get('interface'), `${where}.interface`);
  if (!nic.ok) return nic;
  const item: SubnetItem = { interface: nic.value };
  for (const fam of ['ipv4', 'ipv6'] as const) {
    const list = stringList(get(fam), `${where}.${fam}`);
    if (!list.ok) return list;
    const first = list.value[0];
    if (first === undefined) continue;
    if (first === '')
      return { ok: false, detail: `it's invalid to set an empty IPv${fam.slice(3)} subnet with ${mode}` };
    item[fam] = first;
  }
  if (item.ipv4 === undefined && item.ipv6 === undefined) {
    return { ok: false, detail: `it's invalid to set dual empty subnet with ${mode}` };
  }
  return { ok: true, value: item };
};

const hasDuplicate = (xs: readonly string[]): boolean => new Set(xs).size !== xs.length;

const decodeMultiple = (value: string): Decoded<SubnetItem[]> => {
  const json = parseJson(value);
  if (!json.ok) return json;
  const arr = arrayOrNull(json.value, 'value');
  if (!arr.ok) return arr;
  if (arr.value.length === 0) return { ok: false, detail: 'no subnets specified' };
  const items: SubnetItem[] = [];
  for (const [i, v] of arr.value.entries()) {
    const item = decodeItem(v, `[${i}]`, 'multiple interfaces');
    if (!item.ok) return item;
    items.push(item.value);
  }
  const fam = (k: 'ipv4' | 'ipv6') => items.flatMap((i) => (i[k] === undefined ? [] : [i[k]]));
  if (hasDuplicate(fam('ipv4')) || hasDuplicate(fam('ipv6'))) {
    return { ok: false, detail: "it's invalid to use the same subnet for multiple interfaces" };
  }
  if (hasDuplicate(items.map((i) => i.interface))) {
    return { ok: false, detail: "it's invalid to use the same Interface name for multiple interfaces" };
  }
  return { ok: true, value: items };
};

const decodeSingle = (value: string): Decoded<SubnetItem[]> => {
  const json = parseJson(value);
  if (!json.ok) return json;
  if (json.value === null) return { ok: false, detail: 'no subnets specified' };
  const item = decodeItem(json.value, 'value', 'single interface');
  if (!item.ok) return item;
  return { ok: true, value: [{ ...item.value, interface: item.value.interface || 'eth0' }] };
};

/** The Pod's SpiderSubnet annotation, `undefined` when it has neither. */
export const parsePodSubnetAnnotation = (
  annotations: Readonly<Record<string, string>> | undefined,
): Result<PodSubnetAnnotation | undefined, IpamError> => {
  const many = annotations?.[ANNO_POD_SUBNETS];
  const one = annotations?.[ANNO_POD_SUBNET];
  if (many === undefined && one === undefined) return ok(undefined);
  const annotation = many !== undefined ? ANNO_POD_SUBNETS : ANNO_POD_SUBNET;
  const value = many ?? one ?? '';
  const items = many !== undefined ? decodeMultiple(value) : decodeSingle(value);
  if (!items.ok) return err(badAnnotation(annotation, value, items.detail));
  return ok({ annotation, multiple: many !== undefined, items: items.value });
};
