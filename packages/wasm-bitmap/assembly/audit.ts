// Full audits: recount every bit and check it against the incremental counters and the summaries. They
// only read. The result is a code (0 consistent, 1 count, 2 summary, 3 padding, 4 structure) with details
// in auditLevel / auditWord / auditCounted.

import { EMPTY, FULL, pageAt, pageCount, pageLen, pagedSpare, summaryOf } from './paged';
import { ALL, childAt, childShift, isEmpty, isFull, ROOT } from './sparseNode';

// @ts-ignore: decorator
@inline const OK: i32 = 0;
// @ts-ignore: decorator
@inline const COUNT: i32 = 1;
// @ts-ignore: decorator
@inline const SUMMARY: i32 = 2;
// @ts-ignore: decorator
@inline const PADDING: i32 = 3;
// @ts-ignore: decorator
@inline const STRUCTURE: i32 = 4;

let level: i32 = 0;
let word: f64 = 0;
let counted: u64 = 0;

/** Level of the last finding (dense: summary level; sparse: trie level). */
export function auditLevel(): i32 {
  return level;
}
/** Word of the last finding (dense: word index in its level; sparse: first index the node covers). */
export function auditWord(): f64 {
  return word;
}
/** Bits counted by the last audit (modulo 2^64). */
export function auditCounted(): u64 {
  return counted;
}

function fail(code: i32, lv: i32, w: f64): i32 {
  level = lv;
  word = w;
  return code;
}

// Dense block layout: see dense.ts.
// @ts-ignore: decorator
@inline function lvp(h: usize, k: i32): usize { return <usize>load<u32>(h + 20 + (<usize>k << 2)); }
// @ts-ignore: decorator
@inline function lvn(h: usize, k: i32): u64 { return <u64>load<u32>(h + 44 + (<usize>k << 2)); }

/**
 * Dense: padding bits of every level are 1; level k+1 bit j is set exactly when word j of level k is all
 * ones; the popcount of level 0 (i64.popcnt, padding excluded) equals the kept count. One pass over level 0
 * computes the popcount and the level-1 words together.
 */
export function denseAudit(h: usize): i32 {
  const levels = <i32>load<u32>(h, 16);
  counted = 0;
  let bits = load<u64>(h);
  let pad0: u64 = 0;
  for (let k = 0; k < levels; k++) {
    const words = lvn(h, k);
    const valid = bits - ((words - 1) << 6);
    const pad: u64 = valid < 64 ? ALL << valid : 0;
    if (k == 0) pad0 = pad;
    if ((load<u64>(lvp(h, k) + (<usize>(words - 1) << 3)) & pad) != pad) return fail(PADDING, k, <f64>(words - 1));
    bits = words;
  }
  const leaf = lvp(h, 0);
  const words0 = lvn(h, 0);
  let c0: u64 = 0;
  let c1: u64 = 0;
  if (levels == 1) {
    for (let w: u64 = 0; w < words0; w++) c0 += popcnt(load<u64>(leaf + (<usize>w << 3)));
  } else {
    const l1 = lvp(h, 1);
    const words1 = lvn(h, 1);
    for (let j: u64 = 0; j < words1; j++) {
      const base = leaf + (<usize>j << 9);
      const n = j + 1 < words1 ? 64 : words0 - (j << 6);
      let expect: u64 = n < 64 ? ALL << n : 0;
      // A word is full exactly when its popcount is 64, so (popcount >> 6) is its summary bit.
      let b: u64 = 0;
      for (; b + 3 < n; b += 4) {
        const p = base + (<usize>b << 3);
        const x0 = popcnt(load<u64>(p));
        const x1 = popcnt(load<u64>(p, 8));
        const x2 = popcnt(load<u64>(p, 16));
        const x3 = popcnt(load<u64>(p, 24));
        c0 += x0 + x1;
        c1 += x2 + x3;
        expect |= ((x0 >> 6) | ((x1 >> 6) << 1) | ((x2 >> 6) << 2) | ((x3 >> 6) << 3)) << b;
      }
      for (; b < n; b++) {
        const x = popcnt(load<u64>(base + (<usize>b << 3)));
        c0 += x;
        expect |= (x >> 6) << b;
      }
      if (load<u64>(l1 + (<usize>j << 3)) != expect) return fail(SUMMARY, 1, <f64>j);
    }
  }
  counted = c0 + c1 - popcnt(pad0);
  for (let k = 2; k < levels; k++) {
    const below = lvp(h, k - 1);
    const nb = lvn(h, k - 1);
    const lv = lvp(h, k);
    const words = lvn(h, k);
    for (let j: u64 = 0; j < words; j++) {
      const n = j + 1 < words ? 64 : nb - (j << 6);
      let expect: u64 = n < 64 ? ALL << n : 0;
      for (let b: u64 = 0; b < n; b++) expect |= <u64>(load<u64>(below + (<usize>((j << 6) + b) << 3)) == ALL) << b;
      if (load<u64>(lv + (<usize>j << 3)) != expect) return fail(SUMMARY, k, <f64>j);
    }
  }
  return counted == load<u64>(h, 8) ? OK : fail(COUNT, 0, 0);
}

/** Sparse subtree check; adds the node's used bits to `counted`. */
function auditNode(node: usize, lv: i32, base: u64): i32 {
  if (lv == 0) {
    let full: u64 = 0;
    let any: u64 = 0;
    for (let w: u64 = 0; w < 64; w++) {
      const v = load<u64>(node + 16 + (<usize>w << 3));
      counted += popcnt(v);
      full |= <u64>(v == ALL) << w;
      any |= <u64>(v != 0) << w;
    }
    return load<u64>(node) == full && load<u64>(node, 8) == any ? OK : fail(SUMMARY, 0, <f64>base);
  }
  const full = load<u64>(node);
  const present = load<u64>(node, 8);
  if (full & present) return fail(STRUCTURE, lv, <f64>base);
  const shift = childShift(lv);
  counted += popcnt(full) << shift;
  for (let d: u64 = 0; d < 64; d++) {
    const child = childAt(node, d);
    const isPresent = ((present >> d) & 1) != 0;
    if ((child != 0) != isPresent) return fail(STRUCTURE, lv, <f64>base);
    if (!child) continue;
    const cb = base + (d << shift);
    // A child that became entirely used or entirely free is collapsed into its parent's bits.
    if (isFull(child) || isEmpty(child)) return fail(STRUCTURE, lv - 1, <f64>cb);
    const r = auditNode(child, lv - 1, cb);
    if (r != OK) return r;
  }
  return OK;
}

/** Sparse: node flags agree with children, leaves' summaries with their words, the recount with the count. */
export function sparseAudit(h: usize): i32 {
  counted = 0;
  const r = auditNode(<usize>load<u32>(h), ROOT, 0);
  if (r != OK) return r;
  return counted == load<u64>(h, 16) ? OK : fail(COUNT, 0, 0);
}

/**
 * Paged: every present page passes the dense audit (its level and word reported as found there) and holds
 * at least one used index (else structure at level 0, word = page); the summary's bit p is set exactly
 * when page p is full (else summary at level -1, word = page); the summary passes the dense audit; the
 * recount of all pages equals the kept count. The spare page, if any, audits clean and is empty (else
 * structure at level 0, word = the page count).
 */
export function pagedAudit(h: usize): i32 {
  const pages = pageCount(h);
  const s = summaryOf(h);
  let total: u64 = 0;
  for (let p: u32 = 0; p < pages; p++) {
    const pg = pageAt(h, p);
    const len = pageLen(h, p);
    let u: u64 = 0;
    if (pg == FULL) u = len;
    else if (pg != EMPTY) {
      const r = denseAudit(pg);
      if (r > COUNT) {
        counted = total;
        return r;
      }
      if (r == COUNT || counted == 0) {
        counted = total;
        return fail(STRUCTURE, 0, <f64>p);
      }
      u = counted;
    }
    total += u;
    const bit = (load<u64>(lvp(s, 0) + (<usize>(p >> 6) << 3)) >> (p & 63)) & 1;
    if ((bit == 1) != (u == len)) {
      counted = total;
      return fail(SUMMARY, -1, <f64>p);
    }
  }
  const spare = pagedSpare(h);
  if (spare != 0) {
    const r = denseAudit(spare);
    if (r != OK || counted != 0) {
      counted = total;
      return r > COUNT ? r : fail(STRUCTURE, 0, <f64>pages);
    }
  }
  const r = denseAudit(s);
  counted = total;
  if (r > COUNT) return r;
  return counted == load<u64>(h, 8) ? OK : fail(COUNT, 0, 0);
}
