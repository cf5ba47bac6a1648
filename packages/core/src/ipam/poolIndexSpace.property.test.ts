// The layout choice at the index-space factory: flat up to PAGED_LAYOUT_ABOVE, paged above, sparse past 2^32;
// and a differential property: the same operations through a flat and a paged space give the same picks,
// claims, releases, tests and counts (the allocator's results do not depend on the layout).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIndexSpace, PAGED_LAYOUT_ABOVE } from './poolIndexSpace.ts';

describe('createIndexSpace layout', () => {
  it('is flat up to the threshold, paged above it, sparse past 2^32', () => {
    const cases = [
      [256n, 'dense', 'flat'],
      [PAGED_LAYOUT_ABOVE, 'dense', 'flat'],
      [PAGED_LAYOUT_ABOVE + 1n, 'dense', 'paged'],
      [2n ** 31n, 'dense', 'paged'], // an IPv4 /1
      [2n ** 32n, 'dense', 'paged'], // an IPv4 /0, an IPv6 /96
      [2n ** 32n + 1n, 'sparse', undefined],
      [2n ** 64n, 'sparse', undefined], // an IPv6 /64
    ] as const;
    for (const [size, kind, layout] of cases) {
      const s = createIndexSpace(size);
      expect([s.kind, s.layout]).toEqual([kind, layout]);
      s.dispose();
    }
  });
});

type Op =
  | { t: 'alloc' }
  | { t: 'claim' | 'release' | 'test'; i: bigint }
  | { t: 'mark'; a: bigint; b: bigint };

describe('flat and paged index spaces', () => {
  it('give identical sequences of picks, claims, releases and tests (property)', () => {
    const PAGE = 1n << 16n;
    const sizeArb = fc.oneof(
      fc.constantFrom(PAGED_LAYOUT_ABOVE + 1n, 2n ** 24n, 2n ** 26n + 3n),
      fc.bigInt({ min: 1n, max: 64n * PAGE }),
    );
    const idx = fc.oneof(
      fc
        .record({ p: fc.bigInt({ min: 0n, max: 300n }), o: fc.bigInt({ min: -4n, max: 4n }) })
        .map((r) => r.p * PAGE + r.o),
      fc.bigInt({ min: 0n, max: 2n ** 32n }),
    );
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      { weight: 4, arbitrary: fc.constant({ t: 'alloc' as const }) },
      {
        weight: 3,
        arbitrary: fc.record({
          t: fc.constantFrom('claim' as const, 'release' as const, 'test' as const),
          i: idx,
        }),
      },
      {
        weight: 1,
        arbitrary: fc
          .record({ a: idx, w: fc.bigInt({ min: 0n, max: 3n * PAGE }) })
          .map((r) => ({ t: 'mark' as const, a: r.a, b: r.a + r.w })),
      },
    );
    fc.assert(
      fc.property(sizeArb, fc.array(opArb, { minLength: 1, maxLength: 150 }), (size, ops) => {
        const flat = createIndexSpace(size, 'wasm', 'flat');
        const paged = createIndexSpace(size, 'wasm', 'paged');
        const inRange = (i: bigint): bigint => ((i % size) + size) % size;
        for (const op of ops) {
          if (op.t === 'alloc') expect(paged.allocate()).toBe(flat.allocate());
          else if (op.t === 'mark') {
            const a = inRange(op.a);
            const b = op.b - op.a + a >= size ? size - 1n : op.b - op.a + a;
            flat.markUsed(a, b);
            paged.markUsed(a, b);
          } else {
            const i = inRange(op.i);
            expect(paged[op.t](i)).toBe(flat[op.t](i));
          }
          expect(paged.usedCount).toBe(flat.usedCount);
        }
        flat.dispose();
        paged.dispose();
      }),
      { numRuns: 100 },
    );
  });
});
