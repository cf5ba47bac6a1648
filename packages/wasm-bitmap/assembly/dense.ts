// Dense hierarchical bitmap over [0, size), size <= 2^32, in one heap block per allocator.
//
//   block:  +0   size         u64
//           +8   used         u64  (kept incrementally)
//           +16  levels       u32  (1..6)
//           +20  levelPtr[6]  u32  absolute address of each level's words
//           +44  levelLen[6]  u32  words per level
//           +80  level 0 words, level 1 words, ... (u64 each)
//
//   level 0 bit i = 1   <=>  index i is used
//   level k+1 bit j = 1 <=>  word j of level k is all ones
//
// Bits past the end of every level are kept at 1, so walking lowest-zero bits down from the single top word
// reaches the lowest free index in `levels` word reads; a search from a cursor climbs then descends.

// @ts-ignore: decorator
@inline const ALL: u64 = 0xffffffffffffffff;
// @ts-ignore: decorator
@inline const HEADER: usize = 80;

// @ts-ignore: decorator
@inline function nlev(h: usize): i32 { return <i32>load<u32>(h, 16); }
// @ts-ignore: decorator
@inline function lvp(h: usize, k: i32): usize { return <usize>load<u32>(h + 20 + (<usize>k << 2)); }
// @ts-ignore: decorator
@inline function lvn(h: usize, k: i32): usize { return <usize>load<u32>(h + 44 + (<usize>k << 2)); }
// @ts-ignore: decorator
@inline function maskFrom(b: u64): u64 { return b >= 64 ? 0 : ALL << b; }
// @ts-ignore: decorator
@inline function maskTo(b: u64): u64 { return b >= 63 ? ALL : (<u64>1 << (b + 1)) - 1; }

/** Bytes a dense allocator of `size` indices takes (header included). */
export function denseBytes(size: f64): f64 {
  let bits = <u64>size;
  let total: u64 = HEADER;
  do {
    const words = (bits + 63) >> 6;
    total += words << 3;
    bits = words;
  } while (bits > 1);
  return <f64>total;
}

/** Allocates an empty allocator; returns its handle. Traps (unreachable) when memory cannot grow. */
export function denseCreate(size: f64): usize {
  const n = <u64>size;
  const bytes = <usize>denseBytes(size);
  const h = heap.alloc(bytes);
  memory.fill(h, 0, bytes);
  store<u64>(h, n, 0);
  let bits = n;
  let k = 0;
  let p = h + HEADER;
  do {
    const words = (bits + 63) >> 6;
    store<u32>(h + 20 + (<usize>k << 2), <u32>p);
    store<u32>(h + 44 + (<usize>k << 2), <u32>words);
    const valid = bits - ((words - 1) << 6);
    if (valid < 64) store<u64>(p + (<usize>(words - 1) << 3), ALL << valid);
    p += <usize>words << 3;
    bits = words;
    k++;
  } while (bits > 1);
  store<u32>(h, k, 16);
  return h;
}

export function denseFree(h: usize): void {
  heap.free(h);
}

export function denseUsed(h: usize): f64 {
  return <f64>load<u64>(h, 8);
}

/** Sets a bit known to be 0 and propagates fullness upwards. */
function setKnownFree(h: usize, i: u64): void {
  let pos = i >> 6;
  let p = lvp(h, 0) + (<usize>pos << 3);
  let v = load<u64>(p) | (<u64>1 << (i & 63));
  store<u64>(p, v);
  store<u64>(h, load<u64>(h, 8) + 1, 8);
  const top = nlev(h);
  for (let k = 1; k < top && v == ALL; k++) {
    p = lvp(h, k) + (<usize>(pos >> 6) << 3);
    v = load<u64>(p) | (<u64>1 << (pos & 63));
    store<u64>(p, v);
    pos >>= 6;
  }
}

export function denseAllocate(h: usize): f64 {
  const top = nlev(h) - 1;
  let pos: u64 = 0;
  if (load<u64>(lvp(h, top)) == ALL) return -1;
  for (let k = top; k >= 0; k--) pos = (pos << 6) + ctz(~load<u64>(lvp(h, k) + (<usize>pos << 3)));
  setKnownFree(h, pos);
  return <f64>pos;
}

/** Lowest free index, not marked, or -1: a top-down walk of `levels` words (the paged layout's pick). */
export function denseFirstClear(h: usize): f64 {
  const top = nlev(h) - 1;
  if (load<u64>(lvp(h, top)) == ALL) return -1;
  let pos: u64 = 0;
  for (let k = top; k >= 0; k--) pos = (pos << 6) + ctz(~load<u64>(lvp(h, k) + (<usize>pos << 3)));
  return <f64>pos;
}

/** Lowest free index >= from, or -1. */
export function denseNextClear(h: usize, from: u32): f64 {
  const levels = nlev(h);
  let pos = <u64>from >> 6;
  let bits = ~load<u64>(lvp(h, 0) + (<usize>pos << 3)) & maskFrom(<u64>from & 63);
  let k = 0;
  while (bits == 0) {
    k++;
    if (k == levels) return -1;
    const b = (pos & 63) + 1;
    pos >>= 6;
    bits = ~load<u64>(lvp(h, k) + (<usize>pos << 3)) & maskFrom(b);
  }
  pos = (pos << 6) + ctz(bits);
  for (k--; k >= 0; k--) pos = (pos << 6) + ctz(~load<u64>(lvp(h, k) + (<usize>pos << 3)));
  return pos < load<u64>(h) ? <f64>pos : -1;
}

export function denseAllocateFrom(h: usize, from: u32): f64 {
  const r = denseNextClear(h, from);
  if (r >= 0) setKnownFree(h, <u64>r);
  return r;
}

export function denseSet(h: usize, i: u32): i32 {
  const v = load<u64>(lvp(h, 0) + (<usize>(i >> 6) << 3));
  if ((v >> (i & 63)) & 1) return 0;
  setKnownFree(h, i);
  return 1;
}

export function denseClear(h: usize, i: u32): i32 {
  let pos = <u64>i >> 6;
  let p = lvp(h, 0) + (<usize>pos << 3);
  let old = load<u64>(p);
  const m = <u64>1 << (i & 63);
  if (!(old & m)) return 0;
  store<u64>(p, old & ~m);
  store<u64>(h, load<u64>(h, 8) - 1, 8);
  const levels = nlev(h);
  for (let k = 1; k < levels && old == ALL; k++) {
    p = lvp(h, k) + (<usize>(pos >> 6) << 3);
    old = load<u64>(p);
    store<u64>(p, old & ~(<u64>1 << (pos & 63)));
    pos >>= 6;
  }
  return 1;
}

export function denseTest(h: usize, i: u32): i32 {
  return <i32>((load<u64>(lvp(h, 0) + (<usize>(i >> 6) << 3)) >> (i & 63)) & 1);
}

/** Recomputes summary bits above level-0 words [w0, w1]. */
function rebuild(h: usize, w0: u64, w1: u64): void {
  const levels = nlev(h);
  let a = w0;
  let b = w1;
  for (let k = 1; k < levels; k++) {
    const below = lvp(h, k - 1);
    const lv = lvp(h, k);
    for (let j = a; j <= b; j++) {
      const p = lv + (<usize>(j >> 6) << 3);
      const bit = <u64>1 << (j & 63);
      const full = load<u64>(below + (<usize>j << 3)) == ALL;
      store<u64>(p, full ? load<u64>(p) | bit : load<u64>(p) & ~bit);
    }
    a >>= 6;
    b >>= 6;
  }
}

/** Sets (used != 0) or clears [lo, hi]; returns how many bits changed. */
export function denseMarkRange(h: usize, lo: u32, hi: u32, used: i32): f64 {
  const leaf = lvp(h, 0);
  const w0 = <u64>lo >> 6;
  const w1 = <u64>hi >> 6;
  let changed: u64 = 0;
  for (let w = w0; w <= w1; w++) {
    let m = ALL;
    if (w == w0) m &= maskFrom(<u64>lo & 63);
    if (w == w1) m &= maskTo(<u64>hi & 63);
    const p = leaf + (<usize>w << 3);
    const old = load<u64>(p);
    const nv = used ? old | m : old & ~m;
    changed += popcnt(old ^ nv);
    store<u64>(p, nv);
  }
  const u = load<u64>(h, 8);
  store<u64>(h, used ? u + changed : u - changed, 8);
  rebuild(h, w0, w1);
  return <f64>changed;
}

/** Lowest used index >= from, or -1 (a word scan of level 0). */
export function denseNextSet(h: usize, from: u32): f64 {
  const leaf = lvp(h, 0);
  const last = <u64>lvn(h, 0) - 1;
  let w = <u64>from >> 6;
  let bits = load<u64>(leaf + (<usize>w << 3)) & maskFrom(<u64>from & 63);
  while (bits == 0) {
    if (++w > last) return -1;
    bits = load<u64>(leaf + (<usize>w << 3));
  }
  const i = (w << 6) + ctz(bits);
  return i < load<u64>(h) ? <f64>i : -1;
}

/** Address of the level-0 words (for raw export/import by copying memory). */
export function denseLeaf(h: usize): usize {
  return lvp(h, 0);
}

/** After level 0 was overwritten from raw bytes: restores padding bits, the count and every summary. */
export function denseRebuild(h: usize): void {
  const n = load<u64>(h);
  const words = <u64>lvn(h, 0);
  const leaf = lvp(h, 0);
  const valid = n - ((words - 1) << 6);
  const pad: u64 = valid < 64 ? ALL << valid : 0;
  const lastP = leaf + (<usize>(words - 1) << 3);
  store<u64>(lastP, load<u64>(lastP) | pad);
  let count: u64 = 0;
  for (let w: u64 = 0; w < words; w++) count += popcnt(load<u64>(leaf + (<usize>w << 3)));
  store<u64>(h, count - popcnt(pad), 8);
  rebuild(h, 0, words - 1);
}
