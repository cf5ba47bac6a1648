// The shared contract every sparse implementation passes (run once per impl).
import { describe, expect, it } from 'vitest';
import type { BitmapImpl, SparseBitmap } from './index.ts';
import { createSparseBitmap, importSparseBitmap, SPARSE_MAX_SIZE } from './index.ts';

const make = (size: bigint, impl: BitmapImpl): SparseBitmap =>
  createSparseBitmap(size, { impl })._unsafeUnwrap();
const LAST = SPARSE_MAX_SIZE - 1n;

describe.each(['wasm', 'ts'] as const)('SparseBitmap (%s)', (impl) => {
  it('allocates lowest free in order and returns -1n when full', () => {
    const b = make(4100n, impl);
    expect(b.impl).toBe(impl);
    for (let i = 0n; i < 4100n; i++) expect(b.allocate()).toBe(i);
    expect(b.allocate()).toBe(-1n);
    expect(b.freeCount).toBe(0n);
    expect(b.release(4097n)._unsafeUnwrap()).toBe(true);
    expect(b.release(4097n)._unsafeUnwrap()).toBe(false);
    expect(b.allocate()).toBe(4097n);
    b.dispose();
  });

  it('claims, releases and tests far apart in a 2^64 space', () => {
    const b = make(SPARSE_MAX_SIZE, impl);
    const far = (1n << 63n) + 1n;
    expect(b.claim(far)._unsafeUnwrap()).toBe(true);
    expect(b.claim(far)._unsafeUnwrap()).toBe(false);
    expect(b.test(far)._unsafeUnwrap()).toBe(true);
    expect(b.test(far - 1n)._unsafeUnwrap()).toBe(false);
    expect(b.allocateFrom(far)._unsafeUnwrap()).toBe(far + 1n);
    expect(b.allocate()).toBe(0n);
    expect(b.usedCount).toBe(3n);
    expect([...b.runs()]).toEqual([
      [0n, 0n],
      [far, far + 1n],
    ]);
    b.dispose();
  });

  it('handles the last index 2^64 - 1 (distinct from the -1n sentinel) and a full 2^64 space', () => {
    const b = make(SPARSE_MAX_SIZE, impl);
    expect(b.allocateFrom(LAST)._unsafeUnwrap()).toBe(LAST);
    expect(b.allocateFrom(LAST)._unsafeUnwrap()).toBe(-1n);
    expect(b.test(LAST)._unsafeUnwrap()).toBe(true);
    expect(b.markRange(0n, LAST, true)._unsafeUnwrap()).toBe(SPARSE_MAX_SIZE - 1n);
    expect(b.usedCount).toBe(SPARSE_MAX_SIZE);
    expect(b.allocate()).toBe(-1n);
    expect(b.release(12345n)._unsafeUnwrap()).toBe(true);
    expect(b.allocate()).toBe(12345n);
    expect(b.markRange(1n << 62n, LAST, false)._unsafeUnwrap()).toBe(SPARSE_MAX_SIZE - (1n << 62n));
    expect(b.allocate()).toBe(1n << 62n);
    expect([...b.runs()]).toEqual([[0n, 1n << 62n]]);
    b.dispose();
  });

  it('marks huge ranges in one call and counts the changes', () => {
    const b = make(1n << 64n, impl);
    expect(b.markRange(10n, (1n << 48n) + 7n, true)._unsafeUnwrap()).toBe((1n << 48n) - 2n);
    expect(b.markRange(0n, 20n, true)._unsafeUnwrap()).toBe(10n);
    expect(b.markRange(1000n, 1999n, false)._unsafeUnwrap()).toBe(1000n);
    expect(b.allocate()).toBe(1000n);
    expect(b.allocateFrom(2000n)._unsafeUnwrap()).toBe((1n << 48n) + 8n);
    expect([...b.runs()]).toEqual([
      [0n, 1000n],
      [2000n, (1n << 48n) + 8n],
    ]);
    b.dispose();
  });

  it('rejects bad indices, sizes and ranges with typed errors', () => {
    const b = make(100n, impl);
    expect(b.claim(-1n)._unsafeUnwrapErr()).toMatchObject({ _tag: 'InvalidIndex', problem: 'negative' });
    expect(b.claim(100n)._unsafeUnwrapErr()).toMatchObject({ _tag: 'InvalidIndex', problem: 'outOfRange' });
    expect(b.claim(5 as unknown as bigint)._unsafeUnwrapErr()).toMatchObject({ problem: 'notInteger' });
    expect(b.markRange(5n, 4n, true)._unsafeUnwrapErr()._tag).toBe('InvalidRange');
    expect(b.usedCount).toBe(0n);
    for (const size of [0n, -1n, SPARSE_MAX_SIZE + 1n, 5 as unknown as bigint])
      expect(createSparseBitmap(size, { impl })._unsafeUnwrapErr()._tag).toBe('InvalidSize');
    b.dispose();
  });

  it('round-trips through exportBytes across implementations', () => {
    const b = make(SPARSE_MAX_SIZE, impl);
    b.markRange(0n, 5000n, true);
    b.markRange(1n << 40n, (1n << 41n) - 1n, true);
    for (let i = 0n; i < 300n; i++) b.claim((1n << 63n) + i * 3n);
    b.claim(LAST);
    const bytes = b.exportBytes();
    for (const other of ['wasm', 'ts'] as const) {
      const c = importSparseBitmap(bytes, { impl: other })._unsafeUnwrap();
      expect(c.size).toBe(SPARSE_MAX_SIZE);
      expect(c.usedCount).toBe(b.usedCount);
      expect([...c.runs()]).toEqual([...b.runs()]);
      expect(c.exportBytes()).toEqual(bytes);
      c.dispose();
    }
    b.dispose();
  });

  it('returns a typed error for truncated or corrupted bytes', () => {
    const b = make(1n << 40n, impl);
    for (let i = 0n; i < 50n; i++) b.claim(i * i * 1000n);
    const bytes = b.exportBytes();
    for (let n = 0; n < bytes.length; n++)
      expect(importSparseBitmap(bytes.subarray(0, n), { impl })._unsafeUnwrapErr()._tag).toBe(
        'CorruptBitmapBytes',
      );
    for (let i = 0; i < bytes.length; i++) {
      const copy = bytes.slice();
      copy[i] = (copy[i] as number) ^ 0x01;
      expect(importSparseBitmap(copy, { impl }).isErr()).toBe(true);
    }
    b.dispose();
  });

  it('throws after dispose and dispose is idempotent', () => {
    const b = make(10n, impl);
    b.dispose();
    b.dispose();
    expect(b.disposed).toBe(true);
    expect(() => b.allocate()).toThrow(/dispose/);
  });
});
