// Public shapes of the allocators. Both kinds come in two implementations behind the same interface:
// 'wasm' (AssemblyScript, one shared instance for every allocator in the process) and 'ts' (pure TypeScript,
// the fallback and the test oracle). Allocators know indices only, never IPs.
import type { Result } from 'neverthrow';
import type { AuditViolation } from './audit.ts';
import type { BitmapError } from './errors.ts';

/** Which implementation backs an allocator. */
export type BitmapImpl = 'wasm' | 'ts';

/**
 * How a dense allocator lays out its bits: 'flat' (one block of ~1.02 bits per index of the whole range,
 * the fastest) or 'paged' (pages of 2^16 indices made on first use and freed when empty, plus a summary of
 * which pages are full: memory follows what is allocated; see ADR 0027).
 */
export type DenseLayout = 'flat' | 'paged';

export interface BitmapOptions {
  /**
   * 'wasm' (fails with WasmUnavailable if WebAssembly cannot be instantiated), 'ts', or 'auto' (the default:
   * wasm, falling back to ts when WebAssembly is unavailable).
   */
  readonly impl?: BitmapImpl | 'auto';
  /** Dense allocators only (sparse ones ignore it): 'flat' (the default) or 'paged'. */
  readonly layout?: DenseLayout;
}

/** Largest dense index space: 2^32 indices (an IPv4 /0). */
export const DENSE_MAX_SIZE = 2 ** 32;
/** Largest sparse index space: 2^64 indices (an IPv6 /64). */
export const SPARSE_MAX_SIZE = 2n ** 64n;

/**
 * Allocator over the index space [0, size) with size <= 2^32; indices are plain numbers.
 * Sentinel: -1 means "no free index" (allocate, allocateFrom). Every other misuse (bad index, bad range) is an
 * Err(BitmapError); the allocator is never changed by a rejected call. Methods throw only after dispose().
 */
export interface DenseBitmap {
  readonly kind: 'dense';
  readonly impl: BitmapImpl;
  /** 'flat' or 'paged' (BitmapOptions.layout); the same results and byte format either way. */
  readonly layout: DenseLayout;
  readonly size: number;
  /** Allocated indices, kept incrementally (O(1)). */
  readonly usedCount: number;
  readonly freeCount: number;
  /** Bytes of memory this allocator holds (its WASM heap block, or the TS twin's typed arrays). */
  readonly byteLength: number;
  /** Marks and returns the lowest free index, or -1 when the space is full. */
  allocate(): number;
  /** Marks and returns the lowest free index >= cursor, or -1 when none is free at or after it (no wrap). */
  allocateFrom(cursor: number): Result<number, BitmapError>;
  /** Marks index used: true if it was free, false if it was already taken. */
  claim(index: number): Result<boolean, BitmapError>;
  /** Marks index free: true if it was used, false if it was already free. */
  release(index: number): Result<boolean, BitmapError>;
  /** Whether index is used. */
  test(index: number): Result<boolean, BitmapError>;
  /** Marks [start, endInclusive] used (or free) in one call; returns how many indices changed state. */
  markRange(start: number, endInclusive: number, used: boolean): Result<number, BitmapError>;
  /**
   * Allocated indices as maximal inclusive runs [start, end], ascending. Do not mutate while iterating;
   * resuming the iterator after dispose() throws the use-after-dispose error.
   */
  runs(): IterableIterator<readonly [number, number]>;
  /** Compact byte form (see README "Byte format"); importDenseBitmap reads it back exactly. */
  exportBytes(): Uint8Array;
  /**
   * Full recount (popcount of every word) checked against the kept count, the summary levels and the
   * padding bits; read-only, O(size). Ok(the used count), or Err naming the first broken invariant.
   */
  audit(): Result<number, AuditViolation<number>>;
  /** Frees the allocator's memory (the WASM block goes back to the shared heap). Idempotent. */
  dispose(): void;
  readonly disposed: boolean;
}

/**
 * Allocator over [0, size) with size <= 2^64; indices are bigints. Memory follows the allocations, not the
 * space. Sentinel: -1n means "no free index". Otherwise as DenseBitmap.
 */
export interface SparseBitmap {
  readonly kind: 'sparse';
  readonly impl: BitmapImpl;
  readonly size: bigint;
  readonly usedCount: bigint;
  readonly freeCount: bigint;
  /** Bytes of memory this allocator holds (WASM: its trie nodes, walked on each read; TS: an estimate of
   * its run arrays). */
  readonly byteLength: number;
  allocate(): bigint;
  allocateFrom(cursor: bigint): Result<bigint, BitmapError>;
  claim(index: bigint): Result<boolean, BitmapError>;
  release(index: bigint): Result<boolean, BitmapError>;
  test(index: bigint): Result<boolean, BitmapError>;
  markRange(start: bigint, endInclusive: bigint, used: boolean): Result<bigint, BitmapError>;
  runs(): IterableIterator<readonly [bigint, bigint]>;
  exportBytes(): Uint8Array;
  /** As DenseBitmap.audit: recount (O(allocated nodes) for wasm, O(runs) for ts) plus structure checks. */
  audit(): Result<bigint, AuditViolation<bigint>>;
  dispose(): void;
  readonly disposed: boolean;
}
