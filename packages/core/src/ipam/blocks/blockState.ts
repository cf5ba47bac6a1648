// One block as an agent holds it: which ordinals are free (a bitset of at most 1024 bits: the lowest free
// ordinal is a few word operations), its records by ordinal, and the resourceVersion it was read at.

import type { BlockGeometry } from './blockGeometry.ts';
import type { SpiderIPBlock } from './blockObject.ts';
import { type BlockRecordTuple, newBlockObject } from './blockObject.ts';

export class BlockState {
  readonly index: bigint;
  node: string;
  /** The object as last read or written; undefined: not in the store yet (to be created). */
  stored: SpiderIPBlock | undefined;
  readonly #free: Uint32Array;
  readonly #usable: Uint32Array;
  readonly records = new Map<number, BlockRecordTuple>();
  #freeCount = 0;

  constructor(geometry: BlockGeometry, index: bigint, node: string, stored?: SpiderIPBlock) {
    this.index = index;
    this.node = node;
    this.stored = stored;
    this.#usable = geometry.usableMask(index);
    this.#free = this.#usable.slice();
    for (const w of this.#free) this.#freeCount += popcount(w);
  }

  get freeCount(): number {
    return this.#freeCount;
  }

  /** Marks and returns the lowest free ordinal, or -1. */
  take(): number {
    for (let w = 0; w < this.#free.length; w++) {
      const word = this.#free[w] as number;
      if (word === 0) continue;
      const bit = 31 - Math.clz32(word & -word);
      this.#free[w] = word & ~(1 << bit);
      this.#freeCount--;
      return w * 32 + bit;
    }
    return -1;
  }

  isFree(ordinal: number): boolean {
    return ((this.#free[ordinal >>> 5] as number) & (1 << (ordinal & 31))) !== 0;
  }

  /** Records `t` (its ordinal marked used, taken or not). */
  put(t: BlockRecordTuple): void {
    const o = t[0];
    if (this.isFree(o)) {
      this.#free[o >>> 5] = (this.#free[o >>> 5] as number) & ~(1 << (o & 31));
      this.#freeCount--;
    }
    this.records.set(o, t);
  }

  /** Drops the record of `ordinal`; its address is free again if usable. */
  remove(ordinal: number): BlockRecordTuple | undefined {
    const t = this.records.get(ordinal);
    if (t === undefined) return undefined;
    this.records.delete(ordinal);
    this.#unmark(ordinal);
    return t;
  }

  /** Gives back an ordinal `take` returned that was not recorded after all. */
  untake(ordinal: number): void {
    if (!this.records.has(ordinal)) this.#unmark(ordinal);
  }

  #unmark(ordinal: number): void {
    const usable = ((this.#usable[ordinal >>> 5] as number) & (1 << (ordinal & 31))) !== 0;
    if (usable && !this.isFree(ordinal)) {
      this.#free[ordinal >>> 5] = (this.#free[ordinal >>> 5] as number) | (1 << (ordinal & 31));
      this.#freeCount++;
    }
  }

  /** The object to write (records ascending by ordinal); an update carries the metadata it was read with. */
  toObject(geometry: BlockGeometry): SpiderIPBlock {
    const allocations = [...this.records.values()].sort((a, b) => a[0] - b[0]);
    const status = { allocatedCount: allocations.length, allocations };
    if (this.stored !== undefined) return { ...this.stored, status };
    return newBlockObject(
      {
        pool: geometry.pool,
        index: this.index.toString(10),
        cidr: geometry.blockCIDR(this.index),
        node: this.node,
      },
      allocations,
    );
  }
}

const popcount = (w: number): number => {
  let x = w - ((w >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};
