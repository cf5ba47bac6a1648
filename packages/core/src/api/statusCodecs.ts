// Codecs for the JSON strings Spiderpool keeps in status fields (pkg/utils/convert/convert.go):
// SpiderIPPool status.allocatedIPs and SpiderSubnet status.controlledIPPools. Encoding is byte-identical
// to Go's json.Marshal of the map (keys in byte order, HTML-safe escaping); an empty map encodes to
// `undefined` (the field is omitted). Decoding `undefined` gives an empty map.

import type { Result } from 'neverthrow';
import { err, ok } from 'neverthrow';
import type { ApiError, StatusField } from './errors.ts';
import { invalidStatusShape, malformedStatusJSON } from './errors.ts';
import { compareGoStrings, goMarshal, goQuote, goStruct } from './goJson.ts';

/** One allocated IP: `pod` is `<namespace>/<name>` (for KubeVirt, the VMI name), `podUid` the Pod UID. */
export interface PoolIPAllocation {
  pod: string;
  podUid: string;
}

/** IP (bare, no prefix) -> record. */
export type PoolIPAllocations = ReadonlyMap<string, PoolIPAllocation>;

/** IP ranges a SpiderSubnet handed to one pool; `application` only for auto-created pools. */
export interface PoolIPPreAllocation {
  ips: string[];
  application?: string;
}

/** Pool name -> pre-allocation. */
export type PoolIPPreAllocations = ReadonlyMap<string, PoolIPPreAllocation>;

const sortedKeys = (m: ReadonlyMap<string, unknown>): string[] => [...m.keys()].sort(compareGoStrings);

/** One `allocatedIPs` entry exactly as Go's json.Marshal writes it: `"ip":{"pod":"..","podUid":".."}`. */
export const encodeAllocationEntry = (ip: string, rec: PoolIPAllocation): string =>
  `${goQuote(ip)}:{"pod":${goQuote(rec.pod)},"podUid":${goQuote(rec.podUid)}}`;

/** Keys with a code unit >= U+D800: only among those can UTF-16 order (JS `<`) differ from Go's byte order. */
const BEYOND_BMP_ORDER = /[\ud800-\uffff]/;

/** Go's map-key order; the default sort (UTF-16 order) when no key can disagree with it. */
export const sortGoKeys = (keys: string[]): string[] =>
  keys.some((k) => BEYOND_BMP_ORDER.test(k)) ? keys.sort(compareGoStrings) : keys.sort();

export function encodeAllocatedIPs(records: PoolIPAllocations): string | undefined {
  if (records.size === 0) return undefined;
  const parts = sortGoKeys([...records.keys()]).map((ip) =>
    encodeAllocationEntry(ip, records.get(ip) as PoolIPAllocation),
  );
  return `{${parts.join(',')}}`;
}

export function encodeControlledIPPools(pools: PoolIPPreAllocations): string | undefined {
  if (pools.size === 0) return undefined;
  const parts = sortedKeys(pools).map((name) => {
    const p = pools.get(name) as PoolIPPreAllocation;
    const body = goStruct([
      ['ips', p.ips],
      ['application', p.application],
    ]);
    return `${goMarshal(name)}:${goMarshal(body)}`;
  });
  return `{${parts.join(',')}}`;
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

function parseTopLevel(field: StatusField, data: string): Result<Record<string, unknown> | null, ApiError> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (e) {
    return err(malformedStatusJSON(field, data, e));
  }
  // Go decodes `null` into a nil map without error.
  if (parsed === null) return ok(null);
  if (!isObject(parsed)) return err(invalidStatusShape(field, '', 'a JSON object'));
  return ok(parsed);
}

/** A Go `string` field: absent or null -> "", otherwise it must be a string. */
function stringField(field: StatusField, path: string, v: unknown): Result<string, ApiError> {
  if (v === undefined || v === null) return ok('');
  return typeof v === 'string' ? ok(v) : err(invalidStatusShape(field, path, 'a string'));
}

export function decodeAllocatedIPs(data: string | undefined): Result<PoolIPAllocations, ApiError> {
  const out = new Map<string, PoolIPAllocation>();
  if (data === undefined) return ok(out);
  return parseTopLevel('allocatedIPs', data).andThen((obj) => {
    for (const [ip, v] of Object.entries(obj ?? {})) {
      const path = `[${JSON.stringify(ip)}]`;
      if (v === null) {
        out.set(ip, { pod: '', podUid: '' });
        continue;
      }
      if (!isObject(v)) return err(invalidStatusShape('allocatedIPs', path, 'an object {pod, podUid}'));
      const pod = stringField('allocatedIPs', `${path}.pod`, v.pod);
      if (pod.isErr()) return err(pod.error);
      const uid = stringField('allocatedIPs', `${path}.podUid`, v.podUid);
      if (uid.isErr()) return err(uid.error);
      out.set(ip, { pod: pod.value, podUid: uid.value });
    }
    return ok(out);
  });
}

export function decodeControlledIPPools(data: string | undefined): Result<PoolIPPreAllocations, ApiError> {
  const out = new Map<string, PoolIPPreAllocation>();
  if (data === undefined) return ok(out);
  return parseTopLevel('controlledIPPools', data).andThen((obj) => {
    for (const [name, v] of Object.entries(obj ?? {})) {
      const path = `[${JSON.stringify(name)}]`;
      if (v === null) {
        out.set(name, { ips: [] });
        continue;
      }
      if (!isObject(v))
        return err(invalidStatusShape('controlledIPPools', path, 'an object {ips, application?}'));
      const ips = v.ips ?? [];
      if (!Array.isArray(ips) || !ips.every((x) => typeof x === 'string')) {
        return err(invalidStatusShape('controlledIPPools', `${path}.ips`, 'an array of strings'));
      }
      const entry: PoolIPPreAllocation = { ips: [...ips] };
      if (v.application !== undefined && v.application !== null) {
        if (typeof v.application !== 'string') {
          return err(invalidStatusShape('controlledIPPools', `${path}.application`, 'a string'));
        }
        entry.application = v.application;
      }
      out.set(name, entry);
    }
    return ok(out);
  });
}
