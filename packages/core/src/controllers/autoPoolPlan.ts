// The IP arithmetic of an auto-pool scale (Spiderpool `preAllocateIPsFromSubnet`, reference §3.9), on
// interval sets (never expanded): which addresses the subnet reserves for the pool after the change.
// - base: what the pool holds now = its subnet pre-allocation ∪ (its spec.ips not reserved for another pool).
//   The union also covers an interrupted earlier scale: subnet written, pool not (create or grow: the entry is
//   the larger set), or a shrink whose pool write lost (the pool spec is the larger set).
// - grow: base + the lowest free addresses of the subnet (ips − excludeIPs − every other controlled pool −
//   SpiderReservedIPs).
// - shrink: base − the lowest addresses without a record; refused when too few are free.
// Pure.
import { err, ok, type Result } from 'neverthrow';
import {
  emptyRangeSet,
  formatIPRanges,
  type IPInterval,
  type IPRangeSet,
  isRangeSetEmpty,
  rangeSetFromIntervals,
  rangeSetSize,
  subtractRangeSets,
  unionRangeSets,
} from '../ip/index.ts';
import {
  type AutoPoolControllerError,
  allocationOutsideReservation,
  freeIPsNotEnough,
  insufficientSubnetIPs,
} from './autoPoolErrors.ts';

export interface AutoPoolPlanInput {
  pool: string;
  subnet: string;
  /** The subnet's ips − excludeIPs. */
  subnetTotal: IPRangeSet;
  /** SpiderReservedIPs of the family (never pre-allocated). */
  reserved: IPRangeSet;
  /** Union of every other controlled pool's pre-allocation (auto and manual). */
  others: IPRangeSet;
  /** This pool's pre-allocation in the subnet status, if any. */
  entry?: IPRangeSet;
  /** This pool's spec.ips, when the pool exists. */
  poolIPs?: IPRangeSet;
  /** This pool's allocated addresses (status.allocatedIPs keys). */
  allocated: IPRangeSet;
  desired: bigint;
}

export type AutoPoolScale = 'create' | 'grow' | 'shrink' | 'keep';

export interface AutoPoolPlan {
  /** The pre-allocation after the change. */
  ips: IPRangeSet;
  /** `ips` in Spiderpool's range syntax (`a-b`, single IPs bare). */
  ranges: string[];
  scale: AutoPoolScale;
}

/** The lowest `count` addresses of `set` (all of it when smaller). */
export const lowestOf = (set: IPRangeSet, count: bigint): IPRangeSet => {
  const out: IPInterval[] = [];
  let left = count;
  for (const iv of set.intervals) {
    if (left <= 0n) break;
    const size = iv.end - iv.start + 1n;
    if (size <= left) {
      out.push(iv);
      left -= size;
    } else {
      out.push({ start: iv.start, end: iv.start + left - 1n });
      left = 0n;
    }
  }
  return rangeSetFromIntervals(set.version, out);
};

const done = (ips: IPRangeSet, scale: AutoPoolScale): AutoPoolPlan => ({
  ips,
  ranges: formatIPRanges(ips),
  scale,
});

/** The pre-allocation the pool should have for `desired` addresses. */
export const planAutoPool = (input: AutoPoolPlanInput): Result<AutoPoolPlan, AutoPoolControllerError> => {
  const version = input.subnetTotal.version;
  const fromPool =
    input.poolIPs === undefined ? emptyRangeSet(version) : subtractRangeSets(input.poolIPs, input.others);
  const base = unionRangeSets(input.entry ?? emptyRangeSet(version), fromPool);
  const stray = subtractRangeSets(input.allocated, base);
  if (!isRangeSetEmpty(stray))
    return err(allocationOutsideReservation(input.pool, input.subnet, formatIPRanges(stray)));
  const have = rangeSetSize(base);
  const fresh = input.entry === undefined && input.poolIPs === undefined;
  if (have === input.desired) return ok(done(base, fresh ? 'create' : 'keep'));
  if (have < input.desired) {
    const need = input.desired - have;
    const free = subtractRangeSets(
      subtractRangeSets(subtractRangeSets(input.subnetTotal, input.others), base),
      input.reserved,
    );
    const available = rangeSetSize(free);
    if (available < need) return err(insufficientSubnetIPs(input.subnet, input.pool, need, available));
    return ok(done(unionRangeSets(base, lowestOf(free, need)), fresh ? 'create' : 'grow'));
  }
  const drop = have - input.desired;
  const unused = subtractRangeSets(base, input.allocated);
  if (rangeSetSize(unused) < drop) {
    return err(freeIPsNotEnough(input.pool, have, input.desired, rangeSetSize(input.allocated)));
  }
  return ok(done(subtractRangeSets(base, lowestOf(unused, drop)), 'shrink'));
};
