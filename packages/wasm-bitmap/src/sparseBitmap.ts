// The public SparseBitmap: validates bigint arguments once, then delegates to an engine (wasm or ts).
import { err, ok, type Result } from 'neverthrow';
import { type AuditViolation, type Corruption, toAuditResult } from './audit.ts';
import { encodeSparse } from './codec.ts';
import type { SparseEngine } from './engine.ts';
import { type BitmapError, invalidIndex, invalidRange } from './errors.ts';
import type { BitmapImpl, SparseBitmap } from './types.ts';

const OK_TRUE: Result<boolean, BitmapError> = ok(true);
const OK_FALSE: Result<boolean, BitmapError> = ok(false);
const OK_NONE: Result<bigint, BitmapError> = ok(-1n);

export class SparseBitmapHandle implements SparseBitmap {
  readonly kind = 'sparse' as const;
  readonly impl: BitmapImpl;
  readonly size: bigint;
  private engine: SparseEngine | undefined;

  constructor(engine: SparseEngine, size: bigint) {
    this.engine = engine;
    this.impl = engine.impl;
    this.size = size;
  }

  private live(): SparseEngine {
    const e = this.engine;
    if (e === undefined) throw new Error('SparseBitmap used after dispose()');
    return e;
  }

  private check(index: bigint): BitmapError | undefined {
    if (typeof index !== 'bigint') return invalidIndex('sparse', index, this.size, 'notInteger');
    if (index < 0n) return invalidIndex('sparse', index, this.size, 'negative');
    if (index >= this.size) return invalidIndex('sparse', index, this.size, 'outOfRange');
    return undefined;
  }

  get disposed(): boolean {
    return this.engine === undefined;
  }

  get byteLength(): number {
    return this.live().bytes();
  }

  get usedCount(): bigint {
    return this.live().used();
  }

  get freeCount(): bigint {
    return this.size - this.live().used();
  }

  allocate(): bigint {
    return this.live().allocate();
  }

  allocateFrom(cursor: bigint): Result<bigint, BitmapError> {
    const e = this.live();
    const bad = this.check(cursor);
    if (bad) return err(bad);
    const i = e.allocateFrom(cursor);
    return i < 0n ? OK_NONE : ok(i);
  }

  claim(index: bigint): Result<boolean, BitmapError> {
    const e = this.live();
    const bad = this.check(index);
    if (bad) return err(bad);
    return e.set(index) ? OK_TRUE : OK_FALSE;
  }

  release(index: bigint): Result<boolean, BitmapError> {
    const e = this.live();
    const bad = this.check(index);
    if (bad) return err(bad);
    return e.clear(index) ? OK_TRUE : OK_FALSE;
  }

  test(index: bigint): Result<boolean, BitmapError> {
    const e = this.live();
    const bad = this.check(index);
    if (bad) return err(bad);
    return e.get(index) ? OK_TRUE : OK_FALSE;
  }

  markRange(start: bigint, endInclusive: bigint, used: boolean): Result<bigint, BitmapError> {
    const e = this.live();
    const bad = this.check(start) ?? this.check(endInclusive);
    if (bad) return err(bad);
    if (start > endInclusive) return err(invalidRange('sparse', start, endInclusive));
    return ok(e.markRange(start, endInclusive, used));
  }

  *runs(): IterableIterator<readonly [bigint, bigint]> {
    let e = this.live();
    let left = e.used();
    let s = left > 0n ? e.nextSet(0n) : -1n;
    while (s >= 0n) {
      const f = e.nextClear(s);
      const end = f < 0n ? this.size - 1n : f - 1n;
      yield [s, end];
      // Resumed after dispose(): throw rather than read memory that was freed (and maybe reused).
      e = this.live();
      left -= end - s + 1n;
      if (f < 0n || left <= 0n) return;
      s = e.nextSet(f);
    }
  }

  exportBytes(): Uint8Array {
    return encodeSparse(this.live(), this.size);
  }

  audit(): Result<bigint, AuditViolation<bigint>> {
    const e = this.live();
    return toAuditResult(
      'sparse',
      e.audit(),
      e.used(),
      0n,
      (r, c) => BigInt.asUintN(64, r) === BigInt.asUintN(64, c),
    );
  }

  /** Test hook (testHooks.ts): breaks one invariant of the live engine. Not part of the public interface. */
  corruptForTest(c: Corruption): boolean {
    return this.live().corrupt(c);
  }

  dispose(): void {
    const e = this.engine;
    if (e === undefined) return;
    this.engine = undefined;
    e.free();
  }
}
