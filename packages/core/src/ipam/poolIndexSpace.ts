// One lowest-free bitmap over a pool's index space, hiding whether it is dense (numbers, <= 2^32 indices) or
// sparse (bigints, <= 2^64). Indices are bigints here; the dense wrapper converts at the boundary.

import type { BitmapError, BitmapImpl, DenseBitmap, SparseBitmap } from '@spiderpool-ts/wasm-bitmap';
import {
  createDenseBitmap,
  createSparseBitmap,
  DENSE_MAX_SIZE,
  SPARSE_MAX_SIZE,
} from '@spiderpool-ts/wasm-bitmap';
import type { Result } from 'neverthrow';

export interface IndexSpace {
  readonly size: bigint;
  readonly kind: 'dense' | 'sparse';
  /** Marks and returns the lowest free index, or -1n when none is free. */
  allocate(): bigint;
  /** Marks index used; true when it was free. Out-of-range indices are a programmer error (throws). */
  claim(index: bigint): boolean;
  /** Marks index free; true when it was used. */
  release(index: bigint): boolean;
  test(index: bigint): boolean;
  /** Marks [start, end] used. */
  markUsed(start: bigint, end: bigint): void;
  readonly usedCount: bigint;
  dispose(): void;
}

const unwrap = <T>(r: Result<T, BitmapError>): T => {
  if (r.isErr()) throw new Error(`bitmap misuse: ${r.error.message}`);
  return r.value;
};

const denseSpace = (b: DenseBitmap): IndexSpace => ({
  size: BigInt(b.size),
  kind: 'dense',
  allocate: () => BigInt(b.allocate()),
  claim: (i) => unwrap(b.claim(Number(i))),
  release: (i) => unwrap(b.release(Number(i))),
  test: (i) => unwrap(b.test(Number(i))),
  markUsed: (s, e) => {
    unwrap(b.markRange(Number(s), Number(e), true));
  },
  get usedCount() {
    return BigInt(b.usedCount);
  },
  dispose: () => b.dispose(),
});

const sparseSpace = (b: SparseBitmap): IndexSpace => ({
  size: b.size,
  kind: 'sparse',
  allocate: () => b.allocate(),
  claim: (i) => unwrap(b.claim(i)),
  release: (i) => unwrap(b.release(i)),
  test: (i) => unwrap(b.test(i)),
  markUsed: (s, e) => {
    unwrap(b.markRange(s, e, true));
  },
  get usedCount() {
    return b.usedCount;
  },
  dispose: () => b.dispose(),
});

/** An all-free space of `size` indices (size >= 1; larger than 2^64 is clipped to 2^64 by the caller). */
export const createIndexSpace = (size: bigint, impl: BitmapImpl | 'auto' = 'auto'): IndexSpace => {
  if (size < 1n || size > SPARSE_MAX_SIZE) throw new RangeError(`index space size ${size} out of range`);
  return size <= BigInt(DENSE_MAX_SIZE)
    ? denseSpace(unwrap(createDenseBitmap(Number(size), { impl })))
    : sparseSpace(unwrap(createSparseBitmap(size, { impl })));
};

export const MAX_INDEX_SPACE: bigint = SPARSE_MAX_SIZE;
