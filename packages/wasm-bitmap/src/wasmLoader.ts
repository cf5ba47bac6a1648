// Lazy, synchronous instantiation of the one WebAssembly instance that every WASM-backed allocator shares.
// Nothing happens at import: the inlined bytes are decoded and compiled on the first call of loadWasm().
// Views of the memory are never cached: callers build them from `memory.buffer` right when they use them,
// since any allocating export may grow (and so detach) the buffer.
import { err, ok, type Result } from 'neverthrow';
import type { EngineAudit } from './audit.ts';
import { decodeBase64 } from './base64.ts';
import { type BitmapError, wasmUnavailable } from './errors.ts';
import { wasmBase64 } from './generated/wasmBytes.generated.ts';

/** The module's exports (see assembly/index.ts). Handles are addresses; u64 travels as bigint. */
export interface BitmapExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  denseBytes(size: number): number;
  denseCreate(size: number): number;
  denseFree(h: number): void;
  denseUsed(h: number): number;
  denseAllocate(h: number): number;
  denseAllocateFrom(h: number, from: number): number;
  denseSet(h: number, i: number): number;
  denseClear(h: number, i: number): number;
  denseTest(h: number, i: number): number;
  denseMarkRange(h: number, lo: number, hi: number, used: number): number;
  denseNextSet(h: number, from: number): number;
  denseNextClear(h: number, from: number): number;
  denseLeaf(h: number): number;
  denseRebuild(h: number): void;
  pagedCreate(size: number): number;
  pagedFree(h: number): void;
  pagedUsed(h: number): number;
  pagedBytes(h: number): number;
  pagedAllocate(h: number): number;
  pagedAllocateFrom(h: number, from: number): number;
  pagedSet(h: number, i: number): number;
  pagedClear(h: number, i: number): number;
  pagedTest(h: number, i: number): number;
  pagedMarkRange(h: number, lo: number, hi: number, used: number): number;
  pagedNextSet(h: number, from: number): number;
  pagedNextClear(h: number, from: number): number;
  pagedEntry(h: number, page: number): number;
  pagedPageFor(h: number, page: number): number;
  pagedPageLoaded(h: number, page: number): void;
  pagedAudit(h: number): number;
  checksumMem(ptr: number, n: number, seed: bigint, lastMask: number): bigint;
  denseExport(h: number, leaf: number): number;
  exportAlloc(n: number): number;
  exportFree(block: number): void;
  denseImportRuns(h: number, ptr: number, len: number): number;
  denseAudit(h: number): number;
  sparseAudit(h: number): number;
  auditLevel(): number;
  auditWord(): number;
  auditCounted(): bigint;
  sparseCreate(last: bigint): number;
  sparseFree(h: number): void;
  sparseUsed(h: number): bigint;
  sparseEmpty(h: number): number;
  sparseBytes(h: number): number;
  sparseFound(): number;
  sparseTest(h: number, i: bigint): number;
  sparseSet(h: number, i: bigint): number;
  sparseClear(h: number, i: bigint): number;
  sparseAllocate(h: number): bigint;
  sparseAllocateFrom(h: number, c: bigint): bigint;
  sparseNextSet(h: number, c: bigint): bigint;
  sparseNextClear(h: number, c: bigint): bigint;
  sparseMarkRange(h: number, lo: bigint, hi: bigint, used: number): void;
}

/** The slice of the WebAssembly JS API used here (the package is compiled without DOM or Node types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}

let cached: Result<BitmapExports, BitmapError> | undefined;

const abort = (): never => {
  throw new Error('wasm-bitmap: WebAssembly abort');
};

/** The shared instance, created on first use; Err(WasmUnavailable) if WebAssembly is missing or fails. */
export const loadWasm = (): Result<BitmapExports, BitmapError> => {
  if (cached) return cached;
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined) {
    cached = err(wasmUnavailable(new Error('no WebAssembly in this runtime')));
    return cached;
  }
  try {
    const module = new api.Module(decodeBase64(wasmBase64));
    const instance = new api.Instance(module, { env: { abort } });
    cached = ok(instance.exports as BitmapExports);
  } catch (cause) {
    cached = err(wasmUnavailable(cause));
  }
  return cached;
};

/** Current size of the shared WebAssembly memory in bytes (0 before first use). It never shrinks; freed
 * allocator blocks are reused by later ones. */
export const wasmMemoryBytes = (): number => (cached?.isOk() ? cached.value.memory.buffer.byteLength : 0);

/** Frees WASM blocks of allocators that were garbage-collected without dispose(). */
export const leakGuard = new FinalizationRegistry<() => void>((release) => release());

const FINDINGS = [undefined, undefined, 'summary', 'padding', 'structure'] as const;

/**
 * An audit's result from the module: code 0 consistent, 1 count (left to the caller's comparison), 2..4 a
 * finding at auditLevel()/auditWord(); the counted bits come back mod 2^64 (as the module's u64).
 */
export const readWasmAudit = <N extends number | bigint>(
  x: BitmapExports,
  code: number,
  toN: (v: bigint) => N,
): EngineAudit<N> => {
  const counted = toN(BigInt.asUintN(64, x.auditCounted()));
  const invariant = FINDINGS[code];
  if (invariant === undefined) return { counted, finding: undefined };
  return { counted, finding: { invariant, level: x.auditLevel(), at: toN(BigInt(x.auditWord())) } };
};
