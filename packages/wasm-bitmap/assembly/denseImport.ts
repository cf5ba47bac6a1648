// Import of a runs payload into a fresh dense allocator, inside the module (format in src/codec.ts). The
// acceptance rules are exactly those of decodeRuns in src/decode.ts: minimal LEB128 varints below 2^64,
// runs in order (each starts at least 2 past the previous end) and ending at or before the last index. On
// any violation it returns 0 and the caller re-reads the bytes with the TS decoder, which names the problem
// and its offset (errors are rare; the accepting path is the fast one).

import { denseLeaf, denseRebuild } from './dense';

// @ts-ignore: decorator
@inline const ALL: u64 = 0xffffffffffffffff;

/** The value of the last varint read by readVarint. */
let value: u64 = 0;

/** Reads a strict varint at p (before end); returns the position after it, or 0 when it is not valid. */
// @ts-ignore: decorator
@inline function readVarint(p: usize, end: usize): usize {
  let v: u64 = 0;
  let shift: u64 = 0;
  const stop = end < p + 10 ? end : p + 10;
  for (let i = p; i < stop; i++) {
    const byte = <u64>load<u8>(i);
    // The tenth byte carries bit 63 only: more (or a continuation) exceeds 64 bits.
    if (shift == 63 && byte > 1) return 0;
    v |= (byte & 127) << shift;
    if ((byte & 128) == 0) {
      if (byte == 0 && i > p) return 0; // overlong
      value = v;
      return i + 1;
    }
    shift += 7;
  }
  return 0;
}

/**
 * Sets the runs of the len-byte payload at ptr in allocator h (fresh: every index free), then restores its
 * count and summaries. 1 when the payload is valid, 0 otherwise (h is then to be freed by the caller).
 * The used count is left for the caller to compare with the header's.
 */
export function denseImportRuns(h: usize, ptr: usize, len: u32): i32 {
  const last = load<u64>(h) - 1;
  const leaf = denseLeaf(h);
  const end = ptr + <usize>len;
  let p = ptr;
  let next: u64 = 0; // previous end + 2: the lowest index the next run may start at
  while (p < end) {
    p = readVarint(p, end);
    if (p == 0) return 0;
    const gap = value;
    p = readVarint(p, end);
    if (p == 0) return 0;
    const n = value;
    if (gap > last || n > last) return 0;
    const s = next + gap;
    const e = s + n;
    if (e > last) return 0;
    const w0 = s >> 6;
    const w1 = e >> 6;
    const lo = ALL << (s & 63);
    const hi = ALL >> (63 - (e & 63));
    if (w0 == w1) {
      const q = leaf + (<usize>w0 << 3);
      store<u64>(q, load<u64>(q) | (lo & hi));
    } else {
      const q0 = leaf + (<usize>w0 << 3);
      store<u64>(q0, load<u64>(q0) | lo);
      for (let w = w0 + 1; w < w1; w++) store<u64>(leaf + (<usize>w << 3), ALL);
      const q1 = leaf + (<usize>w1 << 3);
      store<u64>(q1, load<u64>(q1) | hi);
    }
    next = e + 2;
  }
  denseRebuild(h);
  return 1;
}
