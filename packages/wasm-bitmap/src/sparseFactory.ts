// Creating and importing sparse allocators, choosing the implementation.
import { err, ok, type Result } from 'neverthrow';
import { decodeHeader, KIND_SPARSE } from './codec.ts';
import { decodeRuns } from './decode.ts';
import type { SparseEngine } from './engine.ts';
import { type BitmapError, invalidSize } from './errors.ts';
import { SparseBitmapHandle } from './sparseBitmap.ts';
import { TsSparseEngine } from './tsSparse.ts';
import { type BitmapOptions, SPARSE_MAX_SIZE, type SparseBitmap } from './types.ts';
import { createWasmSparseEngine } from './wasmSparse.ts';

const makeEngine = (size: bigint, opts: BitmapOptions): Result<SparseEngine, BitmapError> => {
  const impl = opts.impl ?? 'auto';
  if (impl === 'ts') return ok(new TsSparseEngine(size));
  const w = createWasmSparseEngine(size);
  if (w.isErr() && impl === 'auto' && w.error._tag === 'WasmUnavailable') return ok(new TsSparseEngine(size));
  return w;
};

/**
 * A sparse allocator over [0, size), size a bigint in [1, 2^64], every index free.
 * opts.impl: 'wasm' | 'ts' | 'auto' (default: wasm, or ts when WebAssembly is unavailable).
 */
export const createSparseBitmap = (
  size: bigint,
  opts: BitmapOptions = {},
): Result<SparseBitmap, BitmapError> => {
  if (typeof size !== 'bigint' || size < 1n || size > SPARSE_MAX_SIZE)
    return err(invalidSize('sparse', size, SPARSE_MAX_SIZE));
  return makeEngine(size, opts).map((e) => new SparseBitmapHandle(e, size));
};

/** Rebuilds a sparse allocator from exportBytes() output (of either implementation). */
export const importSparseBitmap = (
  bytes: Uint8Array,
  opts: BitmapOptions = {},
): Result<SparseBitmap, BitmapError> =>
  decodeHeader(bytes, KIND_SPARSE).andThen((h) => {
    const size = h.last + 1n;
    return makeEngine(size, opts).andThen((e) => {
      const r = decodeRuns(bytes, h, (s, end) => {
        e.markRange(s, end, true);
        return undefined;
      });
      if (r.isErr()) {
        e.free();
        return err(r.error);
      }
      return ok<SparseBitmap, BitmapError>(new SparseBitmapHandle(e, size));
    });
  });
