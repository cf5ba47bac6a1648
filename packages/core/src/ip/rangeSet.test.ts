import { describe, expect, it } from 'vitest';
import {
  emptyRangeSet,
  findInterval,
  intersectRangeSets,
  isRangeSetEmpty,
  isRangeSetSubset,
  rangeSetContains,
  rangeSetContainsInterval,
  rangeSetEquals,
  rangeSetFromIntervals,
  rangeSetOf,
  rangeSetsOverlap,
  subtractRangeSets,
  unionRangeSets,
} from './rangeSet.ts';

const set = (...pairs: Array<[number, number]>) =>
  rangeSetFromIntervals(
    4,
    pairs.map(([s, e]) => ({ start: BigInt(s), end: BigInt(e) })),
  );
const pairs = (s: { intervals: readonly { start: bigint; end: bigint }[] }) =>
  s.intervals.map((iv) => [Number(iv.start), Number(iv.end)]);

describe('rangeSetFromIntervals', () => {
  it('sorts, merges overlapping and adjacent intervals', () => {
    expect(pairs(set([10, 12], [1, 3], [4, 4], [2, 5], [14, 20], [13, 13]))).toEqual([
      [1, 5],
      [10, 20],
    ]);
    expect(pairs(set([5, 9], [1, 3]))).toEqual([
      [1, 3],
      [5, 9],
    ]);
    expect(pairs(set())).toEqual([]);
  });

  it('throws on malformed intervals (programmer error)', () => {
    expect(() => set([3, 1])).toThrow(RangeError);
    expect(() => rangeSetFromIntervals(4, [{ start: 0n, end: 1n << 32n }])).toThrow(RangeError);
    expect(() => rangeSetFromIntervals(6, [{ start: -1n, end: 0n }])).toThrow(RangeError);
  });

  it('rangeSetOf builds one interval', () => {
    expect(pairs(rangeSetOf(4, 7n))).toEqual([[7, 7]]);
    expect(pairs(rangeSetOf(4, 7n, 9n))).toEqual([[7, 9]]);
  });
});

describe('union / subtract / intersect', () => {
  const a = set([1, 5], [10, 20], [30, 30]);
  const b = set([3, 11], [21, 25], [40, 50]);

  it('union merges across both inputs, joining adjacent runs', () => {
    expect(pairs(unionRangeSets(a, b))).toEqual([
      [1, 25],
      [30, 30],
      [40, 50],
    ]);
    expect(unionRangeSets(a, emptyRangeSet(4))).toBe(a);
    expect(unionRangeSets(emptyRangeSet(4), b)).toBe(b);
  });

  it('subtract cuts holes, splits and drops intervals', () => {
    expect(pairs(subtractRangeSets(a, b))).toEqual([
      [1, 2],
      [12, 20],
      [30, 30],
    ]);
    expect(pairs(subtractRangeSets(set([1, 100]), set([10, 10], [20, 29], [100, 200])))).toEqual([
      [1, 9],
      [11, 19],
      [30, 99],
    ]);
    expect(pairs(subtractRangeSets(set([1, 10]), set([0, 10])))).toEqual([]);
    expect(pairs(subtractRangeSets(set([5, 10], [20, 30]), set([8, 22])))).toEqual([
      [5, 7],
      [23, 30],
    ]);
  });

  it('intersect keeps the shared parts', () => {
    expect(pairs(intersectRangeSets(a, b))).toEqual([
      [3, 5],
      [10, 11],
    ]);
    expect(pairs(intersectRangeSets(a, emptyRangeSet(4)))).toEqual([]);
  });

  it('throws when families differ (programmer error)', () => {
    expect(() => unionRangeSets(a, emptyRangeSet(6))).toThrow(TypeError);
    expect(() => subtractRangeSets(a, emptyRangeSet(6))).toThrow(TypeError);
    expect(() => intersectRangeSets(a, emptyRangeSet(6))).toThrow(TypeError);
  });
});

describe('membership and relations', () => {
  const s = set([1, 5], [10, 20], [30, 30]);

  it('finds intervals by binary search', () => {
    expect(findInterval(s, 0n)).toBe(-1);
    expect(findInterval(s, 1n)).toBe(0);
    expect(findInterval(s, 15n)).toBe(1);
    expect(findInterval(s, 25n)).toBe(-1);
    expect(findInterval(s, 30n)).toBe(2);
    expect(rangeSetContains(s, 20n)).toBe(true);
    expect(rangeSetContains(s, 21n)).toBe(false);
  });

  it('contains intervals only when one interval holds them', () => {
    expect(rangeSetContainsInterval(s, { start: 11n, end: 20n })).toBe(true);
    expect(rangeSetContainsInterval(s, { start: 4n, end: 10n })).toBe(false);
  });

  it('subset, overlap, equality, emptiness', () => {
    expect(isRangeSetSubset(set([2, 3], [30, 30]), s)).toBe(true);
    expect(isRangeSetSubset(set([2, 6]), s)).toBe(false);
    expect(isRangeSetSubset(emptyRangeSet(4), s)).toBe(true);
    expect(rangeSetsOverlap(s, set([21, 29]))).toBe(false);
    expect(rangeSetsOverlap(s, set([21, 30]))).toBe(true);
    expect(rangeSetEquals(s, set([30, 30], [1, 5], [10, 15], [16, 20]))).toBe(true);
    expect(rangeSetEquals(s, set([1, 5]))).toBe(false);
    expect(isRangeSetEmpty(emptyRangeSet(6))).toBe(true);
    expect(isRangeSetEmpty(s)).toBe(false);
  });
});
