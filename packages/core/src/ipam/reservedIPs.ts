// SpiderReservedIP: addresses no pool of that IP version may hand out (§1.4). Terminating objects are ignored
// (`AssembleReservedIPs`); sets may overlap each other and pools. The engine reads them once per pool write
// attempt and passes the union for the pool's family to the allocator cache, with a key that changes
// whenever any reserved object changes (so a cached allocator is rebuilt then, and only then).
import { err, ok, type Result } from 'neverthrow';
import type { SpiderReservedIP } from '../api/index.ts';
import {
  emptyRangeSet,
  type IPRangeSet,
  type IPVersion,
  parseIPRanges,
  unionRangeSets,
} from '../ip/index.ts';

export interface ReservedSets {
  readonly v4: IPRangeSet;
  readonly v6: IPRangeSet;
  /** Changes when any non-terminating SpiderReservedIP changes: `name@resourceVersion,...`. */
  readonly key: string;
}

export const EMPTY_RESERVED: ReservedSets = { v4: emptyRangeSet(4), v6: emptyRangeSet(6), key: '' };

const versionOf = (r: SpiderReservedIP): IPVersion | undefined => {
  if (r.spec.ipVersion === 4 || r.spec.ipVersion === 6) return r.spec.ipVersion;
  const first = r.spec.ips?.[0];
  if (first === undefined) return undefined;
  return first.includes(':') ? 6 : 4;
};

/** One reserved object that could not be read (its ranges are not valid for its version). */
export interface BadReservedIP {
  name: string;
  detail: string;
}

/** Union of the non-terminating reserved IPs per family. */
export const assembleReservedIPs = (
  objects: readonly SpiderReservedIP[],
): Result<ReservedSets, BadReservedIP> => {
  let v4 = emptyRangeSet(4);
  let v6 = emptyRangeSet(6);
  const keys: string[] = [];
  for (const r of objects) {
    if (r.metadata.deletionTimestamp !== undefined) continue;
    keys.push(`${r.metadata.name}@${r.metadata.resourceVersion ?? ''}`);
    const version = versionOf(r);
    if (version === undefined) continue;
    const set = parseIPRanges(version, r.spec.ips ?? []);
    if (set.isErr()) return err({ name: r.metadata.name, detail: set.error.message });
    if (version === 4) v4 = unionRangeSets(v4, set.value);
    else v6 = unionRangeSets(v6, set.value);
  }
  return ok({ v4, v6, key: keys.join(',') });
};

export const reservedFor = (sets: ReservedSets, version: IPVersion): IPRangeSet =>
  version === 4 ? sets.v4 : sets.v6;
