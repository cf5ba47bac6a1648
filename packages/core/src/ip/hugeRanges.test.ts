// Correctness on ranges spanning whole IPv6 /64s (and all of IPv6): these only pass if nothing expands a
// range into a list. No timing here: speed is measured in bench/src/suites/ip.ts.
import { describe, expect, it } from 'vitest';
import { parseIP } from './address.ts';
import { formatIPRanges, parseIPRanges } from './ipRange.ts';
import { parsePoolRanges, saturateInt64, totalIPCount } from './poolRanges.ts';
import { rangeSetContains, subtractRangeSets, unionRangeSets } from './rangeSet.ts';
import { rangeSetAt, rangeSetIndexOf, rangeSetSize } from './rangeSetIndex.ts';
import { mergeIPRanges, subtractIPRanges } from './spiderpool.ts';

const v = (text: string): bigint => parseIP(text)._unsafeUnwrap().value;
const TWO64 = 1n << 64n;
const whole64 = '2001:db8::-2001:db8::ffff:ffff:ffff:ffff';
const holes = ['2001:db8::', '2001:db8::8000:0:0:0-2001:db8::8000:0:0:ff', '2001:db8::ffff:ffff:ffff:ffff'];

describe('2001:db8::/64 minus a few holes', () => {
  const pool = parsePoolRanges('2001:db8::/64', [whole64], holes)._unsafeUnwrap();

  it('counts exactly: 2^64 - 258', () => {
    expect(pool.total).toBe(TWO64 - 258n);
    expect(rangeSetSize(pool.available)).toBe(TWO64 - 258n);
    expect(totalIPCount('2001:db8::/64', [whole64], holes)._unsafeUnwrap()).toBe(TWO64 - 258n);
  });

  it('subtracts into two intervals, printed in Spiderpool form', () => {
    expect(formatIPRanges(pool.available)).toEqual([
      '2001:db8::1-2001:db8::7fff:ffff:ffff:ffff',
      '2001:db8::8000:0:0:100-2001:db8::ffff:ffff:ffff:fffe',
    ]);
    expect(subtractIPRanges(6, [whole64], holes)._unsafeUnwrap()).toEqual(formatIPRanges(pool.available));
  });

  it('answers at and indexOf across the hole', () => {
    const s = pool.available;
    expect(rangeSetAt(s, 0n)).toBe(v('2001:db8::1'));
    const firstHalf = (1n << 63n) - 1n; // addresses 1 .. 2^63-1
    expect(rangeSetAt(s, firstHalf - 1n)).toBe(v('2001:db8::7fff:ffff:ffff:ffff'));
    expect(rangeSetAt(s, firstHalf)).toBe(v('2001:db8::8000:0:0:100'));
    expect(rangeSetAt(s, TWO64 - 259n)).toBe(v('2001:db8::ffff:ffff:ffff:fffe'));
    expect(rangeSetAt(s, TWO64 - 258n)).toBeUndefined();
    expect(rangeSetIndexOf(s, v('2001:db8::8000:0:0:100'))).toBe(firstHalf);
    expect(rangeSetIndexOf(s, v('2001:db8::8000:0:0:80'))).toBe(-1n);
    expect(rangeSetIndexOf(s, v('2001:db8::ffff:ffff:ffff:fffe'))).toBe(TWO64 - 259n);
    expect(rangeSetIndexOf(s, v('2001:db8::'))).toBe(-1n);
    expect(rangeSetContains(s, v('2001:db8::1234:5678:9abc:def0'))).toBe(true);
  });

  it('saturates only above 2^63-1', () => {
    expect(saturateInt64(pool.total)).toBe((1n << 63n) - 1n);
  });
});

describe('many /64s at once', () => {
  it('merges 1024 adjacent /64s into one /54-sized range', () => {
    const ranges: string[] = [];
    for (let k = 1023; k >= 0; k--) {
      const h = k.toString(16);
      ranges.push(`fd00:0:0:${h}::-fd00:0:0:${h}:ffff:ffff:ffff:ffff`);
    }
    const merged = mergeIPRanges(6, ranges)._unsafeUnwrap();
    expect(merged).toEqual(['fd00::-fd00::3ff:ffff:ffff:ffff:ffff']);
    const set = parseIPRanges(6, merged)._unsafeUnwrap();
    expect(rangeSetSize(set)).toBe(1024n * TWO64);
    expect(rangeSetIndexOf(set, v('fd00:0:0:200::'))).toBe(512n * TWO64);
    expect(rangeSetAt(set, 512n * TWO64 + 5n)).toBe(v('fd00:0:0:200::5'));
  });

  it('handles every IPv6 address', () => {
    const all = parseIPRanges(6, ['::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'])._unsafeUnwrap();
    expect(rangeSetSize(all)).toBe(1n << 128n);
    const holed = subtractRangeSets(
      all,
      parseIPRanges(6, ['::1', 'ffff::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'])._unsafeUnwrap(),
    );
    expect(formatIPRanges(holed)).toEqual(['::', '::2-fffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff']);
    expect(formatIPRanges(unionRangeSets(holed, parseIPRanges(6, ['::1'])._unsafeUnwrap()))).toEqual([
      '::-fffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ]);
  });
});
