// A runs() iterator resumed after dispose() throws the use-after-dispose error instead of reading memory
// that was freed (and, for WASM, possibly reused by another allocator by then).
import { describe, expect, it } from 'vitest';
import { createDenseBitmap, createSparseBitmap } from './index.ts';

describe.each(['wasm', 'ts'] as const)('runs() after dispose (%s)', (impl) => {
  it('dense: throws on resume, even when another allocator reused the memory', () => {
    const b = createDenseBitmap(10_000, { impl })._unsafeUnwrap();
    b.markRange(0, 9, true);
    b.markRange(100, 109, true);
    b.markRange(5000, 5009, true);
    const it1 = b.runs();
    expect(it1.next().value).toEqual([0, 9]);
    const notStarted = b.runs();
    b.dispose();
    const reuse = createDenseBitmap(10_000, { impl })._unsafeUnwrap();
    reuse.markRange(0, 9999, true);
    expect(() => it1.next()).toThrow('DenseBitmap used after dispose()');
    expect(() => notStarted.next()).toThrow('DenseBitmap used after dispose()');
    reuse.dispose();
  });

  it('dense: throws on resume after the last run too', () => {
    const b = createDenseBitmap(100, { impl })._unsafeUnwrap();
    b.claim(7);
    const it1 = b.runs();
    expect(it1.next().value).toEqual([7, 7]);
    b.dispose();
    expect(() => it1.next()).toThrow(/after dispose/);
  });

  it('sparse: throws on resume', () => {
    const b = createSparseBitmap(1n << 64n, { impl })._unsafeUnwrap();
    b.markRange(0n, 9n, true);
    b.claim(1n << 63n);
    const it1 = b.runs();
    expect(it1.next().value).toEqual([0n, 9n]);
    b.dispose();
    expect(() => it1.next()).toThrow('SparseBitmap used after dispose()');
  });
});
