// Sets of addresses as sorted, disjoint, non-adjacent inclusive intervals of bigint values. Every operation
// works on interval endpoints and is linear (or logarithmic) in the number of intervals, never in the number
// of addresses: a set spanning an IPv6 /64 costs what a /30 costs. Mixing families is a programmer error.
import { type IPVersion, ipMaxValue } from './version.ts';

/** Inclusive interval [start, end] of address values. */
export interface IPInterval {
  readonly start: bigint;
  readonly end: bigint;
}

/** Canonical set: intervals sorted, disjoint and non-adjacent (a gap of at least one address between them). */
export interface IPRangeSet {
  readonly version: IPVersion;
  readonly intervals: readonly IPInterval[];
}

const sameFamily = (a: IPRangeSet, b: IPRangeSet): void => {
  if (a.version !== b.version) throw new TypeError(`cannot combine IPv${a.version} and IPv${b.version} sets`);
};

export const emptyRangeSet = (version: IPVersion): IPRangeSet => ({ version, intervals: [] });

const maxOf = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const minOf = (a: bigint, b: bigint): bigint => (a < b ? a : b);

const byStart = (x: IPInterval, y: IPInterval): number =>
  x.start < y.start ? -1 : x.start > y.start ? 1 : 0;

/** Sorted copy; IPv4 starts fit a double exactly, so they sort on number keys (much faster than bigint). */
export const sortIntervalsByStart = (version: IPVersion, intervals: readonly IPInterval[]): IPInterval[] => {
  if (version === 6) return [...intervals].sort(byStart);
  const keyed = intervals.map((iv) => ({ k: Number(iv.start), iv }));
  keyed.sort((x, y) => x.k - y.k);
  return keyed.map((x) => x.iv);
};

/** Sorts and merges overlapping or adjacent intervals. Throws on start > end or values outside the family. */
export const rangeSetFromIntervals = (version: IPVersion, intervals: readonly IPInterval[]): IPRangeSet => {
  const max = ipMaxValue(version);
  for (const iv of intervals) {
    if (iv.start > iv.end || iv.start < 0n || iv.end > max) {
      throw new RangeError(`invalid IPv${version} interval ${iv.start}-${iv.end}`);
    }
  }
  const sorted = sortIntervalsByStart(version, intervals);
  const out: IPInterval[] = [];
  let cur: IPInterval | undefined;
  for (const iv of sorted) {
    if (cur !== undefined && iv.start <= cur.end + 1n) {
      if (iv.end > cur.end) cur = { start: cur.start, end: iv.end };
      continue;
    }
    if (cur !== undefined) out.push(cur);
    cur = iv;
  }
  if (cur !== undefined) out.push(cur);
  return { version, intervals: out };
};

/** The set of one interval. */
export const rangeSetOf = (version: IPVersion, start: bigint, end: bigint = start): IPRangeSet =>
  rangeSetFromIntervals(version, [{ start, end }]);

/** a ∪ b, linear in the interval counts. */
export const unionRangeSets = (a: IPRangeSet, b: IPRangeSet): IPRangeSet => {
  sameFamily(a, b);
  if (b.intervals.length === 0) return a;
  if (a.intervals.length === 0) return b;
  const out: IPInterval[] = [];
  const xs = a.intervals;
  const ys = b.intervals;
  let i = 0;
  let j = 0;
  let cur: IPInterval | undefined;
  while (i < xs.length || j < ys.length) {
    const x = xs[i];
    const y = ys[j];
    let next: IPInterval;
    if (y === undefined || (x !== undefined && x.start <= y.start)) {
      next = x as IPInterval;
      i++;
    } else {
      next = y;
      j++;
    }
    if (cur !== undefined && next.start <= cur.end + 1n) {
      if (next.end > cur.end) cur = { start: cur.start, end: next.end };
    } else {
      if (cur !== undefined) out.push(cur);
      cur = next;
    }
  }
  if (cur !== undefined) out.push(cur);
  return { version: a.version, intervals: out };
};

/** a − b (Spiderpool's `ips` minus `excludeIPs`), linear in the interval counts. */
export const subtractRangeSets = (a: IPRangeSet, b: IPRangeSet): IPRangeSet => {
  sameFamily(a, b);
  if (a.intervals.length === 0 || b.intervals.length === 0) return a;
  const out: IPInterval[] = [];
  const ys = b.intervals;
  let j = 0;
  for (const x of a.intervals) {
    let start = x.start;
    // Skip holes that end before this interval starts.
    while (j < ys.length && (ys[j] as IPInterval).end < start) j++;
    let k = j;
    let open = true;
    while (k < ys.length) {
      const y = ys[k] as IPInterval;
      if (y.start > x.end) break;
      if (y.start > start) out.push({ start, end: y.start - 1n });
      if (y.end >= x.end) {
        open = false;
        break;
      }
      start = y.end + 1n;
      k++;
    }
    if (open) out.push({ start, end: x.end });
    j = k;
  }
  return { version: a.version, intervals: out };
};

/** a ∩ b, linear in the interval counts. */
export const intersectRangeSets = (a: IPRangeSet, b: IPRangeSet): IPRangeSet => {
  sameFamily(a, b);
  const out: IPInterval[] = [];
  const xs = a.intervals;
  const ys = b.intervals;
  let i = 0;
  let j = 0;
  while (i < xs.length && j < ys.length) {
    const x = xs[i] as IPInterval;
    const y = ys[j] as IPInterval;
    const start = maxOf(x.start, y.start);
    const end = minOf(x.end, y.end);
    if (start <= end) out.push({ start, end });
    if (x.end < y.end) i++;
    else j++;
  }
  return { version: a.version, intervals: out };
};

/** Index of the interval holding `value`, or -1 (binary search). */
export const findInterval = (set: IPRangeSet, value: bigint): number => {
  const ivs = set.intervals;
  let lo = 0;
  let hi = ivs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const iv = ivs[mid] as IPInterval;
    if (value < iv.start) hi = mid - 1;
    else if (value > iv.end) lo = mid + 1;
    else return mid;
  }
  return -1;
};

export const rangeSetContains = (set: IPRangeSet, value: bigint): boolean => findInterval(set, value) >= 0;

/** Whether every address of the interval is in the set (a canonical set holds it in one interval). */
export const rangeSetContainsInterval = (set: IPRangeSet, interval: IPInterval): boolean => {
  const k = findInterval(set, interval.start);
  return k >= 0 && (set.intervals[k] as IPInterval).end >= interval.end;
};

/** inner ⊆ outer. */
export const isRangeSetSubset = (inner: IPRangeSet, outer: IPRangeSet): boolean =>
  subtractRangeSets(inner, outer).intervals.length === 0;

/** Whether the two sets share at least one address. */
export const rangeSetsOverlap = (a: IPRangeSet, b: IPRangeSet): boolean =>
  intersectRangeSets(a, b).intervals.length > 0;

export const rangeSetEquals = (a: IPRangeSet, b: IPRangeSet): boolean =>
  a.version === b.version &&
  a.intervals.length === b.intervals.length &&
  a.intervals.every((x, k) => {
    const y = b.intervals[k] as IPInterval;
    return x.start === y.start && x.end === y.end;
  });

export const isRangeSetEmpty = (set: IPRangeSet): boolean => set.intervals.length === 0;
