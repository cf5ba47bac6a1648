// Differential property test: long random operation sequences against the WASM dense bitmap, the TS twin and
// a trivial Set model; every result and the final state must agree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DenseBitmap } from './index.ts';
import { createDenseBitmap, importDenseBitmap } from './index.ts';

type Op =
  | { t: 'alloc' }
  | { t: 'from' | 'claim' | 'release' | 'test'; i: number }
  | { t: 'mark'; a: number; b: number; used: boolean }
  | { t: 'roundtrip' };

/** Index picks: anywhere, or the first / last index, resolved against the size. */
const pick = fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom(-1, -2, -3));
const at = (p: number, size: number): number => (p < 0 ? Math.max(0, size + p) : p % size);

const opArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ t: 'alloc' as const }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constantFrom('from', 'claim', 'release', 'test'), i: pick }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('mark' as const),
      a: pick,
      w: fc.integer({ min: 0, max: 300 }),
      used: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'roundtrip' as const }) },
);

class SetModel {
  readonly used = new Set<number>();
  constructor(readonly size: number) {}
  from(c: number): number {
    for (let i = c; i < this.size; i++) if (!this.used.has(i)) return i;
    return -1;
  }
}

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

const applyModel = (m: SetModel, op: Op): unknown => {
  switch (op.t) {
    case 'alloc':
    case 'from': {
      const i = m.from(op.t === 'alloc' ? 0 : op.i);
      if (i >= 0) m.used.add(i);
      return i;
    }
    case 'claim': {
      if (m.used.has(op.i)) return false;
      m.used.add(op.i);
      return true;
    }
    case 'release':
      return m.used.delete(op.i);
    case 'test':
      return m.used.has(op.i);
    case 'mark': {
      let n = 0;
      for (let i = op.a; i <= op.b; i++) {
        if (m.used.has(i) === op.used) continue;
        n++;
        if (op.used) m.used.add(i);
        else m.used.delete(i);
      }
      return n;
    }
    case 'roundtrip':
      return undefined;
  }
};

const runsOf = (s: Set<number>): [number, number][] => {
  const out: [number, number][] = [];
  for (const i of [...s].sort((x, y) => x - y)) {
    const last = out[out.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else out.push([i, i]);
  }
  return out;
};

describe('dense: WASM vs TS vs Set model', () => {
  it('agree on every result of random operation sequences', () => {
    const sizeArb = fc.oneof(
      fc.constantFrom(1, 2, 31, 32, 33, 63, 64, 65, 127, 129, 4095, 4097, 70_001, 262_145, 16_777_219),
      fc.integer({ min: 1, max: 5000 }),
    );
    fc.assert(
      fc.property(sizeArb, fc.array(opArb, { minLength: 1, maxLength: 300 }), (size, rawOps) => {
        let wasm = createDenseBitmap(size, { impl: 'wasm' })._unsafeUnwrap();
        let ts = createDenseBitmap(size, { impl: 'ts' })._unsafeUnwrap();
        const model = new SetModel(size);
        for (const raw of rawOps) {
          const op: Op =
            raw.t === 'mark'
              ? (() => {
                  const a = at(raw.a, size);
                  return { t: 'mark', a, b: Math.min(size - 1, a + raw.w), used: raw.used };
                })()
              : raw.t === 'alloc' || raw.t === 'roundtrip'
                ? raw
                : { t: raw.t, i: at(raw.i, size) };
          const expected = applyModel(model, op);
          const w = apply(wasm, op);
          const t = apply(ts, op);
          if (op.t === 'roundtrip') {
            expect(w).toEqual(t);
            const w2 = importDenseBitmap(w as Uint8Array, { impl: 'wasm' })._unsafeUnwrap();
            const t2 = importDenseBitmap(t as Uint8Array, { impl: 'ts' })._unsafeUnwrap();
            wasm.dispose();
            ts.dispose();
            wasm = w2;
            ts = t2;
          } else {
            expect(w).toBe(expected);
            expect(t).toBe(expected);
          }
          expect(wasm.usedCount).toBe(model.used.size);
          expect(ts.usedCount).toBe(model.used.size);
        }
        const runs = runsOf(model.used);
        expect([...wasm.runs()]).toEqual(runs);
        expect([...ts.runs()]).toEqual(runs);
        wasm.dispose();
        ts.dispose();
      }),
      { numRuns: 200 },
    );
  });
});
