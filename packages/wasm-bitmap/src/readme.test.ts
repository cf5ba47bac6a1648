// The README example, kept runnable.
import { describe, expect, it } from 'vitest';
import { createDenseBitmap, importDenseBitmap } from './index.ts';

describe('README example', () => {
  it('behaves as documented', () => {
    const pool = createDenseBitmap(65_536)._unsafeUnwrap();
    expect(pool.impl).toBe('wasm');
    pool.markRange(0, 0, true);
    pool.markRange(65_535, 65_535, true);
    pool.markRange(100, 199, true);
    const i = pool.allocate();
    expect(i).toBe(1);
    expect(pool.claim(4242)._unsafeUnwrap()).toBe(true);
    expect(pool.claim(-1)._unsafeUnwrapErr()._tag).toBe('InvalidIndex');
    pool.release(i);
    expect([...pool.runs()]).toEqual([
      [0, 0],
      [100, 199],
      [4242, 4242],
      [65_535, 65_535],
    ]);
    const copy = importDenseBitmap(pool.exportBytes(), { impl: 'ts' })._unsafeUnwrap();
    expect(copy.usedCount).toBe(pool.usedCount);
    copy.dispose();
    pool.dispose();
  });
});
