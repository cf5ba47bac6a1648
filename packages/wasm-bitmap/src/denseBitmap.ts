// The public DenseBitmap: validates arguments once, then delegates to an engine (wasm or ts).
import { err, ok, type Result } from 'neverthrow';
import { type AuditViolation, type Corruption, toAuditResult } from './audit.ts';
import type { DenseEngine } from './engine.ts';
import { type BitmapError, invalidIndex, invalidRange } from './errors.ts';
import type { BitmapImpl, DenseBitmap, DenseLayout } from './types.ts';

// Results are immutable, so the hot paths return shared instances instead of allocating.
const OK_TRUE: Result<boolean, BitmapError> = ok(true);
const OK_FALSE: Result<boolean, BitmapError> = ok(false);
const OK_NONE: Result<number, BitmapError> = ok(-1);

export class DenseBitmapHandle implements DenseBitmap {
  readonly kind = 'dense' as const;
  readonly impl: BitmapImpl;
  readonly layout: DenseLayout;
  readonly size: number;
  private engine: DenseEngine | undefined;

  constructor(engine: DenseEngine, size: number, layout: DenseLayout) {
    this.engine = engine;
    this.impl = engine.impl;
    this.layout = layout;
    this.size = size;
  }

  private live(): DenseEngine {
    const e = this.engine;
    if (e === undefined) throw new Error('DenseBitmap used after dispose()');
    return e;
  }

  /** Err for a bad index, undefined when index is a valid one. */
  private check(index: number): BitmapError | undefined {
    // typeof first: `>>>` on a bigint (or a Symbol) throws a TypeError instead of answering.
    if (typeof index === 'number' && index >>> 0 === index && index < this.size) return undefined;
    if (typeof index !== 'number' || !Number.isInteger(index))
      return invalidIndex('dense', index, this.size, 'notInteger');
    return invalidIndex('dense', index, this.size, index < 0 ? 'negative' : 'outOfRange');
  }

  get disposed(): boolean {
    return this.engine === undefined;
  }

  get byteLength(): number {
    return this.live().bytes();
  }

  get usedCount(): number {
    return this.live().used();
  }

  get freeCount(): number {
    return this.size - this.live().used();
  }

  allocate(): number {
    return this.live().allocate();
  }

  allocateFrom(cursor: number): Result<number, BitmapError> {
    const e = this.live();
    const bad = this.check(cursor);
    if (bad) return err(bad);
    const i = e.allocateFrom(cursor);
    return i < 0 ? OK_NONE : ok(i);
  }

  claim(index: number): Result<boolean, BitmapError> {
    const e = this.live();
    const bad = this.check(index);
    if (bad) return err(bad);
    return e.set(index) ? OK_TRUE : OK_FALSE;
  }

  release(index: number): Result<boolean, BitmapError> {
    const e = this.live();
    const bad = this.check(index);
    if (bad) return err(bad);
    return e.clear(index) ? OK_TRUE : OK_FALSE;
  }

  test(index: number): Result<boolean, BitmapError> {
    const e = this.live();
    const bad = this.check(index);
    if (bad) return err(bad);
    return e.get(index) ? OK_TRUE : OK_FALSE;
  }

  markRange(start: number, endInclusive: number, used: boolean): Result<number, BitmapError> {
    const e = this.live();
    const bad = this.check(start) ?? this.check(endInclusive);
    if (bad) return err(bad);
    if (start > endInclusive) return err(invalidRange('dense', start, endInclusive));
    return ok(e.markRange(start, endInclusive, used));
  }

  *runs(): IterableIterator<readonly [number, number]> {
    let e = this.live();
    // Stop once every used index was seen, so the tail past the last run is never scanned.
    let left = e.used();
    let s = left > 0 ? e.nextSet(0) : -1;
    while (s >= 0) {
      const f = e.nextClear(s);
      const end = f < 0 ? this.size - 1 : f - 1;
      yield [s, end];
      // Resumed after dispose(): throw rather than read memory that was freed (and maybe reused).
      e = this.live();
      left -= end - s + 1;
      if (f < 0 || left <= 0) return;
      s = e.nextSet(f);
    }
  }

  exportBytes(): Uint8Array {
    return this.live().encode();
  }

  audit(): Result<number, AuditViolation<number>> {
    const e = this.live();
    return toAuditResult('dense', e.audit(), e.used(), 0, (r, c) => r === c);
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
