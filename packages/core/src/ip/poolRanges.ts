// A pool's (or subnet's) address space by Spiderpool's `NewCIDR(subnet, ips, excludeIPs)` rules
// (`pkg/ip/subnet.go`): every range inside the subnet, the ranges of `ips` must not overlap each other (the
// error names both, worded `is already covered by` / `covers` / `overlaps with`), `excludeIPs` are subtracted.
// `totalIPCount` is the exact count as bigint; `saturateInt64` applies the status field's int64 cap.
import { err, ok, type Result } from 'neverthrow';
import { type CIDR, cidrContainsInterval, parseCIDR } from './cidr.ts';
import { type IPError, type RangeOverlapKind, rangeOutsideSubnet, rangesOverlap } from './errors.ts';
import { parseIPRange } from './ipRange.ts';
import {
  type IPInterval,
  type IPRangeSet,
  rangeSetFromIntervals,
  sortIntervalsByStart,
  subtractRangeSets,
} from './rangeSet.ts';
import { rangeSetSize } from './rangeSetIndex.ts';
import type { IPVersion } from './version.ts';

export interface PoolRanges {
  readonly subnet: CIDR;
  /** Union of `ips`. */
  readonly ips: IPRangeSet;
  /** Union of `excludeIPs`. */
  readonly excludeIPs: IPRangeSet;
  /** `ips` minus `excludeIPs`: the addresses the pool can hand out (reserved IPs not subtracted). */
  readonly available: IPRangeSet;
  /** Exact size of `available`. */
  readonly total: bigint;
}

/** Largest int64, Spiderpool's cap for `status.totalIPCount` (`math.MaxInt64`). */
export const MAX_INT64 = (1n << 63n) - 1n;

/** Caps a count at 2^63-1, as Spiderpool's `TotalIPInt()` does for huge IPv6 pools. */
export const saturateInt64 = (n: bigint): bigint => (n > MAX_INT64 ? MAX_INT64 : n);

const collides = (a: IPInterval, b: IPInterval): boolean => a.start <= b.end && b.start <= a.end;

/** Go's check order in `addIncludeRange`: a within b, then a around b, then partial overlap. */
const overlapKind = (a: IPInterval, b: IPInterval): RangeOverlapKind => {
  if (a.start >= b.start && a.end <= b.end) return 'coveredBy';
  if (a.start <= b.start && a.end >= b.end) return 'covers';
  return 'overlaps';
};

/** Index in `sorted` (disjoint, by start) of the first interval ending at or after `v`. */
const lowerBoundByEnd = (sorted: readonly IPInterval[], v: bigint): number => {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as IPInterval).end < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

const parseInside = (subnet: CIDR, subnetText: string, text: string): Result<IPInterval, IPError> =>
  parseIPRange(subnet.version, text).andThen((iv) =>
    cidrContainsInterval(subnet, iv) ? ok(iv) : err(rangeOutsideSubnet(text, subnetText)),
  );

/** Whether any two intervals share an address: sort by start, compare with the running maximum end. */
const anyOverlap = (version: IPVersion, intervals: readonly IPInterval[]): boolean => {
  const sorted = sortIntervalsByStart(version, intervals);
  let maxEnd = -1n;
  for (const iv of sorted) {
    if (iv.start <= maxEnd) return true;
    if (iv.end > maxEnd) maxEnd = iv.end;
  }
  return false;
};

/**
 * The error Go's `addIncludeRange` loop reports: the first range (in input order) that collides with an
 * earlier one, named with the first earlier range it collides with. Only run when an overlap is known.
 */
const firstOverlap = (intervals: readonly IPInterval[], texts: readonly string[]): IPError | undefined => {
  const sorted: IPInterval[] = [];
  for (const [i, a] of intervals.entries()) {
    const k = lowerBoundByEnd(sorted, a.start);
    const near = sorted[k];
    if (near !== undefined && near.start <= a.end) {
      const idx = intervals.findIndex((b) => collides(a, b));
      return rangesOverlap(
        texts[i] as string,
        texts[idx] as string,
        overlapKind(a, intervals[idx] as IPInterval),
      );
    }
    sorted.splice(k, 0, a);
  }
  return undefined;
};

/**
 * The included ranges in input order. As in Go, ranges are taken one by one: a collision among the ranges
 * before the first malformed one is reported before that malformed one. O(n log n) when all is well.
 */
const includeRanges = (
  subnet: CIDR,
  subnetText: string,
  texts: readonly string[],
): Result<IPInterval[], IPError> => {
  const parsed: IPInterval[] = [];
  let parseError: IPError | undefined;
  for (const text of texts) {
    const r = parseInside(subnet, subnetText, text);
    if (r.isErr()) {
      parseError = r.error;
      break;
    }
    parsed.push(r.value);
  }
  const overlap = anyOverlap(subnet.version, parsed) ? firstOverlap(parsed, texts) : undefined;
  const error = overlap ?? parseError;
  return error === undefined ? ok(parsed) : err(error);
};

/** Spiderpool `NewCIDR(subnet, ips, excludeIPs)`: validated, merged, and `ips` minus `excludeIPs`. */
export const parsePoolRanges = (
  subnet: string,
  ips: readonly string[],
  excludeIPs: readonly string[],
): Result<PoolRanges, IPError> =>
  parseCIDR(subnet).andThen((cidr) =>
    includeRanges(cidr, subnet, ips).andThen((included) => {
      const excluded: IPInterval[] = [];
      for (const text of excludeIPs) {
        const r = parseInside(cidr, subnet, text);
        if (r.isErr()) return err(r.error);
        excluded.push(r.value);
      }
      const ipSet = rangeSetFromIntervals(cidr.version, included);
      const excludeSet = rangeSetFromIntervals(cidr.version, excluded);
      const available = subtractRangeSets(ipSet, excludeSet);
      return ok({
        subnet: cidr,
        ips: ipSet,
        excludeIPs: excludeSet,
        available,
        total: rangeSetSize(available),
      });
    }),
  );

/**
 * Number of usable addresses of a pool, exact (bigint): `ips` minus `excludeIPs` under `NewCIDR`'s rules.
 * For the `status.totalIPCount` field, pass the result through `saturateInt64`.
 */
export const totalIPCount = (
  subnet: string,
  ips: readonly string[],
  excludeIPs: readonly string[],
): Result<bigint, IPError> => parsePoolRanges(subnet, ips, excludeIPs).map((p) => p.total);
