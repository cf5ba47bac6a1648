// Many allocators share one WebAssembly memory; dispose() must give their blocks back so that churn does
// not grow it.
import { describe, expect, it } from 'vitest';
import { createDenseBitmap, createSparseBitmap, importDenseBitmap, wasmMemoryBytes } from './index.ts';

const churn = (rounds: number): void => {
  for (let r = 0; r < rounds; r++) {
    const d = createDenseBitmap(65_536 + r, { impl: 'wasm' })._unsafeUnwrap();
    d.markRange(0, 1000, true);
    d.allocate();
    const s = createSparseBitmap(1n << 64n, { impl: 'wasm' })._unsafeUnwrap();
    for (let i = 0n; i < 50n; i++) s.claim(i * 100_003n);
    s.claim((1n << 63n) + 7n);
    d.dispose();
    s.dispose();
  }
};

describe('shared WASM memory', () => {
  it('stops growing when 10k allocators are created and disposed in a loop', () => {
    churn(200);
    const warm = wasmMemoryBytes();
    expect(warm).toBeGreaterThan(0);
    churn(10_000);
    expect(wasmMemoryBytes()).toBe(warm);
  });

  it('keeps existing allocators correct across memory.grow', () => {
    const small = createDenseBitmap(1000, { impl: 'wasm' })._unsafeUnwrap();
    small.markRange(3, 500, true);
    const before = small.exportBytes();
    const grown = wasmMemoryBytes();
    const big = createDenseBitmap(2 ** 28, { impl: 'wasm' })._unsafeUnwrap(); // 32 MiB block
    expect(wasmMemoryBytes()).toBeGreaterThan(grown);
    big.markRange(0, 2 ** 28 - 1, true);
    expect(small.exportBytes()).toEqual(before);
    expect([...small.runs()]).toEqual([[3, 500]]);
    expect(small.allocate()).toBe(0);
    const back = importDenseBitmap(before, { impl: 'wasm' })._unsafeUnwrap();
    expect([...back.runs()]).toEqual([[3, 500]]);
    for (const b of [small, big, back]) b.dispose();
  });

  it('holds a thousand live allocators at once and reuses their memory once they are gone', () => {
    const live = Array.from({ length: 1000 }, () =>
      createDenseBitmap(4096, { impl: 'wasm' })._unsafeUnwrap(),
    );
    for (const [i, b] of live.entries()) b.claim(i % 4096);
    const peak = wasmMemoryBytes();
    for (const b of live) expect(b.usedCount).toBe(1);
    for (const b of live) b.dispose();
    const again = Array.from({ length: 1000 }, () =>
      createDenseBitmap(4096, { impl: 'wasm' })._unsafeUnwrap(),
    );
    expect(wasmMemoryBytes()).toBe(peak);
    for (const b of again) expect(b.usedCount).toBe(0);
    for (const b of again) b.dispose();
  });
});
