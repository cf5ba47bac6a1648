// The shared contract every dense implementation passes (run once per impl and layout).
import { describe, expect, it } from 'vitest';
import type { BitmapImpl, DenseBitmap, DenseLayout } from './index.ts';
import { createDenseBitmap, DENSE_MAX_SIZE, importDenseBitmap } from './index.ts';

const CASES = [
  ['wasm', 'flat'],
  ['ts', 'flat'],
  ['wasm', 'paged'],
  ['ts', 'paged'],
] as const;

describe.each(CASES)('DenseBitmap (%s, %s)', (impl: BitmapImpl, layout: DenseLayout) => {
  const make = (size: number): DenseBitmap => createDenseBitmap(size, { impl, layout })._unsafeUnwrap();

  it('reports the implementation and layout it was asked for', () => {
    const b = make(10);
    expect(b.impl).toBe(impl);
    expect(b.kind).toBe('dense');
    expect(b.layout).toBe(layout);
    b.dispose();
  });

  it('allocates lowest free in order and returns -1 when full (size not a multiple of 64)', () => {
    const b = make(130);
    for (let i = 0; i < 130; i++) expect(b.allocate()).toBe(i);
    expect(b.allocate()).toBe(-1);
    expect(b.usedCount).toBe(130);
    expect(b.freeCount).toBe(0);
    expect(b.release(77)._unsafeUnwrap()).toBe(true);
    expect(b.release(77)._unsafeUnwrap()).toBe(false);
    expect(b.allocate()).toBe(77);
    b.dispose();
  });

  it('claims, releases and tests single indices', () => {
    const b = make(1000);
    expect(b.claim(5)._unsafeUnwrap()).toBe(true);
    expect(b.claim(5)._unsafeUnwrap()).toBe(false);
    expect(b.test(5)._unsafeUnwrap()).toBe(true);
    expect(b.test(6)._unsafeUnwrap()).toBe(false);
    expect(b.allocate()).toBe(0);
    expect(b.usedCount).toBe(2);
    expect(b.release(5)._unsafeUnwrap()).toBe(true);
    expect(b.test(5)._unsafeUnwrap()).toBe(false);
    b.dispose();
  });

  it('allocateFrom finds the lowest free at or after the cursor, without wrapping', () => {
    const b = make(200);
    b.markRange(100, 199, true);
    expect(b.allocateFrom(50)._unsafeUnwrap()).toBe(50);
    expect(b.allocateFrom(50)._unsafeUnwrap()).toBe(51);
    expect(b.allocateFrom(120)._unsafeUnwrap()).toBe(-1);
    expect(b.allocateFrom(199)._unsafeUnwrap()).toBe(-1);
    b.dispose();
  });

  it('marks ranges in one call and counts the changes', () => {
    const b = make(1000);
    expect(b.markRange(10, 700, true)._unsafeUnwrap()).toBe(691);
    expect(b.markRange(0, 999, true)._unsafeUnwrap()).toBe(309);
    expect(b.markRange(64, 127, false)._unsafeUnwrap()).toBe(64);
    expect(b.usedCount).toBe(936);
    expect(b.allocate()).toBe(64);
    expect([...b.runs()]).toEqual([
      [0, 64],
      [128, 999],
    ]);
    b.dispose();
  });

  it('rejects bad indices, sizes and ranges with typed errors and leaves the bitmap unchanged', () => {
    const b = make(100);
    for (const bad of [-1, 100, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 32]) {
      const e = b.claim(bad);
      expect(e.isErr()).toBe(true);
      expect(e._unsafeUnwrapErr()._tag).toBe('InvalidIndex');
    }
    expect(b.claim(-1)._unsafeUnwrapErr()).toMatchObject({ problem: 'negative' });
    expect(b.claim(100)._unsafeUnwrapErr()).toMatchObject({ problem: 'outOfRange' });
    expect(b.claim(1.5)._unsafeUnwrapErr()).toMatchObject({ problem: 'notInteger' });
    // A bigint (the sparse bitmap's index type) or a string is an error too, never a TypeError.
    for (const wrong of [5n, '5', null, undefined] as unknown as number[]) {
      expect(b.claim(wrong)._unsafeUnwrapErr()).toMatchObject({
        _tag: 'InvalidIndex',
        problem: 'notInteger',
      });
      expect(b.release(wrong)._unsafeUnwrapErr()._tag).toBe('InvalidIndex');
      expect(b.test(wrong)._unsafeUnwrapErr()._tag).toBe('InvalidIndex');
      expect(b.allocateFrom(wrong)._unsafeUnwrapErr()._tag).toBe('InvalidIndex');
      expect(b.markRange(wrong, 10, true)._unsafeUnwrapErr()._tag).toBe('InvalidIndex');
    }
    expect(b.markRange(5, 4, true)._unsafeUnwrapErr()._tag).toBe('InvalidRange');
    expect(b.markRange(5, 100, true)._unsafeUnwrapErr()._tag).toBe('InvalidIndex');
    expect(b.allocateFrom(100)._unsafeUnwrapErr()._tag).toBe('InvalidIndex');
    expect(b.usedCount).toBe(0);
    for (const size of [0, -1, 1.5, DENSE_MAX_SIZE + 1, Number.NaN])
      expect(createDenseBitmap(size, { impl, layout })._unsafeUnwrapErr()._tag).toBe('InvalidSize');
    b.dispose();
  });

  it('round-trips through exportBytes, across implementations, in both encodings', () => {
    for (const fill of ['sparse', 'dense'] as const) {
      const b = make(1001);
      for (let i = 0; i < 1001; i++) if (fill === 'dense' ? (i * 7919) % 3 !== 0 : i % 97 === 3) b.claim(i);
      const bytes = b.exportBytes();
      const next = b.allocate();
      b.release(next);
      expect(bytes[6]).toBe(fill === 'dense' ? 0 : 1); // raw bitmap vs runs
      for (const [other, otherLayout] of CASES) {
        const c = importDenseBitmap(bytes, { impl: other, layout: otherLayout })._unsafeUnwrap();
        expect(c.layout).toBe(otherLayout);
        expect(c.usedCount).toBe(b.usedCount);
        expect([...c.runs()]).toEqual([...b.runs()]);
        expect(c.exportBytes()).toEqual(bytes);
        expect(c.allocate()).toBe(next);
        c.dispose();
      }
      b.dispose();
    }
  });

  it('returns a typed error, never a throw, for truncated or corrupted bytes', () => {
    const b = make(300);
    for (let i = 0; i < 300; i += 3) b.claim(i);
    const bytes = b.exportBytes();
    for (let n = 0; n < bytes.length; n++) {
      const r = importDenseBitmap(bytes.subarray(0, n), { impl, layout });
      expect(r._unsafeUnwrapErr()._tag).toBe('CorruptBitmapBytes');
    }
    for (let i = 0; i < bytes.length; i++) {
      const copy = bytes.slice();
      copy[i] = (copy[i] as number) ^ 0x10;
      expect(importDenseBitmap(copy, { impl, layout }).isErr()).toBe(true);
    }
    expect(importDenseBitmap(new Uint8Array([1, 2, 3]), { impl, layout })._unsafeUnwrapErr()).toMatchObject({
      problem: 'truncated',
    });
    b.dispose();
  });

  it('handles the last index of the largest space, 2^32', () => {
    const b = make(DENSE_MAX_SIZE);
    const last = DENSE_MAX_SIZE - 1;
    expect(b.claim(last)._unsafeUnwrap()).toBe(true);
    expect(b.test(last)._unsafeUnwrap()).toBe(true);
    expect(b.allocateFrom(last - 1)._unsafeUnwrap()).toBe(last - 1);
    expect(b.allocateFrom(last - 1)._unsafeUnwrap()).toBe(-1);
    expect([...b.runs()]).toEqual([[last - 1, last]]);
    expect(b.markRange(0, last, true)._unsafeUnwrap()).toBe(DENSE_MAX_SIZE - 2);
    expect(b.allocate()).toBe(-1);
    expect(b.release(2 ** 31 + 5)._unsafeUnwrap()).toBe(true);
    expect(b.allocate()).toBe(2 ** 31 + 5);
    expect(b.usedCount).toBe(DENSE_MAX_SIZE);
    b.dispose();
  });

  it('throws after dispose (a programmer error) and dispose is idempotent', () => {
    const b = make(10);
    b.dispose();
    b.dispose();
    expect(b.disposed).toBe(true);
    expect(() => b.allocate()).toThrow(/dispose/);
  });
});
