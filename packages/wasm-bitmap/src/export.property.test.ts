// The WASM dense export is built in the module (assembly/denseExport.ts): for any state it must give the
// same bytes as the TS twin and as the shared TS codec run over the WASM engine itself.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeDense } from './codec.ts';
import { createDenseBitmap, importDenseBitmap } from './index.ts';
import { createWasmDenseEngine } from './wasmDense.ts';

const fills = fc.oneof(
  fc.constant({ t: 'noise' as const, density: 0.5 }),
  fc.record({ t: fc.constant('noise' as const), density: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    t: fc.constant('runs' as const),
    every: fc.integer({ min: 1, max: 40 }),
    len: fc.integer({ min: 1, max: 40 }),
  }),
);

describe('WASM dense export', () => {
  it('is byte-identical to the TS twin and to the TS codec, in both encodings (property)', () => {
    let raw = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6000 }), fills, fc.integer(), (size, fill, seed) => {
        const w = createWasmDenseEngine(size)._unsafeUnwrap();
        const t = createDenseBitmap(size, { impl: 'ts' })._unsafeUnwrap();
        let x = seed | 1;
        for (let i = 0; i < size; i++) {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          const on =
            fill.t === 'noise' ? (x >>> 0) / 2 ** 32 < fill.density : i % (fill.every + fill.len) < fill.len;
          if (on) {
            w.set(i);
            t.claim(i);
          }
        }
        const bytes = w.encode();
        expect(bytes).toEqual(t.exportBytes());
        expect(bytes).toEqual(encodeDense(w, size));
        if (bytes[6] === 0) raw++;
        else runs++;
        const back = importDenseBitmap(bytes, { impl: 'ts' })._unsafeUnwrap();
        expect(back.usedCount).toBe(w.used());
        back.dispose();
        w.free();
        t.dispose();
      }),
      { numRuns: 300 },
    );
    expect(raw).toBeGreaterThan(20);
    expect(runs).toBeGreaterThan(20);
  });

  it('handles the empty and the full largest-ish space without a runs buffer blow-up', () => {
    for (const size of [1, 7, 8, 9, 1 << 20]) {
      const b = createDenseBitmap(size, { impl: 'wasm' })._unsafeUnwrap();
      const t = createDenseBitmap(size, { impl: 'ts' })._unsafeUnwrap();
      expect(b.exportBytes()).toEqual(t.exportBytes());
      b.markRange(0, size - 1, true);
      t.markRange(0, size - 1, true);
      expect(b.exportBytes()).toEqual(t.exportBytes());
      b.dispose();
      t.dispose();
    }
  });
});
