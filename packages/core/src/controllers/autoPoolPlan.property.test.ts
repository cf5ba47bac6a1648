// planAutoPool against a model that expands every set into a sorted list of small integers (addresses of a
// 64-address window of 10.0.0.0/8).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type IPRangeSet, rangeSetFromIntervals, rangeSetValues } from '../ip/index.ts';
import { lowestOf, planAutoPool } from './autoPoolPlan.ts';

const BASE = 0x0a000000n;
const toSet = (xs: readonly number[]): IPRangeSet =>
  rangeSetFromIntervals(
    4,
    xs.map((x) => ({ start: BASE + BigInt(x), end: BASE + BigInt(x) })),
  );
const toList = (s: IPRangeSet): number[] => [...rangeSetValues(s)].map((v) => Number(v - BASE));
const sub = (a: readonly number[], b: readonly number[]) => a.filter((x) => !b.includes(x));
const uniq = (xs: readonly number[]) => [...new Set(xs)].sort((a, b) => a - b);

const addr = fc.integer({ min: 0, max: 63 });
const world = fc
  .record({
    total: fc.uniqueArray(addr, { maxLength: 64 }),
    reserved: fc.uniqueArray(addr, { maxLength: 8 }),
    others: fc.uniqueArray(addr, { maxLength: 20 }),
    entry: fc.option(fc.uniqueArray(addr, { maxLength: 20 }), { nil: undefined }),
    pool: fc.option(fc.uniqueArray(addr, { maxLength: 20 }), { nil: undefined }),
    allocPick: fc.array(fc.nat(), { maxLength: 10 }),
    desired: fc.integer({ min: 0, max: 40 }),
  })
  .map((w) => {
    // the model's consistent states: entry/pool inside the subnet, outside every other pool
    const total = uniq(w.total);
    const others = uniq(w.others.filter((x) => total.includes(x)));
    const clean = (xs: readonly number[] | undefined) =>
      xs === undefined
        ? undefined
        : uniq(
            sub(
              xs.filter((x) => total.includes(x)),
              others,
            ),
          );
    const entry = clean(w.entry);
    const pool = clean(w.pool);
    const held = uniq([...(entry ?? []), ...(pool ?? [])]);
    const allocated = uniq(
      w.allocPick.flatMap((i) => (held.length === 0 ? [] : [held[i % held.length] as number])),
    );
    return { ...w, total, others, entry, pool, held, allocated };
  });

describe('planAutoPool (property, vs an expanded-list model)', () => {
  it('keeps records, avoids other pools, takes the lowest free, drops the lowest unused', () => {
    fc.assert(
      fc.property(world, (w) => {
        const r = planAutoPool({
          pool: 'p',
          subnet: 's',
          subnetTotal: toSet(w.total),
          reserved: toSet(w.reserved),
          others: toSet(w.others),
          ...(w.entry === undefined ? {} : { entry: toSet(w.entry) }),
          ...(w.pool === undefined ? {} : { poolIPs: toSet(w.pool) }),
          allocated: toSet(w.allocated),
          desired: BigInt(w.desired),
        });
        const have = w.held.length;
        if (have < w.desired) {
          const free = sub(sub(sub(w.total, w.others), w.held), w.reserved);
          const need = w.desired - have;
          if (free.length < need) {
            expect(r._unsafeUnwrapErr()._tag).toBe('InsufficientSubnetIPs');
            return;
          }
          expect(toList(r._unsafeUnwrap().ips)).toEqual(uniq([...w.held, ...free.slice(0, need)]));
        } else if (have > w.desired) {
          const unused = sub(w.held, w.allocated);
          const drop = have - w.desired;
          if (unused.length < drop) {
            expect(r._unsafeUnwrapErr()._tag).toBe('FreeIPsNotEnough');
            return;
          }
          expect(toList(r._unsafeUnwrap().ips)).toEqual(sub(w.held, unused.slice(0, drop)));
        } else {
          expect(toList(r._unsafeUnwrap().ips)).toEqual(w.held);
        }
        const ips = toList(r._unsafeUnwrap().ips);
        expect(ips.length).toBe(w.desired);
        expect(sub(w.allocated, ips)).toEqual([]);
        expect(ips.filter((x) => w.others.includes(x))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('records outside the reservation are refused', () => {
    const r = planAutoPool({
      pool: 'p',
      subnet: 's',
      subnetTotal: toSet([1, 2, 3, 4]),
      reserved: toSet([]),
      others: toSet([3]),
      entry: toSet([1]),
      poolIPs: toSet([1, 3]),
      allocated: toSet([3]),
      desired: 1n,
    });
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: 'AllocationOutsideReservation', ips: ['10.0.0.3'] });
  });

  it('lowestOf cuts inside an interval and stops at the set size', () => {
    const s = toSet([1, 2, 3, 7, 8]);
    expect(toList(lowestOf(s, 4n))).toEqual([1, 2, 3, 7]);
    expect(toList(lowestOf(s, 9n))).toEqual([1, 2, 3, 7, 8]);
    expect(toList(lowestOf(s, 0n))).toEqual([]);
  });

  it('works on an IPv6 /64 without expanding it', () => {
    const total = rangeSetFromIntervals(6, [{ start: 1n << 64n, end: (1n << 65n) - 1n }]);
    const r = planAutoPool({
      pool: 'p',
      subnet: 's6',
      subnetTotal: total,
      reserved: rangeSetFromIntervals(6, []),
      others: rangeSetFromIntervals(6, [{ start: 1n << 64n, end: (1n << 64n) + 9n }]),
      allocated: rangeSetFromIntervals(6, []),
      desired: 1n << 40n,
    });
    const ips = r._unsafeUnwrap().ips;
    expect(ips.intervals).toEqual([{ start: (1n << 64n) + 10n, end: (1n << 64n) + 9n + (1n << 40n) }]);
  });
});
