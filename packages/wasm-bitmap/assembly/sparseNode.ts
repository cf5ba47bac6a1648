// Node layout and whole-subtree helpers of the sparse trie (layout diagram in sparse.ts).

// @ts-ignore: decorator
@inline export const ALL: u64 = 0xffffffffffffffff;
// @ts-ignore: decorator
@inline export const ROOT: i32 = 9;
// @ts-ignore: decorator
@inline export const LEAF_BYTES: usize = 528;
// @ts-ignore: decorator
@inline export const NODE_BYTES: usize = 272;


// @ts-ignore: decorator
@inline export function above(d: u64): u64 { return d >= 63 ? 0 : ALL << (d + 1); }
// @ts-ignore: decorator
@inline export function childShift(level: i32): u64 { return <u64>(6 + 6 * level); }
// @ts-ignore: decorator
@inline export function childAt(node: usize, d: u64): usize { return <usize>load<u32>(node + 16 + (<usize>d << 2)); }
// @ts-ignore: decorator
@inline export function setChild(node: usize, d: u64, c: usize): void { store<u32>(node + 16 + (<usize>d << 2), <u32>c); }

export function newNode(level: i32, full: bool): usize {
  const bytes = level == 0 ? LEAF_BYTES : NODE_BYTES;
  const n = heap.alloc(bytes);
  memory.fill(n, 0, bytes);
  if (full) {
    store<u64>(n, ALL);
    if (level == 0) {
      store<u64>(n, ALL, 8);
      memory.fill(n + 16, 0xff, 512);
    }
  }
  return n;
}

export function freeTree(node: usize, level: i32): void {
  if (level > 0) {
    let m = load<u64>(node, 8);
    while (m) {
      const d = ctz(m);
      freeTree(childAt(node, d), level - 1);
      m &= m - 1;
    }
  }
  heap.free(node);
}

/** Bytes held by the subtree at node. */
export function treeBytes(node: usize, level: i32): f64 {
  if (level == 0) return <f64>LEAF_BYTES;
  let b = <f64>NODE_BYTES;
  let m = load<u64>(node, 8);
  while (m) {
    b += treeBytes(childAt(node, ctz(m)), level - 1);
    m &= m - 1;
  }
  return b;
}

export function countTree(node: usize, level: i32): u64 {
  let c: u64 = 0;
  if (level == 0) {
    for (let w: usize = 0; w < 64; w++) c += popcnt(load<u64>(node + 16 + (w << 3)));
    return c;
  }
  c = popcnt(load<u64>(node)) << childShift(level);
  let m = load<u64>(node, 8);
  while (m) {
    c += countTree(childAt(node, ctz(m)), level - 1);
    m &= m - 1;
  }
  return c;
}

// @ts-ignore: decorator
@inline export function isFull(node: usize): bool { return load<u64>(node) == ALL; }
// @ts-ignore: decorator
@inline export function isEmpty(node: usize): bool { return (load<u64>(node) | load<u64>(node, 8)) == 0; }

