// The README examples, kept runnable: the first mirrored here, the "Paged layout" one read from README.md
// and run as written, its console output compared with the values its comments state.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDenseBitmap, importDenseBitmap } from './index.ts';

/** The ```ts block under the README heading `heading`, without its import line. */
const readmeBlock = (heading: string): string => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const at = readme.indexOf(`### ${heading}`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (at < 0 || !block?.[1]) throw new Error(`README has no ts block under ${heading}`);
  return block[1].replace(/^import .*$/m, '');
};

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

  it('runs the "Paged layout" block of the README and prints what its comments say', () => {
    const logged: unknown[][] = [];
    const log = { log: (...args: unknown[]) => logged.push(args) };
    new Function('createDenseBitmap', 'console', readmeBlock('Paged layout'))(createDenseBitmap, log);
    expect(logged).toHaveLength(3);
    expect(logged[0]).toEqual([0, 'paged']);
    const bytes = logged[1]?.[0] as number;
    expect(bytes).toBeGreaterThan(16 * 1024); // "~20 KiB"
    expect(bytes).toBeLessThan(24 * 1024);
    expect(logged[2]).toEqual([-1]);
  });

  it('paged layout behaves as documented', () => {
    const big = createDenseBitmap(2 ** 32, { layout: 'paged' })._unsafeUnwrap();
    expect(big.byteLength).toBeLessThan(10 * 1024);
    expect(big.markRange(2 ** 32 - 2 ** 24, 2 ** 32 - 1, true)._unsafeUnwrap()).toBe(2 ** 24);
    expect(big.allocate()).toBe(0);
    expect(big.layout).toBe('paged');
    expect(big.byteLength).toBeGreaterThan(16 * 1024);
    expect(big.byteLength).toBeLessThan(24 * 1024);
    expect(big.allocateFrom(2 ** 32 - 2 ** 24)._unsafeUnwrap()).toBe(-1);
    const before = big.byteLength;
    expect(big.release(0)._unsafeUnwrap()).toBe(true);
    expect(big.byteLength).toBe(before); // the emptied page is now the spare
    expect(big.audit()._unsafeUnwrap()).toBe(2 ** 24);
    big.dispose();
  });
});
