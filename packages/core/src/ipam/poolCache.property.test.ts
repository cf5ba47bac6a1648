import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAllocatedIPs, type PoolIPAllocation } from '../api/index.ts';
import { ipPool } from './engineTestKit.ts';
import { PoolAllocator } from './poolAllocator.ts';
import { PoolAllocatorCache } from './poolCache.ts';
import { EMPTY_RESERVED } from './reservedIPs.ts';

const poolAt = (rv: number, records: Map<string, PoolIPAllocation>) => {
  const p = ipPool('p', '10.0.0.0/24', { ips: ['10.0.0.0-10.0.0.31'], excludeIPs: ['10.0.0.7'] });
  p.metadata.resourceVersion = String(rv);
  p.metadata.generation = 1;
  const enc = encodeAllocatedIPs(records);
  if (enc !== undefined) p.status = { allocatedIPs: enc };
  return p;
};

/** Every free IP in order, by taking until empty (consumes the allocator). */
const drain = (a: PoolAllocator): string[] => {
  const out: string[] = [];
  for (let ip = a.take(); ip !== undefined; ip = a.take()) out.push(ip);
  return out;
};

describe('PoolAllocatorCache (property)', () => {
  it('a cache kept in step by diffs, own writes and dirty marks answers like a fresh build', () => {
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('theirs' as const),
        add: fc.array(fc.nat(31), { maxLength: 4 }),
        drop: fc.array(fc.nat(31), { maxLength: 4 }),
      }),
      fc.record({ kind: fc.constant('ours' as const), n: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('failed' as const), n: fc.integer({ min: 1, max: 3 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        const cache = new PoolAllocatorCache();
        let truth = new Map<string, PoolIPAllocation>();
        let rv = 1;
        for (const s of steps) {
          const a = cache.sync(poolAt(rv, truth), EMPTY_RESERVED)._unsafeUnwrap();
          if (s.kind === 'theirs') {
            truth = new Map(truth);
            for (const n of s.drop) truth.delete(`10.0.0.${n}`);
            for (const n of s.add)
              if (n !== 7) truth.set(`10.0.0.${n}`, { pod: `x/${n}`, podUid: `t${n}-${rv}` });
            rv++;
          } else {
            for (let i = 0; i < s.n; i++) {
              const ip = a.take();
              if (ip !== undefined) a.addRecord(ip, { pod: 'o/o', podUid: `o${rv}-${i}` });
            }
            expect(a.encodeStatus()).toBe(encodeAllocatedIPs(new Map(a.records)));
            if (s.kind === 'ours') {
              truth = new Map(a.records);
              rv++;
              cache.advance('p', String(rv));
            } else {
              cache.markDirty('p');
            }
          }
        }
        const cached = cache.sync(poolAt(rv, truth), EMPTY_RESERVED)._unsafeUnwrap();
        expect(new Map(cached.records)).toEqual(truth);
        // The incrementally kept status text is what a full encode of the same records gives.
        expect(cached.encodeStatus()).toBe(encodeAllocatedIPs(truth));
        const fresh = PoolAllocator.build(poolAt(rv, truth), undefined)._unsafeUnwrap();
        expect(drain(cached)).toEqual(drain(fresh));
        fresh.dispose();
        cache.dispose();
      }),
      { numRuns: 150 },
    );
  });
});
