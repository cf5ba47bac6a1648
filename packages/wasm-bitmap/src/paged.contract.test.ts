// What the paged layout adds to the dense contract (dense.contract.test.ts runs that on both layouts):
// memory follows what is allocated, whole-page ranges take no page memory, emptied pages are given back,
// and audit() sees the layout's own invariants.
import { describe, expect, it } from 'vitest';
import type { BitmapImpl, DenseBitmap } from './index.ts';
import { createDenseBitmap, DENSE_MAX_SIZE, wasmMemoryBytes } from './index.ts';
import { corruptForTest } from './testHooks.ts';

const PAGE = 1 << 16;
const paged = (size: number, impl: BitmapImpl): DenseBitmap =>
  createDenseBitmap(size, { impl, layout: 'paged' })._unsafeUnwrap();

describe.each(['wasm', 'ts'] as const)('paged layout (%s)', (impl) => {
  it('holds an empty /0 and /1 in a few KiB (flat: 512 MiB and 256 MiB)', () => {
    for (const size of [DENSE_MAX_SIZE, DENSE_MAX_SIZE / 2]) {
      const b = paged(size, impl);
      expect(b.byteLength).toBeLessThan(16 * 1024);
      expect(b.allocate()).toBe(0);
      expect(b.byteLength).toBeLessThan(32 * 1024); // the summary plus one page of 8 KiB
      b.dispose();
    }
  });

  it('grows with the allocated indices, not the range, and gives emptied pages back', () => {
    const b = paged(DENSE_MAX_SIZE, impl);
    const empty = b.byteLength;
    const n = 1_000_000;
    for (let i = 0; i < n; i++) b.allocate();
    const pages = Math.ceil(n / PAGE);
    expect(b.byteLength - empty).toBeLessThan(pages * (PAGE / 8) * 1.05 + 2048);
    for (let i = 0; i < n; i++) b.release(i);
    expect(b.usedCount).toBe(0);
    // What stays: a chunk of page slots (1 KiB) and one emptied page kept as the spare (~8.3 KiB).
    expect(b.byteLength).toBeLessThanOrEqual(empty + 1024 + 8408);
    expect(b.audit()._unsafeUnwrap()).toBe(0);
    b.dispose();
  });

  it('keeps whole-page ranges as marks, and makes a page only where one index is released', () => {
    const b = paged(DENSE_MAX_SIZE, impl);
    expect(b.markRange(0, DENSE_MAX_SIZE - 1, true)._unsafeUnwrap()).toBe(DENSE_MAX_SIZE);
    // No page: wasm keeps 256 chunks of page slots (1 KiB each), the TS twin a Map entry (~16 B) per page.
    expect(b.byteLength).toBeLessThan((impl === 'wasm' ? 300 : 1100) * 1024);
    expect(b.allocate()).toBe(-1);
    expect(b.release(3 * PAGE + 7)._unsafeUnwrap()).toBe(true);
    expect(b.allocateFrom(PAGE)._unsafeUnwrap()).toBe(3 * PAGE + 7);
    expect(b.release(5)._unsafeUnwrap()).toBe(true);
    expect(b.allocate()).toBe(5);
    expect(b.audit()._unsafeUnwrap()).toBe(DENSE_MAX_SIZE);
    expect(b.markRange(PAGE + 1, DENSE_MAX_SIZE - 2, false)._unsafeUnwrap()).toBe(DENSE_MAX_SIZE - PAGE - 2);
    expect([...b.runs()]).toEqual([
      [0, PAGE],
      [DENSE_MAX_SIZE - 1, DENSE_MAX_SIZE - 1],
    ]);
    expect(b.audit()._unsafeUnwrap()).toBe(PAGE + 2);
    b.dispose();
  });

  it('handles a last page shorter than 2^16', () => {
    const size = 3 * PAGE + 10;
    const b = paged(size, impl);
    b.markRange(0, 3 * PAGE - 1, true);
    for (let i = 0; i < 10; i++) expect(b.allocate()).toBe(3 * PAGE + i);
    expect(b.allocate()).toBe(-1);
    expect(b.usedCount).toBe(size);
    expect(b.release(size - 1)._unsafeUnwrap()).toBe(true);
    expect(b.allocateFrom(0)._unsafeUnwrap()).toBe(size - 1);
    expect(b.audit()._unsafeUnwrap()).toBe(size);
    b.dispose();
  });

  it('audit() reports a kept count and a page summary that disagree with the pages', () => {
    const b = paged(10 * PAGE, impl);
    b.markRange(10, 500, true);
    expect(corruptForTest(b, 'count')).toBe(true);
    expect(b.audit()._unsafeUnwrapErr()).toMatchObject({ invariant: 'count', recorded: 492, counted: 491 });
    b.dispose();
    const c = paged(10 * PAGE, impl);
    c.markRange(10, 500, true);
    expect(corruptForTest(c, 'summary')).toBe(true); // page 0 marked full
    const v = c.audit()._unsafeUnwrapErr();
    expect(v).toMatchObject({ invariant: 'summary', level: -1, at: 0 });
    expect(v.message).toMatch(/page full.*page 0/);
    expect(corruptForTest(c, 'padding')).toBe(false); // pages have the flat layout's padding, checked inside
    c.dispose();
  });
});

describe('paged layout (wasm) in the shared memory', () => {
  it('does not grow the memory when paged allocators are created, filled and disposed in a loop', () => {
    const churn = (rounds: number): void => {
      for (let r = 0; r < rounds; r++) {
        const b = paged(DENSE_MAX_SIZE, 'wasm');
        for (let i = 0; i < 3000; i++) b.allocate();
        b.markRange(2 ** 31, 2 ** 31 + 3 * PAGE, true);
        b.claim(2 ** 32 - 1);
        b.dispose();
      }
    };
    churn(50);
    const warm = wasmMemoryBytes();
    churn(2000);
    expect(wasmMemoryBytes()).toBe(warm);
  });
});
