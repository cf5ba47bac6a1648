// Export of a dense allocator, built inside the module (the byte format is specified in src/codec.ts and must
// stay byte-identical to the TS codec's output for the same state).
//
// denseExport(h) returns a heap block holding the 40-byte header and, for the runs encoding, the payload
// after it. For the raw encoding the block is the header alone (its checksum already covers the payload):
// the caller copies the level-0 bytes itself, straight from the allocator (denseLeaf), and masks the padding
// bits of the last byte. The caller frees the block with exportFree.

import { checksumMem } from './checksum';
import { denseNextClear } from './dense';

// @ts-ignore: decorator
@inline const ALL: u64 = 0xffffffffffffffff;

// @ts-ignore: decorator
@inline const HEADER: usize = 40;

// @ts-ignore: decorator
@inline const IV: u64 = 0x6a09e667f3bcc908;

/** The block of an export in progress, so a trap while growing it (memory exhausted) does not leak it. */
let pending: usize = 0;

function release(): void {
  if (pending) heap.free(pending);
  pending = 0;
}

// @ts-ignore: decorator
@inline function writeVarint(p: usize, v: u64): usize {
  while (v >= 128) {
    store<u8>(p++, <u8>(v & 127) | 128);
    v >>= 7;
  }
  store<u8>(p++, <u8>v);
  return p;
}

function writeHeader(b: usize, enc: u8, last: u64, used: u64, len: u32): void {
  store<u32>(b, 0x4d425053); // "SPBM"
  store<u8>(b, 2, 4); // format version
  store<u8>(b, 1, 5); // dense
  store<u8>(b, enc, 6);
  store<u8>(b, 0, 7);
  store<u64>(b, last, 8);
  store<u64>(b, used, 16);
  store<u32>(b, len, 24);
  store<u32>(b, 0, 28);
}

/** The v2 checksum of header bytes 0..31, the seed of the payload's. */
// @ts-ignore: decorator
@inline function headerSeed(b: usize): u64 {
  return checksumMem(b, 32, IV, 0xff);
}

/**
 * Runs payload after a header, or 0 when it would be longer than rawLen (the raw bitmap is then smaller).
 * Mirrors encodeDense in src/codec.ts: same walk, same stop rule, minimal LEB128 varints.
 */
function encodeRuns(h: usize, size: u64, used: u64, rawLen: u64): usize {
  let cap: u64 = rawLen < 4096 ? rawLen : 4096;
  const maxCap = rawLen + 24; // a pair of varints is at most 20 bytes; the walk stops once past rawLen
  pending = heap.alloc(<usize>(HEADER + cap + 24));
  const leaf = <usize>load<u32>(h, 20); // level-0 words (layout in dense.ts)
  const lastWord = (size - 1) >> 6;
  let len: u64 = 0;
  let prevEnd: i64 = -2;
  let left = used;
  // The walk of denseNextSet / denseNextClear, inlined on level 0: a used bit is found by a word scan (as
  // denseNextSet does), the end of a run within its word by one ctz; only a run that fills its word to the
  // end climbs the summaries (denseNextClear), so a full space stays O(levels).
  let more = left > 0;
  let w: u64 = 0;
  let bits: u64 = more ? load<u64>(leaf) : 0;
  while (more && len <= rawLen) {
    while (bits == 0) {
      if (++w > lastWord) break;
      bits = load<u64>(leaf + (<usize>w << 3));
    }
    if (bits == 0) break;
    const start = (w << 6) + ctz(bits);
    if (start >= size) break;
    if (len + 20 > cap) {
      while (len + 20 > cap && cap < maxCap) cap = cap * 2 < maxCap ? cap * 2 : maxCap;
      pending = heap.realloc(pending, <usize>(HEADER + cap + 24));
    }
    // First clear bit after start: in the same word, or found through the summaries.
    const clear = ~load<u64>(leaf + (<usize>w << 3)) & (ALL << (start & 63));
    let f: i64;
    if (clear) f = <i64>((w << 6) + ctz(clear));
    else {
      const r = denseNextClear(h, <u32>start);
      f = r < 0 ? -1 : <i64>r;
    }
    const end: u64 = f < 0 ? size - 1 : <u64>f - 1;
    let p = pending + HEADER + <usize>len;
    p = writeVarint(p, <u64>(<i64>start - (prevEnd + 2)));
    p = writeVarint(p, end - start);
    len = <u64>(p - pending - HEADER);
    prevEnd = <i64>end;
    const n = end - start + 1;
    more = f >= 0 && left > n;
    left -= n;
    if (more) {
      w = <u64>f >> 6;
      bits = load<u64>(leaf + (<usize>w << 3)) & (ALL << (<u64>f & 63));
    }
  }
  if (len > rawLen) {
    release();
    return 0;
  }
  const b = pending;
  writeHeader(b, 1, size - 1, used, <u32>len);
  store<u64>(b, checksumMem(b + HEADER, <u32>len, headerSeed(b), 0xff), 32);
  return b;
}

/** The export of allocator h (see the file comment); leaf is its level-0 address (denseLeaf). */
export function denseExport(h: usize, leaf: usize): usize {
  release();
  const size = load<u64>(h);
  const used = load<u64>(h, 8);
  const rawLen = (size + 7) >> 3;
  // Every run costs at least 2 bytes: skip the run walk when it cannot beat the raw bitmap.
  const free1 = size - used + 1;
  if (2 * (used < free1 ? used : free1) <= rawLen) {
    const b = encodeRuns(h, size, used, rawLen);
    if (b) {
      pending = 0;
      return b;
    }
  }
  const b = heap.alloc(HEADER);
  writeHeader(b, 0, size - 1, used, <u32>rawLen);
  const tail = <u32>(size & 7);
  const mask: u32 = tail ? (1 << tail) - 1 : 0xff;
  store<u64>(b, checksumMem(leaf, <u32>rawLen, headerSeed(b), mask), 32);
  return b;
}

/** A heap block of n bytes (for bytes handed in from JS), freed with exportFree. */
export function exportAlloc(n: usize): usize {
  return heap.alloc(n);
}

export function exportFree(b: usize): void {
  heap.free(b);
}
