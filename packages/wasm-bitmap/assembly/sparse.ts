// Sparse bitmap over [0, size), size <= 2^64: a 64-ary trie whose absent subtrees are implicit.
//
//   handle (32 bytes):  +0 root u32 | +8 last index u64 | +16 used u64 (mod 2^64) | +24 root-valid mask u64
//   internal node, level L in 1..9, child span 2^(6+6L) (272 bytes):
//       +0 full u64     bit d: child d is entirely used (and its pointer is 0)
//       +8 present u64  bit d: child d is materialized (neither empty nor full)
//       +16 child[64] u32
//   leaf, level 0, 4096 indices (528 bytes):
//       +0 full u64 (word j all ones) | +8 any u64 (word j non-zero) | +16 word[64] u64
//
// A child with neither bit is entirely free. Subtrees that fill up are freed and become a `full` bit, and
// subtrees that empty are freed, so memory follows the boundary between used and free, not the count.
// A find walks one root-to-leaf path plus at most one sibling descent: O(levels) node reads.

import {
  ALL,
  ROOT,
  childAt,
  childShift,
  freeTree,
  isEmpty,
  newNode,
  setChild,
  treeBytes,
} from './sparseNode';

export function sparseCreate(last: u64): usize {
  const h = heap.alloc(32);
  store<u32>(h, <u32>newNode(ROOT, false));
  store<u64>(h, last, 8);
  store<u64>(h, 0, 16);
  const top = last >> 60; // root children 0..top hold indices
  store<u64>(h, top >= 63 ? ALL : (<u64>1 << (top + 1)) - 1, 24);
  return h;
}

export function sparseFree(h: usize): void {
  freeTree(<usize>load<u32>(h), ROOT);
  heap.free(h);
}

/** Used count modulo 2^64 (0 is ambiguous only for a full 2^64 space: see sparseEmpty). */
export function sparseUsed(h: usize): u64 {
  return load<u64>(h, 16);
}

/** Bytes held by the allocator: the handle and every node. */
export function sparseBytes(h: usize): f64 {
  return 32 + treeBytes(<usize>load<u32>(h), ROOT);
}

export function sparseEmpty(h: usize): i32 {
  return isEmpty(<usize>load<u32>(h)) ? 1 : 0;
}


export function sparseTest(h: usize, i: u64): i32 {
  let node = <usize>load<u32>(h);
  for (let level = ROOT; level > 0; level--) {
    const d = (i >> childShift(level)) & 63;
    if ((load<u64>(node) >> d) & 1) return 1;
    node = childAt(node, d);
    if (!node) return 0;
  }
  return <i32>((load<u64>(node + 16 + (<usize>((i >> 6) & 63) << 3)) >> (i & 63)) & 1);
}

/** 0: was already set; 1: set; 2: set and this node is now full. */
function setRec(node: usize, level: i32, i: u64): i32 {
  if (level == 0) {
    const w = (i >> 6) & 63;
    const p = node + 16 + (<usize>w << 3);
    const b = <u64>1 << (i & 63);
    let v = load<u64>(p);
    if (v & b) return 0;
    v |= b;
    store<u64>(p, v);
    store<u64>(node, load<u64>(node, 8) | (<u64>1 << w), 8);
    if (v != ALL) return 1;
    const f = load<u64>(node) | (<u64>1 << w);
    store<u64>(node, f);
    return f == ALL ? 2 : 1;
  }
  const d = (i >> childShift(level)) & 63;
  const bit = <u64>1 << d;
  if (load<u64>(node) & bit) return 0;
  let child = childAt(node, d);
  if (!child) {
    child = newNode(level - 1, false);
    setChild(node, d, child);
    store<u64>(node, load<u64>(node, 8) | bit, 8);
  }
  const r = setRec(child, level - 1, i);
  if (r != 2) return r;
  heap.free(child);
  setChild(node, d, 0);
  store<u64>(node, load<u64>(node, 8) & ~bit, 8);
  const f = load<u64>(node) | bit;
  store<u64>(node, f);
  return f == ALL ? 2 : 1;
}

/** 0: was already clear; 1: cleared; 2: cleared and this node is now empty. */
function clearRec(node: usize, level: i32, i: u64): i32 {
  if (level == 0) {
    const w = (i >> 6) & 63;
    const p = node + 16 + (<usize>w << 3);
    const b = <u64>1 << (i & 63);
    const v = load<u64>(p);
    if (!(v & b)) return 0;
    if (v == ALL) store<u64>(node, load<u64>(node) & ~(<u64>1 << w));
    store<u64>(p, v & ~b);
    if (v != b) return 1;
    const a = load<u64>(node, 8) & ~(<u64>1 << w);
    store<u64>(node, a, 8);
    return a == 0 ? 2 : 1;
  }
  const d = (i >> childShift(level)) & 63;
  const bit = <u64>1 << d;
  let child = childAt(node, d);
  if (!child) {
    if (!(load<u64>(node) & bit)) return 0;
    child = newNode(level - 1, true);
    setChild(node, d, child);
    store<u64>(node, load<u64>(node) & ~bit);
    store<u64>(node, load<u64>(node, 8) | bit, 8);
  }
  const r = clearRec(child, level - 1, i);
  if (r != 2) return r;
  heap.free(child);
  setChild(node, d, 0);
  store<u64>(node, load<u64>(node, 8) & ~bit, 8);
  return isEmpty(node) ? 2 : 1;
}

export function sparseSet(h: usize, i: u64): i32 {
  const r = setRec(<usize>load<u32>(h), ROOT, i);
  if (r) store<u64>(h, load<u64>(h, 16) + 1, 16);
  return r ? 1 : 0;
}

export function sparseClear(h: usize, i: u64): i32 {
  const r = clearRec(<usize>load<u32>(h), ROOT, i);
  if (r) store<u64>(h, load<u64>(h, 16) - 1, 16);
  return r ? 1 : 0;
}
