// One lowest-free bitmap over a pool's index space, hiding whether it is dense (numbers, <= 2^32 indices) or
// sparse (bigints, <= 2^64). Indices are bigints here; the dense wrapper converts at the boundary. Dense
// spaces above PAGED_LAYOUT_ABOVE take the paged layout, whose memory follows what is allocated (ADR 0027).

import type {
  BitmapError,
  BitmapImpl,
  DenseBitmap,
  DenseLayout,
  SparseBitmap,
} from '@spiderpool-ts/wasm-bitmap';
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
  /** The dense layout ('flat' or 'paged'); undefined for a sparse space. */
  readonly layout: DenseLayout | undefined;
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
  layout: b.layout,
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
  layout: undefined,
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

/**
 * Dense spaces of more indices than this (2^20, an IPv4 /12) take the paged layout. Measured in
 * bench/results/bitmap.md ("2^k indices" rows): per operation the paged layout costs about twice the flat
 * one's few tens of ns at every size, while an almost empty flat space costs size/8 bytes (128 KiB at 2^20,
 * 2 MiB for a /8, 512 MiB for a /0) against ~9 KiB paged; below 2^20 the flat block is small enough to keep
 * the faster layout.
 */
export const PAGED_LAYOUT_ABOVE = 2n ** 20n;

/**
 * An all-free space of `size` indices (size >= 1; larger than 2^64 is clipped to 2^64 by the caller).
 * layout 'auto' (the default) picks flat up to PAGED_LAYOUT_ABOVE indices and paged above; sparse spaces
 * (more than 2^32 indices) ignore it.
 */
export const createIndexSpace = (
  size: bigint,
  impl: BitmapImpl | 'auto' = 'auto',
  layout: DenseLayout | 'auto' = 'auto',
): IndexSpace => {
  if (size < 1n || size > SPARSE_MAX_SIZE) throw new RangeError(`index space size ${size} out of range`);
  if (size > BigInt(DENSE_MAX_SIZE)) return sparseSpace(unwrap(createSparseBitmap(size, { impl })));
  const chosen = layout === 'auto' ? (size > PAGED_LAYOUT_ABOVE ? 'paged' : 'flat') : layout;
  return denseSpace(unwrap(createDenseBitmap(Number(size), { impl, layout: chosen })));
};

export const MAX_INDEX_SPACE: bigint = SPARSE_MAX_SIZE;
