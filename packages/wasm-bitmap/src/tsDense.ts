// Pure-TypeScript dense engine: a hierarchical bitmap of 32-bit words.
//
//   level k+1 word:  bit j = 1  <=>  word j of level k is all ones (full)
//   level 0 words:   bit i = 1  <=>  index i is used
//
// Bits past the end of each level (padding) are kept at 1, so a descent from the single top word along
// lowest-zero bits lands on the lowest free index in O(levels) word reads. Counts are kept incrementally.
import type { Corruption, EngineAudit } from './audit.ts';
import { ctz32, maskFrom, maskTo, popcnt32 } from './bits32.ts';
import { checksum64 } from './checksum.ts';
import { encodeDense, tailMask } from './codec.ts';
import type { DenseEngine } from './engine.ts';
import { auditLevels32 } from './tsDenseAudit.ts';

const FULL = 0xffffffff;

const buildLevels = (size: number): Uint32Array[] => {
  const levels: Uint32Array[] = [];
  let bits = size;
  do {
    const words = Math.ceil(bits / 32);
    const lv = new Uint32Array(words);
    const pad = bits - (words - 1) * 32; // valid bits in the last word, 1..32
    if (pad < 32) lv[words - 1] = maskFrom(pad);
    levels.push(lv);
    bits = words;
  } while (bits > 1);
  return levels;
};

export class TsDenseEngine implements DenseEngine {
  readonly impl = 'ts' as const;
  private levels: Uint32Array[];
  private leaf: Uint32Array;
  private count = 0;
  private readonly size: number;

  constructor(size: number) {
    this.size = size;
    this.levels = buildLevels(size);
    this.leaf = this.levels[0] as Uint32Array;
  }

  used(): number {
    return this.count;
  }

  bytes(): number {
    return this.levels.reduce((n, lv) => n + lv.byteLength, 0);
  }

  allocate(): number {
    const levels = this.levels;
    let pos = 0;
    for (let k = levels.length - 1; k >= 0; k--) {
      const w = (levels[k] as Uint32Array)[pos] as number;
      if (~w === 0) return -1; // only reachable at the top: every lower word on the path has a zero
      pos = pos * 32 + ctz32(~w);
    }
    this.setFree(pos);
    return pos;
  }

  allocateFrom(cursor: number): number {
    const i = this.nextClear(cursor);
    if (i >= 0) this.setFree(i);
    return i;
  }

  set(index: number): boolean {
    const w = index >>> 5;
    const m = 1 << (index & 31);
    const word = this.leaf[w] as number;
    if (word & m) return false;
    this.setFree(index);
    return true;
  }

  /** Sets a bit known to be 0 and propagates fullness upwards. */
  private setFree(index: number): void {
    let pos = index >>> 5;
    const leaf = this.leaf;
    const v = ((leaf[pos] as number) | (1 << (index & 31))) >>> 0;
    leaf[pos] = v;
    this.count++;
    if (v !== FULL) return;
    const levels = this.levels;
    for (let k = 1; k < levels.length; k++) {
      const lv = levels[k] as Uint32Array;
      const w = pos >>> 5;
      const nv = ((lv[w] as number) | (1 << (pos & 31))) >>> 0;
      lv[w] = nv;
      if (nv !== FULL) return;
      pos = w;
    }
  }

  clear(index: number): boolean {
    let pos = index >>> 5;
    const leaf = this.leaf;
    const old = leaf[pos] as number;
    const m = 1 << (index & 31);
    if (!(old & m)) return false;
    leaf[pos] = (old & ~m) >>> 0;
    this.count--;
    if (old !== FULL) return true;
    const levels = this.levels;
    for (let k = 1; k < levels.length; k++) {
      const lv = levels[k] as Uint32Array;
      const w = pos >>> 5;
      const o = lv[w] as number;
      lv[w] = (o & ~(1 << (pos & 31))) >>> 0;
      if (o !== FULL) return true;
      pos = w;
    }
    return true;
  }

  get(index: number): boolean {
    return (((this.leaf[index >>> 5] as number) >>> (index & 31)) & 1) === 1;
  }

  markRange(lo: number, hi: number, used: boolean): number {
    const leaf = this.leaf;
    const w0 = lo >>> 5;
    const w1 = hi >>> 5;
    let changed = 0;
    for (let w = w0; w <= w1; w++) {
      let m = FULL;
      if (w === w0) m &= maskFrom(lo & 31);
      if (w === w1) m &= maskTo(hi & 31);
      const old = leaf[w] as number;
      const nv = (used ? old | m : old & ~m) >>> 0;
      changed += popcnt32((old ^ nv) >>> 0);
      leaf[w] = nv;
    }
    this.count += used ? changed : -changed;
    this.rebuildSummaries(w0, w1);
    return changed;
  }

  /** Recomputes the summary bits above leaf words [w0, w1]. */
  private rebuildSummaries(w0: number, w1: number): void {
    const levels = this.levels;
    let a = w0;
    let b = w1;
    for (let k = 1; k < levels.length; k++) {
      const below = levels[k - 1] as Uint32Array;
      const lv = levels[k] as Uint32Array;
      for (let j = a; j <= b; j++) {
        const w = j >>> 5;
        const bit = 1 << (j & 31);
        lv[w] = ((below[j] as number) === FULL ? (lv[w] as number) | bit : (lv[w] as number) & ~bit) >>> 0;
      }
      a >>>= 5;
      b >>>= 5;
    }
  }

  nextSet(from: number): number {
    const leaf = this.leaf;
    const last = leaf.length - 1;
    const size = this.size;
    let w = from >>> 5;
    let bits = (leaf[w] as number) & maskFrom(from & 31);
    while (bits === 0) {
      if (++w > last) return -1;
      bits = leaf[w] as number;
    }
    const i = w * 32 + ctz32(bits);
    return i < size ? i : -1;
  }

  nextClear(from: number): number {
    const levels = this.levels;
    let pos = from >>> 5;
    let bits = ~(this.leaf[pos] as number) & maskFrom(from & 31);
    let k = 0;
    while (bits === 0) {
      k++;
      if (k === levels.length) return -1;
      const bit = (pos & 31) + 1;
      pos >>>= 5;
      bits = ~((levels[k] as Uint32Array)[pos] as number) & maskFrom(bit);
    }
    pos = pos * 32 + ctz32(bits);
    for (k--; k >= 0; k--) pos = pos * 32 + ctz32(~((levels[k] as Uint32Array)[pos] as number));
    return pos < this.size ? pos : -1;
  }

  writeRaw(out: Uint8Array, offset: number): void {
    const n = Math.ceil(this.size / 8);
    out.set(new Uint8Array(this.leaf.buffer, this.leaf.byteOffset, n), offset);
    const tail = this.size & 7;
    if (tail !== 0) out[offset + n - 1] = (out[offset + n - 1] as number) & ((1 << tail) - 1);
  }

  loadRaw(src: Uint8Array, offset: number): void {
    const n = Math.ceil(this.size / 8);
    this.levels = buildLevels(this.size);
    const leaf = this.levels[0] as Uint32Array;
    const pad = leaf[leaf.length - 1] as number;
    new Uint8Array(leaf.buffer).set(src.subarray(offset, offset + n));
    leaf[leaf.length - 1] = ((leaf[leaf.length - 1] as number) | pad) >>> 0;
    this.leaf = leaf;
    let count = 0;
    for (let w = 0; w < leaf.length; w++) count += popcnt32(leaf[w] as number);
    this.count = count - popcnt32(pad);
    this.rebuildSummaries(0, leaf.length - 1);
  }

  rawChecksum(seed: bigint): bigint {
    const n = Math.ceil(this.size / 8);
    return checksum64(
      new Uint8Array(this.leaf.buffer, this.leaf.byteOffset, n),
      0,
      n,
      seed,
      tailMask(this.size),
    );
  }

  encode(): Uint8Array {
    return encodeDense(this, this.size);
  }

  audit(): EngineAudit<number> {
    return auditLevels32(this.levels, this.size);
  }

  corrupt(c: Corruption): boolean {
    const leaf = this.leaf;
    if (c === 'count') this.count++;
    else if (c === 'summary') {
      const l1 = this.levels[1];
      if (l1 === undefined) return false;
      l1[0] = ((l1[0] as number) ^ 1) >>> 0;
    } else {
      if (this.size % 32 === 0) return false;
      leaf[leaf.length - 1] = ((leaf[leaf.length - 1] as number) & 0x7fffffff) >>> 0;
    }
    return true;
  }

  free(): void {
    this.levels = [];
    this.leaf = new Uint32Array(0);
  }
}
