// audit() contract, run against both implementations of both kinds: consistent states audit Ok with the
// used count; a deliberately corrupted state (testHooks.ts) is reported with the invariant that broke.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BitmapImpl, DenseBitmap, SparseBitmap } from './index.ts';
import { createDenseBitmap, createSparseBitmap } from './index.ts';
import { corruptForTest } from './testHooks.ts';

const dense = (size: number, impl: BitmapImpl): DenseBitmap =>
  createDenseBitmap(size, { impl })._unsafeUnwrap();
const sparse = (size: bigint, impl: BitmapImpl): SparseBitmap =>
  createSparseBitmap(size, { impl })._unsafeUnwrap();

describe.each(['wasm', 'ts'] as const)('DenseBitmap.audit (%s)', (impl) => {
  it('is Ok with the used count for empty, partial, full and imported states', () => {
    for (const size of [1, 63, 64, 65, 1000, 4096, 262_145]) {
      const b = dense(size, impl);
      expect(b.audit()._unsafeUnwrap()).toBe(0);
      b.markRange(0, Math.floor(size / 2), true);
      if (size > 10) b.release(3);
      expect(b.audit()._unsafeUnwrap()).toBe(b.usedCount);
      b.markRange(0, size - 1, true);
      expect(b.audit()._unsafeUnwrap()).toBe(size);
      b.dispose();
    }
  });

  it('stays Ok through random operations (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9000 }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 700 }), fc.boolean()), { maxLength: 40 }),
        (size, ops) => {
          const b = dense(size, impl);
          for (const [a, w, used] of ops) {
            const s = a % size;
            if (w % 3 === 0) b.allocate();
            else b.markRange(s, Math.min(size - 1, s + w), used);
          }
          const r = b.audit();
          const used = b.usedCount;
          b.dispose();
          return r.isOk() && r.value === used;
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reports a kept count that disagrees with the bits', () => {
    const b = dense(1000, impl);
    b.markRange(10, 500, true);
    expect(corruptForTest(b, 'count')).toBe(true);
    const v = b.audit()._unsafeUnwrapErr();
    expect(v).toMatchObject({ _tag: 'AuditViolation', kind: 'dense', invariant: 'count' });
    expect(v.recorded).toBe(492);
    expect(v.counted).toBe(491);
    expect(v.message).toMatch(/492.*491/);
    b.dispose();
  });

  it('reports a summary bit that disagrees with the level below', () => {
    const b = dense(5000, impl);
    b.markRange(0, 63, true); // word 0 full in both word sizes: the flipped summary bit clears
    expect(corruptForTest(b, 'summary')).toBe(true);
    expect(b.audit()._unsafeUnwrapErr()).toMatchObject({ invariant: 'summary', level: 1, at: 0 });
    b.dispose();
  });

  it('reports a cleared padding bit', () => {
    const b = dense(100, impl);
    expect(corruptForTest(b, 'padding')).toBe(true);
    expect(b.audit()._unsafeUnwrapErr()).toMatchObject({ invariant: 'padding', level: 0 });
    b.dispose();
  });

  it('throws after dispose', () => {
    const b = dense(10, impl);
    b.dispose();
    expect(() => b.audit()).toThrow(/dispose/);
  });
});

describe.each(['wasm', 'ts'] as const)('SparseBitmap.audit (%s)', (impl) => {
  it('is Ok with the used count, including a full 2^64 space', () => {
    const b = sparse(1n << 64n, impl);
    expect(b.audit()._unsafeUnwrap()).toBe(0n);
    b.markRange(5n, 100_000n, true);
    b.claim(1n << 63n);
    b.release(4097n);
    expect(b.audit()._unsafeUnwrap()).toBe(b.usedCount);
    b.markRange(0n, (1n << 64n) - 1n, true);
    expect(b.audit()._unsafeUnwrap()).toBe(1n << 64n);
    b.dispose();
  });

  it('stays Ok through random operations (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.bigInt({ min: 0n, max: 1n << 20n }), fc.bigInt({ min: 0n, max: 9000n }), fc.boolean()),
          {
            maxLength: 40,
          },
        ),
        (ops) => {
          const b = sparse(1n << 21n, impl);
          for (const [s, w, used] of ops) b.markRange(s, s + w, used);
          const r = b.audit();
          const used = b.usedCount;
          b.dispose();
          return r.isOk() && r.value === used;
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reports a kept count that disagrees with the bits', () => {
    const b = sparse(1n << 40n, impl);
    b.markRange(100n, 199n, true);
    expect(corruptForTest(b, 'count')).toBe(true);
    expect(b.audit()._unsafeUnwrapErr()).toMatchObject({
      kind: 'sparse',
      invariant: 'count',
      recorded: 101n,
      counted: 100n,
    });
    b.dispose();
  });

  it('reports a malformed structure', () => {
    const b = sparse(1n << 64n, impl);
    b.markRange(100n, 199n, true);
    expect(corruptForTest(b, 'summary')).toBe(true);
    expect(b.audit()._unsafeUnwrapErr()).toMatchObject({ invariant: 'structure' });
    expect(corruptForTest(b, 'padding')).toBe(false); // no padding in a sparse allocator
    b.dispose();
  });
});
