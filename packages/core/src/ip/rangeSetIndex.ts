// Position arithmetic on a range set: its size, the n-th address and the index of an address. This is the
// bridge between addresses and the bitmap allocator's dense index space. Prefix sums are computed once per
// set object (kept in a WeakMap, sets are immutable), then each query is a binary search: O(log intervals).
import type { IPInterval, IPRangeSet } from './rangeSet.ts';
import { findInterval } from './rangeSet.ts';

/** before[k] = number of addresses in intervals 0..k-1; before[length] = size of the set. */
const prefixCache = new WeakMap<IPRangeSet, readonly bigint[]>();

const prefixSums = (set: IPRangeSet): readonly bigint[] => {
  let sums = prefixCache.get(set);
  if (sums === undefined) {
    const acc: bigint[] = [0n];
    let total = 0n;
    for (const iv of set.intervals) {
      total += iv.end - iv.start + 1n;
      acc.push(total);
    }
    sums = acc;
    prefixCache.set(set, sums);
  }
  return sums;
};

/** Number of addresses in the set, exact (an IPv6 /64 is 2n ** 64n). */
export const rangeSetSize = (set: IPRangeSet): bigint => {
  const sums = prefixSums(set);
  return sums[sums.length - 1] ?? 0n;
};

/** The n-th address of the set (0-based, in ascending order), or undefined when n is out of [0, size). */
export const rangeSetAt = (set: IPRangeSet, n: bigint): bigint | undefined => {
  const sums = prefixSums(set);
  const size = sums[sums.length - 1] ?? 0n;
  if (n < 0n || n >= size) return undefined;
  // Largest k with sums[k] <= n: the interval holding the n-th address.
  let lo = 0;
  let hi = set.intervals.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((sums[mid] as bigint) <= n) lo = mid;
    else hi = mid - 1;
  }
  const iv = set.intervals[lo] as IPInterval;
  return iv.start + (n - (sums[lo] as bigint));
};

/** The 0-based index of an address in the set, or -1n when the set does not hold it. */
export const rangeSetIndexOf = (set: IPRangeSet, value: bigint): bigint => {
  const k = findInterval(set, value);
  if (k < 0) return -1n;
  const iv = set.intervals[k] as IPInterval;
  return (prefixSums(set)[k] as bigint) + (value - iv.start);
};

/**
 * Iterates the addresses of the set in ascending order, from index `from`, at most `limit` of them.
 * Meant for small slices (listing, tests); never expand a large set with it.
 */
export function* rangeSetValues(
  set: IPRangeSet,
  from = 0n,
  limit = Number.POSITIVE_INFINITY,
): Generator<bigint> {
  let remaining = limit;
  let skip = from;
  for (const iv of set.intervals) {
    const len = iv.end - iv.start + 1n;
    if (skip >= len) {
      skip -= len;
      continue;
    }
    for (let v = iv.start + skip; v <= iv.end && remaining > 0; v++, remaining--) yield v;
    skip = 0n;
    if (remaining <= 0) return;
  }
}
