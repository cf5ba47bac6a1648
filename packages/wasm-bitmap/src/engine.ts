// Internal engine contracts: the unchecked operations each implementation (wasm, ts) provides. The public
// wrappers (denseBitmap.ts, sparseBitmap.ts) validate arguments once and delegate here, so the engines never
// see an out-of-range index.
import type { Corruption, EngineAudit } from './audit.ts';
import type { BitmapImpl } from './types.ts';

export interface DenseEngine {
  readonly impl: BitmapImpl;
  used(): number;
  bytes(): number;
  /** Lowest free index marked used, or -1. */
  allocate(): number;
  /** Lowest free index >= cursor marked used, or -1. */
  allocateFrom(cursor: number): number;
  /** true when the bit changed. */
  set(index: number): boolean;
  clear(index: number): boolean;
  get(index: number): boolean;
  /** Sets or clears [lo, hi]; returns how many bits changed. */
  markRange(lo: number, hi: number, used: boolean): number;
  /** Lowest used index >= from, or -1. */
  nextSet(from: number): number;
  /** Lowest free index >= from, or -1 (nothing is marked). */
  nextClear(from: number): number;
  /** Writes the bitmap as ceil(size/8) little-endian bytes (bit i = byte i>>3, bit i&7), padding bits 0. */
  writeRaw(out: Uint8Array, offset: number): void;
  /** Loads a bitmap written by writeRaw (caller checked length and padding); rebuilds summaries and count. */
  loadRaw(src: Uint8Array, offset: number): void;
  /** checksum64 of the raw payload writeRaw would write, seeded (computed where the bits live). */
  rawChecksum(seed: bigint): bigint;
  /**
   * Optional fast path of a runs import into this fresh engine (the WASM engine decodes in the module):
   * sets the runs of payload bytes src[start, end) and returns true, or false when the payload breaks a rule
   * of decode.ts (the caller then frees the engine and lets decodeRuns name the problem), or undefined when
   * it cannot run (no memory for a copy; nothing changed). The used count is not compared with the header.
   */
  loadRuns?(src: Uint8Array, start: number, end: number): boolean | undefined;
  /** The whole export (codec.ts format; byte-identical across engines for the same state). */
  encode(): Uint8Array;
  /** Full recount and summary check (read-only). */
  audit(): EngineAudit<number>;
  /** Test hook: breaks one invariant in place; false when this state cannot show it (see testHooks.ts). */
  corrupt(c: Corruption): boolean;
  free(): void;
}

export interface SparseEngine {
  readonly impl: BitmapImpl;
  used(): bigint;
  bytes(): number;
  allocate(): bigint;
  allocateFrom(cursor: bigint): bigint;
  set(index: bigint): boolean;
  clear(index: bigint): boolean;
  get(index: bigint): boolean;
  markRange(lo: bigint, hi: bigint, used: boolean): bigint;
  nextSet(from: bigint): bigint;
  nextClear(from: bigint): bigint;
  /** Full recount (modulo 2^64) and structure check (read-only). */
  audit(): EngineAudit<bigint>;
  /** Test hook: breaks one invariant in place; false when this state cannot show it (see testHooks.ts). */
  corrupt(c: Corruption): boolean;
  free(): void;
}
