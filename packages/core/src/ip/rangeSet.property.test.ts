// Property tests of the interval arithmetic against a naive model that expands every range into an explicit
// list of addresses. Windows of 64 addresses sit at the edges that break naive code: 0, the top of IPv4,
// around ::ffff:ffff (the 32-bit boundary inside IPv6), the 64-bit boundary and the top of IPv6.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIPValue, parseIP } from './address.ts';
import type { IPError } from './errors.ts';
import { formatIPRanges, parseIPRanges } from './ipRange.ts';
import { totalIPCount } from './poolRanges.ts';
import {
  type IPRangeSet,
  intersectRangeSets,
  isRangeSetSubset,
  rangeSetContains,
  rangeSetFromIntervals,
  rangeSetsOverlap,
  subtractRangeSets,
  unionRangeSets,
} from './rangeSet.ts';
import { rangeSetAt, rangeSetIndexOf, rangeSetSize } from './rangeSetIndex.ts';
import { isIPRangeOverlap, mergeIPRanges } from './spiderpool.ts';
import { IPV6_MAX, type IPVersion } from './version.ts';

const WINDOW = 64;
const windows: ReadonlyArray<{ version: IPVersion; base: bigint }> = [
  { version: 4, base: 0n },
  { version: 4, base: 0x0a14a8a0n },
  { version: 4, base: 0xffffffffn - 63n },
  { version: 6, base: 0n },
  { version: 6, base: 0xffffffffn - 31n },
  { version: 6, base: (1n << 64n) - 32n },
  { version: 6, base: 0x20010db8n << 96n },
  { version: 6, base: IPV6_MAX - 63n },
];

const offsetPair = fc
  .tuple(fc.integer({ min: 0, max: WINDOW - 1 }), fc.integer({ min: 0, max: WINDOW - 1 }))
  .map(([x, y]): readonly [number, number] => (x <= y ? [x, y] : [y, x]));

const scenario = fc.record({
  w: fc.constantFrom(...windows),
  a: fc.array(offsetPair, { maxLength: 7 }),
  b: fc.array(offsetPair, { maxLength: 7 }),
});

type Pairs = ReadonlyArray<readonly [number, number]>;

const toSet = (version: IPVersion, base: bigint, pairs: Pairs): IPRangeSet =>
  rangeSetFromIntervals(
    version,
    pairs.map(([s, e]) => ({ start: base + BigInt(s), end: base + BigInt(e) })),
  );

/** The naive model: the explicit, sorted list of addresses. */
const expand = (set: IPRangeSet): bigint[] => {
  const out: bigint[] = [];
  for (const iv of set.intervals) for (let v = iv.start; v <= iv.end; v++) out.push(v);
  return out;
};
const naive = (base: bigint, pairs: Pairs): bigint[] => {
  const s = new Set<bigint>();
  for (const [x, y] of pairs) for (let k = x; k <= y; k++) s.add(base + BigInt(k));
  return [...s].sort((p, q) => (p < q ? -1 : p > q ? 1 : 0));
};

const isCanonical = (set: IPRangeSet): boolean =>
  set.intervals.every((iv, k) => {
    const prev = set.intervals[k - 1];
    return iv.start <= iv.end && (prev === undefined || prev.end + 1n < iv.start);
  });

const texts = (version: IPVersion, base: bigint, pairs: Pairs): string[] =>
  pairs.map(([s, e]) =>
    s === e
      ? formatIPValue(version, base + BigInt(s))
      : `${formatIPValue(version, base + BigInt(s))}-${formatIPValue(version, base + BigInt(e))}`,
  );

describe('interval sets agree with the expand-to-a-list model', () => {
  it('construction, union, subtraction, intersection', () => {
    fc.assert(
      fc.property(scenario, ({ w, a, b }) => {
        const A = toSet(w.version, w.base, a);
        const B = toSet(w.version, w.base, b);
        const na = naive(w.base, a);
        const nb = new Set(naive(w.base, b));
        expect(isCanonical(A)).toBe(true);
        expect(expand(A)).toEqual(na);
        const u = unionRangeSets(A, B);
        expect(isCanonical(u)).toBe(true);
        expect(expand(u)).toEqual(naive(w.base, [...a, ...b]));
        const d = subtractRangeSets(A, B);
        expect(isCanonical(d)).toBe(true);
        expect(expand(d)).toEqual(na.filter((v) => !nb.has(v)));
        const i = intersectRangeSets(A, B);
        expect(isCanonical(i)).toBe(true);
        expect(expand(i)).toEqual(na.filter((v) => nb.has(v)));
        expect(rangeSetsOverlap(A, B)).toBe(na.some((v) => nb.has(v)));
        expect(isRangeSetSubset(A, B)).toBe(na.every((v) => nb.has(v)));
      }),
      { numRuns: 400 },
    );
  });

  it('contains, size, at and indexOf', () => {
    fc.assert(
      fc.property(scenario, ({ w, a }) => {
        const A = toSet(w.version, w.base, a);
        const list = naive(w.base, a);
        expect(rangeSetSize(A)).toBe(BigInt(list.length));
        for (let k = 0; k < WINDOW; k++) {
          const v = w.base + BigInt(k);
          const idx = list.indexOf(v);
          expect(rangeSetContains(A, v)).toBe(idx >= 0);
          expect(rangeSetIndexOf(A, v)).toBe(BigInt(idx));
        }
        for (const [n, v] of list.entries()) expect(rangeSetAt(A, BigInt(n))).toBe(v);
        expect(rangeSetAt(A, BigInt(list.length))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});

describe('Spiderpool range texts agree with the model', () => {
  it('mergeIPRanges = expand, dedupe, sort, collapse runs; and it round-trips', () => {
    fc.assert(
      fc.property(scenario, ({ w, a }) => {
        const merged = mergeIPRanges(w.version, texts(w.version, w.base, a))._unsafeUnwrap();
        const list = naive(w.base, a);
        const runs: string[] = [];
        for (let k = 0; k < list.length; ) {
          let j = k;
          while (j + 1 < list.length && (list[j + 1] as bigint) === (list[j] as bigint) + 1n) j++;
          const s = formatIPValue(w.version, list[k] as bigint);
          runs.push(j === k ? s : `${s}-${formatIPValue(w.version, list[j] as bigint)}`);
          k = j + 1;
        }
        expect(merged).toEqual(runs);
        const again = parseIPRanges(w.version, merged)._unsafeUnwrap();
        expect(formatIPRanges(again)).toEqual(merged);
      }),
      { numRuns: 300 },
    );
  });

  it('isIPRangeOverlap and totalIPCount overlap detection match the model', () => {
    fc.assert(
      fc.property(scenario, ({ w, a }) => {
        const t = texts(w.version, w.base, a);
        const sets = a.map((p) => new Set(naive(w.base, [p])));
        let anyOverlap = false;
        for (let i = 0; i < a.length; i++) {
          for (let j = i + 1; j < a.length; j++) {
            const shared = [...(sets[i] as Set<bigint>)].some((v) => (sets[j] as Set<bigint>).has(v));
            anyOverlap ||= shared;
            expect(isIPRangeOverlap(w.version, t[i] as string, t[j] as string)._unsafeUnwrap()).toBe(shared);
          }
        }
        const subnet = w.version === 4 ? '0.0.0.0/0' : '::/0';
        const total = totalIPCount(subnet, t, []);
        if (anyOverlap) expect((total._unsafeUnwrapErr() as IPError)._tag).toBe('RangesOverlap');
        else expect(total._unsafeUnwrap()).toBe(BigInt(naive(w.base, a).length));
      }),
      { numRuns: 300 },
    );
  });
});

describe('address text round-trips', () => {
  it('formatIPValue then parseIP is the identity, and formatting is idempotent', () => {
    const v4 = fc.bigInt({ min: 0n, max: 0xffffffffn }).map((value) => ({ version: 4 as const, value }));
    const v6 = fc
      .oneof(
        fc.bigInt({ min: 0n, max: IPV6_MAX }),
        fc.bigInt({ min: 0n, max: 0xffffn }).map((x) => x << 96n),
        fc.bigInt({ min: 0n, max: 0xffffffffn }),
        fc.bigInt({ min: 0n, max: 0xffffffffn }).map((x) => (0xffffn << 32n) | x),
      )
      .map((value) => ({ version: 6 as const, value }));
    fc.assert(
      fc.property(fc.oneof(v4, v6), (ip) => {
        const text = formatIPValue(ip.version, ip.value);
        expect(parseIP(text)._unsafeUnwrap()).toEqual(ip);
        expect(text).toBe(text.toLowerCase());
        expect(text.split('::').length).toBeLessThanOrEqual(2);
      }),
      { numRuns: 2000 },
    );
  });
});
