// The bounded history of changes (a ring buffer ordered by resourceVersion), from which watches replay.
// Entries hold the store's own immutable snapshots; copies are made only when delivered.
import type { KubeObject } from '../api/meta.ts';

export interface ChangeRecord {
  /** The store's version after this change. */
  rv: number;
  kind: string;
  /** "" for cluster-scoped kinds. */
  namespace: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The new state (for DELETED: the last state, carrying the deletion's resourceVersion). */
  object: KubeObject;
  /** The state before a MODIFIED change (for label-selector transitions). */
  previous?: KubeObject;
}

export class ChangeLog {
  readonly #capacity: number;
  readonly #ring: (ChangeRecord | undefined)[];
  #start = 0;
  #size = 0;
  /** Highest version no longer retained: a watch from below it cannot be served (Gone). */
  #compactedRv = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`history capacity must be >= 1, got ${capacity}`);
    this.#capacity = capacity;
    this.#ring = new Array(capacity);
  }

  get compactedRv(): number {
    return this.#compactedRv;
  }

  append(record: ChangeRecord): void {
    if (this.#size < this.#capacity) {
      this.#ring[(this.#start + this.#size) % this.#capacity] = record;
      this.#size++;
      return;
    }
    const evicted = this.#ring[this.#start];
    if (evicted) this.#compactedRv = evicted.rv;
    this.#ring[this.#start] = record;
    this.#start = (this.#start + 1) % this.#capacity;
  }

  /** Can every change after `rv` be replayed? */
  covers(rv: number): boolean {
    return rv >= this.#compactedRv;
  }

  /** Records with version > rv, oldest first (binary search, then a linear walk). */
  since(rv: number): ChangeRecord[] {
    let lo = 0;
    let hi = this.#size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const rec = this.#at(mid);
      if (rec.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    const out: ChangeRecord[] = [];
    for (let i = lo; i < this.#size; i++) out.push(this.#at(i));
    return out;
  }

  #at(i: number): ChangeRecord {
    const rec = this.#ring[(this.#start + i) % this.#capacity];
    if (!rec) throw new Error('change log index out of range');
    return rec;
  }
}
