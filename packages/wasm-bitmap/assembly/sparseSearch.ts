// Searches and range marking on the sparse trie (layout in sparse.ts).
import {
  ALL,
  ROOT,
  above,
  childAt,
  childShift,
  countTree,
  freeTree,
  isEmpty,
  isFull,
  newNode,
  setChild,
} from './sparseNode';

/** Set by the searches: whether the returned index is meaningful. */
let found: bool = false;
/** Root children that hold indices of the current call's handle (those past the last index are off). */
let rootValid: u64 = ALL;

// @ts-ignore: decorator
@inline function limit(level: i32, m: u64): u64 { return level == ROOT ? m & rootValid : m; }

/** Whether the last search returned an index (disambiguates 2^64 - 1 from the -1 sentinel). */
export function sparseFound(): i32 {
  return found ? 1 : 0;
}

/** Lowest free index >= c inside node (base = its first index); sets `found`. */
function findFree(node: usize, level: i32, base: u64, c: u64): u64 {
  if (level == 0) {
    const w = (c >> 6) & 63;
    const bits = ~load<u64>(node + 16 + (<usize>w << 3)) & (ALL << (c & 63));
    found = true;
    if (bits) return base + (w << 6) + ctz(bits);
    const m = ~load<u64>(node) & above(w);
    if (m) {
      const j = ctz(m);
      return base + (j << 6) + ctz(~load<u64>(node + 16 + (<usize>j << 3)));
    }
    found = false;
    return 0;
  }
  const shift = childShift(level);
  const d = (c >> shift) & 63;
  if (!((load<u64>(node) >> d) & 1)) {
    const child = childAt(node, d);
    found = true;
    if (!child) return c;
    const r = findFree(child, level - 1, base + (d << shift), c);
    if (found) return r;
  }
  const m = limit(level, ~load<u64>(node) & above(d));
  if (!m) {
    found = false;
    return 0;
  }
  const j = ctz(m);
  const cb = base + (j << shift);
  const child = childAt(node, j);
  found = true;
  if (!child) return cb;
  return findFree(child, level - 1, cb, cb);
}

/** Lowest used index >= c inside node; sets `found`. */
function findUsed(node: usize, level: i32, base: u64, c: u64): u64 {
  if (level == 0) {
    const w = (c >> 6) & 63;
    const bits = load<u64>(node + 16 + (<usize>w << 3)) & (ALL << (c & 63));
    found = true;
    if (bits) return base + (w << 6) + ctz(bits);
    const m = load<u64>(node, 8) & above(w);
    if (m) {
      const j = ctz(m);
      return base + (j << 6) + ctz(load<u64>(node + 16 + (<usize>j << 3)));
    }
    found = false;
    return 0;
  }
  const shift = childShift(level);
  const d = (c >> shift) & 63;
  found = true;
  if ((load<u64>(node) >> d) & 1) return c;
  const child = childAt(node, d);
  if (child) {
    const r = findUsed(child, level - 1, base + (d << shift), c);
    if (found) return r;
  }
  const m = limit(level, (load<u64>(node) | load<u64>(node, 8)) & above(d));
  if (!m) {
    found = false;
    return 0;
  }
  const j = ctz(m);
  const cb = base + (j << shift);
  found = true;
  if ((load<u64>(node) >> j) & 1) return cb;
  return findUsed(childAt(node, j), level - 1, cb, cb);
}

/** Lowest free index >= c, or -1 (check sparseFound when -1 could be 2^64 - 1). */
export function sparseNextClear(h: usize, c: u64): u64 {
  rootValid = load<u64>(h, 24);
  const r = findFree(<usize>load<u32>(h), ROOT, 0, c);
  if (found && r > load<u64>(h, 8)) found = false;
  return found ? r : ALL;
}

export function sparseNextSet(h: usize, c: u64): u64 {
  rootValid = load<u64>(h, 24);
  const r = findUsed(<usize>load<u32>(h), ROOT, 0, c);
  if (found && r > load<u64>(h, 8)) found = false;
  return found ? r : ALL;
}

export function sparseAllocateFrom(h: usize, c: u64): u64 {
  const r = sparseNextClear(h, c);
  if (!found) return ALL;
  markRec(<usize>load<u32>(h), ROOT, 0, r, r, true);
  store<u64>(h, load<u64>(h, 16) + 1, 16);
  found = true;
  return r;
}

export function sparseAllocate(h: usize): u64 {
  return sparseAllocateFrom(h, 0);
}

/** Sets or clears [lo, hi] within node (which covers [base, ...]); returns how many bits changed. */
function markRec(node: usize, level: i32, base: u64, lo: u64, hi: u64, used: bool): u64 {
  let changed: u64 = 0;
  if (level == 0) {
    const a = lo > base ? lo : base;
    const b = hi < base + 4095 ? hi : base + 4095;
    const w0 = (a - base) >> 6;
    const w1 = (b - base) >> 6;
    let full = load<u64>(node);
    let any = load<u64>(node, 8);
    for (let w = w0; w <= w1; w++) {
      let m = ALL;
      if (w == w0) m &= ALL << ((a - base) & 63);
      if (w == w1) m &= ALL >> (63 - ((b - base) & 63));
      const p = node + 16 + (<usize>w << 3);
      const old = load<u64>(p);
      const nv = used ? old | m : old & ~m;
      changed += popcnt(old ^ nv);
      store<u64>(p, nv);
      const bit = <u64>1 << w;
      full = nv == ALL ? full | bit : full & ~bit;
      any = nv != 0 ? any | bit : any & ~bit;
    }
    store<u64>(node, full);
    store<u64>(node, any, 8);
    return changed;
  }
  const shift = childShift(level);
  const span: u64 = <u64>1 << shift;
  const a = lo > base ? lo : base;
  // The root spans 2^66, past u64: clamp only below the root.
  const b = level == ROOT || hi < base + (span << 6) - 1 ? hi : base + (span << 6) - 1;
  const d0 = (a - base) >> shift;
  const d1 = (b - base) >> shift;
  for (let d = d0; d <= d1; d++) {
    const cb = base + (d << shift);
    const ce = cb + span - 1;
    const bit = <u64>1 << d;
    const isFullBit = (load<u64>(node) & bit) != 0;
    let child = childAt(node, d);
    if (a <= cb && ce <= b) {
      // The whole child is covered: it becomes an implicit full or empty subtree.
      const before: u64 = isFullBit ? span : child ? countTree(child, level - 1) : 0;
      if (child) freeTree(child, level - 1);
      setChild(node, d, 0);
      store<u64>(node, load<u64>(node, 8) & ~bit, 8);
      store<u64>(node, used ? load<u64>(node) | bit : load<u64>(node) & ~bit);
      changed += used ? span - before : before;
      continue;
    }
    if (!child) {
      if (isFullBit == used) continue; // already in the wanted state
      child = newNode(level - 1, isFullBit);
      setChild(node, d, child);
      store<u64>(node, load<u64>(node) & ~bit);
      store<u64>(node, load<u64>(node, 8) | bit, 8);
    }
    changed += markRec(child, level - 1, cb, a, b, used);
    if (isFull(child) || isEmpty(child)) {
      const full = isFull(child);
      heap.free(child);
      setChild(node, d, 0);
      store<u64>(node, load<u64>(node, 8) & ~bit, 8);
      if (full) store<u64>(node, load<u64>(node) | bit);
    }
  }
  return changed;
}

/** Sets (used != 0) or clears [lo, hi]; the used count is updated (modulo 2^64). */
export function sparseMarkRange(h: usize, lo: u64, hi: u64, used: i32): void {
  const changed = markRec(<usize>load<u32>(h), ROOT, 0, lo, hi, used != 0);
  const u = load<u64>(h, 16);
  store<u64>(h, used ? u + changed : u - changed, 16);
}
