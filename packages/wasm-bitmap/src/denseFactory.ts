// Creating and importing dense allocators, choosing the implementation.
import { err, ok, type Result } from 'neverthrow';
import {
  CHECKSUM_AT,
  decodeHeader,
  ENC_RAW,
  type Header,
  headerSeed,
  KIND_DENSE,
  storedChecksum,
} from './codec.ts';
import { checkRaw, decodeRuns } from './decode.ts';
import { DenseBitmapHandle } from './denseBitmap.ts';
import type { DenseEngine } from './engine.ts';
import { type BitmapError, corruptBytes, invalidSize } from './errors.ts';
import { TsDenseEngine } from './tsDense.ts';
import { TsPagedEngine } from './tsPaged.ts';
import { type BitmapOptions, DENSE_MAX_SIZE, type DenseBitmap, type DenseLayout } from './types.ts';
import { createWasmDenseEngine } from './wasmDense.ts';
import { createWasmPagedEngine } from './wasmPaged.ts';

const layoutOf = (opts: BitmapOptions): DenseLayout => {
  const layout = opts.layout ?? 'flat';
  if (layout !== 'flat' && layout !== 'paged')
    throw new TypeError(`wasm-bitmap: layout must be 'flat' or 'paged', got ${String(layout)}`);
  return layout;
};

const makeEngine = (size: number, opts: BitmapOptions): Result<DenseEngine, BitmapError> => {
  const impl = opts.impl ?? 'auto';
  const paged = layoutOf(opts) === 'paged';
  const ts = (): DenseEngine => (paged ? new TsPagedEngine(size) : new TsDenseEngine(size));
  if (impl === 'ts') return ok(ts());
  const w = paged ? createWasmPagedEngine(size) : createWasmDenseEngine(size);
  if (w.isErr() && impl === 'auto' && w.error._tag === 'WasmUnavailable') return ok(ts());
  return w;
};

/**
 * A dense allocator over [0, size), size an integer in [1, 2^32], every index free.
 * opts.impl: 'wasm' | 'ts' | 'auto' (default: wasm, or ts when WebAssembly is unavailable); opts.layout:
 * 'flat' (default) or 'paged' (memory follows what is allocated; a layout that is neither throws).
 */
export const createDenseBitmap = (
  size: number,
  opts: BitmapOptions = {},
): Result<DenseBitmap, BitmapError> => {
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > DENSE_MAX_SIZE)
    return err(invalidSize('dense', size, DENSE_MAX_SIZE));
  return makeEngine(size, opts).map((e) => new DenseBitmapHandle(e, size, layoutOf(opts)));
};

/** Sets the runs of a runs payload in the fresh engine e: in the engine when it can, else run by run. */
const loadRuns = (e: DenseEngine, bytes: Uint8Array, h: Header): Result<void, BitmapError> => {
  const fast = e.loadRuns?.(bytes, h.payloadStart, h.payloadEnd);
  if (fast === undefined)
    return decodeRuns(bytes, h, (s, end) => {
      e.markRange(Number(s), Number(end), true);
      return undefined;
    });
  if (fast && BigInt(e.used()) === h.used) return ok(undefined);
  // Rejected: the TS decoder names the problem (the same rules, so it finds one).
  const named = decodeRuns(bytes, h, () => undefined);
  if (named.isOk()) throw new Error('wasm-bitmap: module and TS run decoders disagree');
  return named;
};

/** Rebuilds a dense allocator from exportBytes() output (of either implementation and either layout, into
 * the layout opts.layout names). */
export const importDenseBitmap = (
  bytes: Uint8Array,
  opts: BitmapOptions = {},
): Result<DenseBitmap, BitmapError> =>
  decodeHeader(bytes, KIND_DENSE).andThen((h) => {
    if (h.last >= BigInt(DENSE_MAX_SIZE))
      return err(corruptBytes('size', 8, `last index ${h.last} exceeds a dense space of 2^32`));
    const size = Number(h.last) + 1;
    if (h.enc === ENC_RAW) {
      const bad = checkRaw(bytes, h, size);
      if (bad.isErr()) return err(bad.error);
    }
    return makeEngine(size, opts).andThen((e) => {
      if (h.enc === ENC_RAW) {
        e.loadRaw(bytes, h.payloadStart);
        const bad =
          e.rawChecksum(headerSeed(bytes)) !== storedChecksum(bytes)
            ? corruptBytes('checksum', CHECKSUM_AT, 'checksum does not match')
            : BigInt(e.used()) !== h.used
              ? corruptBytes('count', 16, `header says ${h.used} used, the bitmap holds ${e.used()}`)
              : undefined;
        if (bad) {
          e.free();
          return err(bad);
        }
        return ok<DenseBitmap, BitmapError>(new DenseBitmapHandle(e, size, layoutOf(opts)));
      }
      const r = loadRuns(e, bytes, h);
      if (r.isErr()) {
        e.free();
        return err(r.error);
      }
      return ok<DenseBitmap, BitmapError>(new DenseBitmapHandle(e, size, layoutOf(opts)));
    });
  });
