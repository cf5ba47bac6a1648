// Paged bitmap over [0, size), size <= 2^32: the dense layout cut into pages of 2^16 indices that exist only
// while they hold something. Memory follows what is allocated, not the size of the range.
//
//   block:  +0   size      u64
//           +8   used      u64  (kept incrementally)
//           +16  pages     u32  N = ceil(size / 2^16)
//           +20  summary   u32  a dense allocator (dense.ts) over the N pages: bit p = 1 <=> page p is full
//           +24  chunks    u32  ceil(N / 256)
//           +28  spare     u32  an empty page allocator kept for reuse, or 0
//           +32  root[chunks] u32: address of a chunk (256 page slots, 1 KiB), or 0 (all 256 pages empty)
//
//   page slot:  0 (EMPTY) the page is all free, nothing held; 1 (FULL) all used, nothing held (set by a
//               markRange over the whole page); otherwise the address of a dense allocator of the page's
//               indices (2^16, the last page: the rest).
//
// A pick is the summary's top-down walk (3 words for 2^16 pages) then the page's (3 words). A page whose
// count falls to 0 leaves its slot at once; the allocator keeps one such page (of the full 2^16) as its
// spare, already zeroed, and frees the others, so allocate + release at a page boundary neither allocates
// nor clears 8 KiB each time. A page that fills up one index at a time stays (a release at 100 % fill
// would otherwise rebuild it). Chunks are kept until the allocator is freed.
import {
  denseAllocate,
  denseBytes,
  denseClear,
  denseCreate,
  denseFirstClear,
  denseFree,
  denseMarkRange,
  denseNextClear,
  denseNextSet,
  denseRebuild,
  denseSet,
  denseTest,
} from './dense';

// @ts-ignore: decorator
@inline export const PAGE_SHIFT: u32 = 16;
// @ts-ignore: decorator
@inline const PAGE_MASK: u32 = 0xffff;
// @ts-ignore: decorator
@inline const CHUNK_SHIFT: u32 = 8;
// @ts-ignore: decorator
@inline const CHUNK_BYTES: usize = 1024;
// @ts-ignore: decorator
@inline export const EMPTY: u32 = 0;
// @ts-ignore: decorator
@inline export const FULL: u32 = 1;
// @ts-ignore: decorator
@inline const HEADER: usize = 32;

// @ts-ignore: decorator
@inline export function pageCount(h: usize): u32 { return load<u32>(h, 16); }
// @ts-ignore: decorator
@inline export function summaryOf(h: usize): usize { return <usize>load<u32>(h, 20); }
// @ts-ignore: decorator
@inline function chunkOf(h: usize, p: u32): usize { return <usize>load<u32>(h + HEADER + (<usize>(p >> CHUNK_SHIFT) << 2)); }

/** Indices page p covers: 2^16, the last page the rest. */
// @ts-ignore: decorator
@inline export function pageLen(h: usize, p: u32): u64 {
  return p + 1 < pageCount(h) ? <u64>1 << PAGE_SHIFT : load<u64>(h) - (<u64>p << PAGE_SHIFT);
}

/** Page p's slot value: EMPTY, FULL or a dense allocator's address. */
export function pageAt(h: usize, p: u32): u32 {
  const c = chunkOf(h, p);
  return c == 0 ? EMPTY : load<u32>(c + (<usize>(p & 255) << 2));
}

function putPage(h: usize, p: u32, v: u32): void {
  const r = h + HEADER + (<usize>(p >> CHUNK_SHIFT) << 2);
  let c = <usize>load<u32>(r);
  if (c == 0) {
    if (v == EMPTY) return;
    c = heap.alloc(CHUNK_BYTES);
    memory.fill(c, 0, CHUNK_BYTES);
    store<u32>(r, <u32>c);
  }
  store<u32>(c + (<usize>(p & 255) << 2), v);
}

/** A new page allocator for page p (the spare when there is one), all free or all used, stored in its slot. */
function makePage(h: usize, p: u32, full: bool): usize {
  const len = pageLen(h, p);
  const spare = <usize>load<u32>(h, 28);
  let pg: usize;
  if (spare != 0 && len == <u64>1 << PAGE_SHIFT) {
    pg = spare;
    store<u32>(h, 0, 28);
  } else pg = denseCreate(<f64>len);
  if (full) denseMarkRange(pg, 0, <u32>(len - 1), 1);
  putPage(h, p, <u32>pg);
  return pg;
}

// @ts-ignore: decorator
@inline function pageUsed(pg: usize): u64 { return load<u64>(pg, 8); }
/** Page p (allocator pg) emptied and left its slot: kept as the spare if there is none yet, else freed. */
function dropEmpty(h: usize, p: u32, pg: usize): void {
  putPage(h, p, EMPTY);
  if (load<u32>(h, 28) == 0 && pageLen(h, p) == <u64>1 << PAGE_SHIFT) store<u32>(h, <u32>pg, 28);
  else denseFree(pg);
}

// @ts-ignore: decorator
@inline function addUsed(h: usize, d: u64): void { store<u64>(h, load<u64>(h, 8) + d, 8); }

/** After page p (allocator pg) changed: the summary bit follows its fullness; an empty page is freed. */
function settle(h: usize, p: u32, pg: usize): void {
  const u = pageUsed(pg);
  if (u == pageLen(h, p)) denseSet(summaryOf(h), p);
  else denseClear(summaryOf(h), p);
  if (u == 0) dropEmpty(h, p, pg);
}

/** Allocates an empty paged allocator; returns its handle. Traps (unreachable) when memory cannot grow. */
export function pagedCreate(size: f64): usize {
  const n = <u64>size;
  const pages = <u32>((n + 0xffff) >> PAGE_SHIFT);
  const chunks = (pages + 255) >> CHUNK_SHIFT;
  const bytes = HEADER + (<usize>chunks << 2);
  const h = heap.alloc(bytes);
  memory.fill(h, 0, bytes);
  store<u64>(h, n, 0);
  store<u32>(h, pages, 16);
  store<u32>(h, chunks, 24);
  store<u32>(h, <u32>denseCreate(<f64>pages), 20);
  return h;
}

export function pagedFree(h: usize): void {
  const pages = pageCount(h);
  const chunks = load<u32>(h, 24);
  for (let c: u32 = 0; c < chunks; c++) {
    const ch = <usize>load<u32>(h + HEADER + (<usize>c << 2));
    if (ch == 0) continue;
    for (let j: u32 = 0; j < 256 && (c << CHUNK_SHIFT) + j < pages; j++) {
      const pg = load<u32>(ch + (<usize>j << 2));
      if (pg > FULL) denseFree(pg);
    }
    heap.free(ch);
  }
  const spare = load<u32>(h, 28);
  if (spare != 0) denseFree(spare);
  denseFree(summaryOf(h));
  heap.free(h);
}

export function pagedUsed(h: usize): f64 {
  return <f64>load<u64>(h, 8);
}

/** Bytes held: the block, the summary, the chunks and every page present (walks the chunks). */
export function pagedBytes(h: usize): f64 {
  const pages = pageCount(h);
  const chunks = load<u32>(h, 24);
  let total = <f64>(HEADER + (<usize>chunks << 2)) + denseBytes(<f64>pages);
  if (load<u32>(h, 28) != 0) total += denseBytes(<f64>(1 << PAGE_SHIFT));
  for (let c: u32 = 0; c < chunks; c++) {
    const ch = <usize>load<u32>(h + HEADER + (<usize>c << 2));
    if (ch == 0) continue;
    total += <f64>CHUNK_BYTES;
    for (let j: u32 = 0; j < 256 && (c << CHUNK_SHIFT) + j < pages; j++)
      if (load<u32>(ch + (<usize>j << 2)) > FULL) total += denseBytes(<f64>pageLen(h, (c << CHUNK_SHIFT) + j));
  }
  return total;
}

export function pagedAllocate(h: usize): f64 {
  const s = summaryOf(h);
  const q = denseFirstClear(s);
  if (q < 0) return -1;
  const p = <u32>q;
  let pg = <usize>pageAt(h, p);
  if (pg == EMPTY) pg = makePage(h, p, false);
  const j = denseAllocate(pg);
  addUsed(h, 1);
  if (pageUsed(pg) == pageLen(h, p)) denseSet(s, p);
  return <f64>((<u64>p << PAGE_SHIFT) + <u64>j);
}

/** Lowest free index >= from, or -1 (nothing is marked). */
export function pagedNextClear(h: usize, from: u32): f64 {
  const s = summaryOf(h);
  const p = from >> PAGE_SHIFT;
  if (!denseTest(s, p)) {
    const pg = <usize>pageAt(h, p);
    if (pg == EMPTY) return <f64>from;
    const j = denseNextClear(pg, from & PAGE_MASK);
    if (j >= 0) return <f64>(<u64>p << PAGE_SHIFT) + j;
  }
  if (p + 1 >= pageCount(h)) return -1;
  const q = denseNextClear(s, p + 1);
  if (q < 0) return -1;
  const pq = <u32>q;
  const pg = <usize>pageAt(h, pq);
  const base = <f64>(<u64>pq << PAGE_SHIFT);
  return pg == EMPTY ? base : base + denseFirstClear(pg);
}

export function pagedSet(h: usize, i: u32): i32 {
  const p = i >> PAGE_SHIFT;
  let pg = <usize>pageAt(h, p);
  if (pg == FULL) return 0;
  if (pg == EMPTY) pg = makePage(h, p, false);
  if (!denseSet(pg, i & PAGE_MASK)) return 0;
  addUsed(h, 1);
  if (pageUsed(pg) == pageLen(h, p)) denseSet(summaryOf(h), p);
  return 1;
}

export function pagedAllocateFrom(h: usize, from: u32): f64 {
  const r = pagedNextClear(h, from);
  if (r >= 0) pagedSet(h, <u32>r);
  return r;
}

export function pagedClear(h: usize, i: u32): i32 {
  const p = i >> PAGE_SHIFT;
  let pg = <usize>pageAt(h, p);
  if (pg == EMPTY) return 0;
  if (pg == FULL) pg = makePage(h, p, true);
  if (!denseClear(pg, i & PAGE_MASK)) return 0;
  addUsed(h, <u64>-1);
  const u = pageUsed(pg);
  if (u + 1 == pageLen(h, p)) denseClear(summaryOf(h), p); // it was full
  if (u == 0) dropEmpty(h, p, pg);
  return 1;
}

export function pagedTest(h: usize, i: u32): i32 {
  const pg = pageAt(h, i >> PAGE_SHIFT);
  if (pg <= FULL) return <i32>pg;
  return denseTest(pg, i & PAGE_MASK);
}

/**
 * Sets (used != 0) or clears [lo, hi]; returns how many bits changed. Whole pages take no memory. Each page
 * is changed and counted before the next is touched, so a trap while making a page (memory exhausted)
 * leaves a consistent allocator with the range applied up to that page.
 */
export function pagedMarkRange(h: usize, lo: u32, hi: u32, used: i32): f64 {
  const s = summaryOf(h);
  const p0 = lo >> PAGE_SHIFT;
  const p1 = hi >> PAGE_SHIFT;
  let changed: u64 = 0;
  for (let p = p0; p <= p1; p++) {
    const len = pageLen(h, p);
    const a: u32 = p == p0 ? lo & PAGE_MASK : 0;
    const b: u32 = p == p1 ? hi & PAGE_MASK : <u32>(len - 1);
    let pg = <usize>pageAt(h, p);
    const before: u64 = pg == EMPTY ? 0 : pg == FULL ? len : pageUsed(pg);
    let d: u64 = 0;
    if (a == 0 && <u64>b == len - 1) {
      if (used) {
        putPage(h, p, FULL); // may make a chunk first (a trap there changes nothing)
        denseSet(s, p);
        d = len - before;
      } else {
        putPage(h, p, EMPTY);
        denseClear(s, p);
        d = before;
      }
      if (pg > FULL) denseFree(pg);
    } else if (used ? pg != FULL : pg != EMPTY) {
      if (pg <= FULL) pg = makePage(h, p, pg == FULL);
      d = <u64>denseMarkRange(pg, a, b, used);
      settle(h, p, pg);
    }
    addUsed(h, used ? d : -d);
    changed += d;
  }
  return <f64>changed;
}

/** Lowest used index >= from, or -1 (skips absent chunks, scans a present page's words). */
export function pagedNextSet(h: usize, from: u32): f64 {
  const pages = pageCount(h);
  let p = from >> PAGE_SHIFT;
  let off = from & PAGE_MASK;
  while (p < pages) {
    const ch = chunkOf(h, p);
    if (ch == 0) {
      p = ((p >> CHUNK_SHIFT) + 1) << CHUNK_SHIFT;
      off = 0;
      continue;
    }
    const pg = load<u32>(ch + (<usize>(p & 255) << 2));
    if (pg == FULL) return <f64>((<u64>p << PAGE_SHIFT) + <u64>off);
    if (pg != EMPTY) {
      const j = denseNextSet(pg, off);
      if (j >= 0) return <f64>(<u64>p << PAGE_SHIFT) + j;
    }
    p++;
    off = 0;
  }
  return -1;
}

/** Page p's allocator for a raw load into a fresh allocator (made if absent; FULL is not expected). */
/** The spare page's allocator, or 0. */
export function pagedSpare(h: usize): usize {
  return <usize>load<u32>(h, 28);
}

export function pagedPageFor(h: usize, p: u32): usize {
  const pg = <usize>pageAt(h, p);
  return pg > FULL ? pg : makePage(h, p, false);
}

/** After page p's level 0 was overwritten from raw bytes: rebuilds it, the count and the summary bit. */
export function pagedPageLoaded(h: usize, p: u32): void {
  const pg = <usize>pageAt(h, p);
  const before = pageUsed(pg);
  denseRebuild(pg);
  addUsed(h, pageUsed(pg) - before);
  settle(h, p, pg);
}
