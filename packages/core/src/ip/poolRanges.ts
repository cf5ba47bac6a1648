// A pool's (or subnet's) address space by Spiderpool's `NewCIDR(subnet, ips, excludeIPs)` rules
// (`pkg/ip/subnet.go`): every range inside the subnet, the ranges of `ips` must not overlap each other (the
// error names both, worded `is already covered by` / `covers` / `overlaps with`), `excludeIPs` are subtracted.
// `totalIPCount` is the exact count as bigint; `saturateInt64` applies the status field's int64 cap.
import { err, ok, type Result } from 'neverthrow';
import { type CIDR, cidrContainsInterval, parseCIDR } from './cidr.ts';
import { type IPError, type RangeOverlapKind, rangeOutsideSubnet, rangesOverlap } from './errors.ts';
import { parseIPRange } from './ipRange.ts';
import { type IPInterval, type IPRangeSet, rangeSetFromIntervals, subtractRangeSets } from './rangeSet.ts';
import { rangeSetSize } from './rangeSetIndex.ts';

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

/** The included ranges, checked pairwise for overlap in input order, in O(n log n) plus one O(n) scan on error. */
const includeRanges = (
  subnet: CIDR,
  subnetText: string,
  texts: readonly string[],
): Result<IPInterval[], IPError> => {
  const parsed: IPInterval[] = [];
  const sorted: IPInterval[] = [];
  for (const text of texts) {
    const r = parseInside(subnet, subnetText, text);
    if (r.isErr()) return err(r.error);
    const a = r.value;
    const k = lowerBoundByEnd(sorted, a.start);
    const near = sorted[k];
    if (near !== undefined && near.start <= a.end) {
      // Report the first earlier range (in input order) that collides, as Go's loop does.
      const idx = parsed.findIndex((b) => collides(a, b));
      const b = parsed[idx] as IPInterval;
      return err(rangesOverlap(text, texts[idx] as string, overlapKind(a, b)));
    }
    sorted.splice(k, 0, a);
    parsed.push(a);
  }
  return ok(parsed);
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
