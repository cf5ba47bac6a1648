import { describe, expect, it } from 'vitest';
import { emptyRangeSet, rangeSetFromIntervals } from './rangeSet.ts';
import { rangeSetAt, rangeSetIndexOf, rangeSetSize, rangeSetValues } from './rangeSetIndex.ts';

const s = rangeSetFromIntervals(4, [
  { start: 10n, end: 12n },
  { start: 20n, end: 20n },
  { start: 30n, end: 34n },
]);

describe('rangeSetSize / rangeSetAt / rangeSetIndexOf', () => {
  it('counts exactly', () => {
    expect(rangeSetSize(s)).toBe(9n);
    expect(rangeSetSize(emptyRangeSet(6))).toBe(0n);
  });

  it('maps index -> address across intervals', () => {
    expect([0n, 1n, 2n, 3n, 4n, 8n].map((n) => rangeSetAt(s, n))).toEqual([10n, 11n, 12n, 20n, 30n, 34n]);
    expect(rangeSetAt(s, 9n)).toBeUndefined();
    expect(rangeSetAt(s, -1n)).toBeUndefined();
    expect(rangeSetAt(emptyRangeSet(4), 0n)).toBeUndefined();
  });

  it('maps address -> index, -1n when absent', () => {
    expect([10n, 12n, 20n, 30n, 34n].map((v) => rangeSetIndexOf(s, v))).toEqual([0n, 2n, 3n, 4n, 8n]);
    expect(rangeSetIndexOf(s, 13n)).toBe(-1n);
    expect(rangeSetIndexOf(s, 9n)).toBe(-1n);
    expect(rangeSetIndexOf(s, 35n)).toBe(-1n);
  });

  it('at and indexOf are inverse on every index', () => {
    for (let n = 0n; n < rangeSetSize(s); n++) expect(rangeSetIndexOf(s, rangeSetAt(s, n) as bigint)).toBe(n);
  });
});

describe('rangeSetValues', () => {
  it('lists a slice in order', () => {
    expect([...rangeSetValues(s)]).toEqual([10n, 11n, 12n, 20n, 30n, 31n, 32n, 33n, 34n]);
    expect([...rangeSetValues(s, 2n, 3)]).toEqual([12n, 20n, 30n]);
    expect([...rangeSetValues(s, 8n)]).toEqual([34n]);
    expect([...rangeSetValues(s, 9n)]).toEqual([]);
    expect([...rangeSetValues(s, 0n, 0)]).toEqual([]);
  });
});
