// Differential property test of the paged layout: the same random operation sequences against the flat WASM
// bitmap (itself checked against a Set model in dense.property.test.ts), the paged WASM bitmap and the
// paged TS twin. Picks, sets, clears, ranges, counts, runs and exports must agree at every step, and both
// paged engines must audit clean at the end. Indices cluster around page boundaries (2^16).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DenseBitmap } from './index.ts';
import { createDenseBitmap, importDenseBitmap } from './index.ts';

const PAGE = 1 << 16;

type Op =
  | { t: 'alloc' }
  | { t: 'from' | 'claim' | 'release' | 'test'; i: number }
  | { t: 'mark'; a: number; b: number; used: boolean }
  | { t: 'roundtrip' };

/** An index near a page boundary (page k, offset -8..8), anywhere, or near the end. */
const pickArb = fc.oneof(
  fc
    .record({ page: fc.nat({ max: 300 }), off: fc.integer({ min: -8, max: 8 }) })
    .map((r) => r.page * PAGE + r.off),
  fc.nat({ max: 2 ** 31 }),
  fc.integer({ min: -70_000, max: -1 }),
);
const at = (p: number, size: number): number => (p < 0 ? Math.max(0, size + p) : p % size);

const rawOpArb = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ t: 'alloc' as const, p: 0, w: 0, used: false }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constantFrom('from' as const, 'claim' as const, 'release' as const, 'test' as const),
      p: pickArb,
      w: fc.constant(0),
      used: fc.constant(false),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('mark' as const),
      p: pickArb,
      // short ranges, and ranges of one to three whole pages (the paged layout keeps those as a mark)
      w: fc.oneof(fc.nat({ max: 300 }), fc.integer({ min: PAGE - 2, max: 3 * PAGE + 2 })),
      used: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'roundtrip' as const, p: 0, w: 0, used: false }) },
);

const apply = (b: DenseBitmap, op: Op): unknown => {
  switch (op.t) {
    case 'alloc':
      return b.allocate();
    case 'from':
      return b.allocateFrom(op.i)._unsafeUnwrap();
    case 'claim':
      return b.claim(op.i)._unsafeUnwrap();
    case 'release':
      return b.release(op.i)._unsafeUnwrap();
    case 'test':
      return b.test(op.i)._unsafeUnwrap();
    case 'mark':
      return b.markRange(op.a, op.b, op.used)._unsafeUnwrap();
    case 'roundtrip':
      return b.exportBytes();
  }
};

describe('paged layout: flat WASM vs paged WASM vs paged TS', () => {
  it('agree on every pick, set, clear, range, count, run and export', () => {
    const sizeArb = fc.oneof(
      fc.constantFrom(1, 2, 64, 65_535, 65_536, 65_537, 2 * PAGE + 5, 256 * PAGE + 3, 300 * PAGE),
      fc.integer({ min: 1, max: 400 * PAGE }),
    );
    fc.assert(
      fc.property(sizeArb, fc.array(rawOpArb, { minLength: 1, maxLength: 200 }), (size, raws) => {
        let flat = createDenseBitmap(size, { impl: 'wasm' })._unsafeUnwrap();
        let paged = createDenseBitmap(size, { impl: 'wasm', layout: 'paged' })._unsafeUnwrap();
        let twin = createDenseBitmap(size, { impl: 'ts', layout: 'paged' })._unsafeUnwrap();
        for (const raw of raws) {
          const a = at(raw.p, size);
          const op: Op =
            raw.t === 'mark'
              ? { t: 'mark', a, b: Math.min(size - 1, a + raw.w), used: raw.used }
              : raw.t === 'alloc' || raw.t === 'roundtrip'
                ? { t: raw.t }
                : { t: raw.t, i: a };
          const expected = apply(flat, op);
          const p = apply(paged, op);
          const t = apply(twin, op);
          if (op.t === 'roundtrip') {
            expect(p).toEqual(expected);
            expect(t).toEqual(expected);
            const bytes = expected as Uint8Array;
            const next = [
              importDenseBitmap(bytes, { impl: 'wasm' })._unsafeUnwrap(),
              importDenseBitmap(bytes, { impl: 'wasm', layout: 'paged' })._unsafeUnwrap(),
              importDenseBitmap(bytes, { impl: 'ts', layout: 'paged' })._unsafeUnwrap(),
            ] as const;
            for (const b of [flat, paged, twin]) b.dispose();
            [flat, paged, twin] = next;
          } else {
            expect(p).toBe(expected);
            expect(t).toBe(expected);
          }
          expect(paged.usedCount).toBe(flat.usedCount);
          expect(twin.usedCount).toBe(flat.usedCount);
        }
        const runs = [...flat.runs()];
        expect([...paged.runs()]).toEqual(runs);
        expect([...twin.runs()]).toEqual(runs);
        expect(paged.audit()._unsafeUnwrap()).toBe(flat.usedCount);
        expect(twin.audit()._unsafeUnwrap()).toBe(flat.usedCount);
        for (const b of [flat, paged, twin]) b.dispose();
      }),
      { numRuns: 150 },
    );
  });
});
