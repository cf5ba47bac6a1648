// Pod UID -> the IPs recorded for it, without holding the UID strings (ADR 0028, ADR 0032): keyed by a 32-bit
// hash of the UID, the value is a reference to the record (its bitmap index as a number, or the IP text when
// it has none). Several records may share a hash (one Pod with several IPs, or a hash collision). The caller
// resolves a reference and checks the record's UID, so a collision costs a lookup, never a wrong answer.
// Number references (every record of an IPv4 pool inside its index space) live in an open-addressing table of
// typed arrays (linear probing, backward-shift deletion: no per-entry object, no rehash of a Map on a cold
// build of 100k records); text references in a Map beside it.
import { hashString } from './poolStatusText.ts';

/** A record: its bitmap index (>= 0) or, outside the index space, its IP text. */
export type RecordRef = number | string;

const MIN_SLOTS = 16;

/** The home slot of a hash in a table of 2^bits slots (Fibonacci hashing spreads FNV's low bits). */
const home = (hash: number, shift: number): number => Math.imul(hash, 0x9e3779b1) >>> shift;

export class UidIndex {
  /** Slot -> hash (valid where #refs is not 0). */
  #hashes = new Int32Array(MIN_SLOTS);
  /** Slot -> bitmap index + 1; 0: an empty slot. */
  #refs = new Float64Array(MIN_SLOTS);
  #shift = 32 - Math.log2(MIN_SLOTS);
  #used = 0;
  readonly #texts = new Map<number, string[]>();

  /** Adds `ref` under the UID whose hash is `hash` (hashString / hashRange of the UID); no duplicate pairs. */
  add(hash: number, ref: RecordRef): void {
    if (typeof ref === 'string') {
      const had = this.#texts.get(hash);
      if (had === undefined) this.#texts.set(hash, [ref]);
      else if (!had.includes(ref)) had.push(ref);
      return;
    }
    if (2 * (this.#used + 1) > this.#refs.length) this.#grow();
    this.#insert(hash, ref + 1);
  }

  /** Makes room for `n` more number references at once (a cold build knows its count). */
  reserve(n: number): void {
    while (2 * (this.#used + n) > this.#refs.length) this.#grow();
  }

  /** Inserts (hash, stored) unless present. */
  #insert(hash: number, stored: number): void {
    const mask = this.#refs.length - 1;
    const refs = this.#refs;
    const hashes = this.#hashes;
    for (let s = home(hash, this.#shift); ; s = (s + 1) & mask) {
      const r = refs[s] as number;
      if (r === 0) {
        refs[s] = stored;
        hashes[s] = hash;
        this.#used++;
        return;
      }
      if (r === stored && hashes[s] === hash) return;
    }
  }

  #grow(): void {
    const oldRefs = this.#refs;
    const oldHashes = this.#hashes;
    this.#refs = new Float64Array(oldRefs.length * 2);
    this.#hashes = new Int32Array(oldRefs.length * 2);
    this.#shift--;
    this.#used = 0;
    for (let s = 0; s < oldRefs.length; s++) {
      const r = oldRefs[s] as number;
      if (r !== 0) this.#insert(oldHashes[s] as number, r);
    }
  }

  remove(uid: string, ref: RecordRef): void {
    const hash = hashString(uid);
    if (typeof ref === 'string') {
      const had = this.#texts.get(hash);
      if (had === undefined) return;
      const rest = had.filter((x) => x !== ref);
      if (rest.length === 0) this.#texts.delete(hash);
      else this.#texts.set(hash, rest);
      return;
    }
    const mask = this.#refs.length - 1;
    const refs = this.#refs;
    const hashes = this.#hashes;
    const stored = ref + 1;
    let s = home(hash, this.#shift);
    for (; ; s = (s + 1) & mask) {
      const r = refs[s] as number;
      if (r === 0) return;
      if (r === stored && hashes[s] === hash) break;
    }
    // Backward shift: move later members of the cluster into the hole when their home allows it.
    let hole = s;
    for (let j = (s + 1) & mask; ; j = (j + 1) & mask) {
      const r = refs[j] as number;
      if (r === 0) break;
      const h = home(hashes[j] as number, this.#shift);
      // j may move to hole when its home is not in (hole, j] (cyclically).
      const inRange = hole <= j ? h > hole && h <= j : h > hole || h <= j;
      if (!inRange) {
        refs[hole] = r;
        hashes[hole] = hashes[j] as number;
        hole = j;
      }
    }
    refs[hole] = 0;
    this.#used--;
  }

  /** References that may hold `uid` (the caller checks each record's UID). */
  candidates(uid: string): readonly RecordRef[] {
    const hash = hashString(uid);
    const out: RecordRef[] = [];
    const mask = this.#refs.length - 1;
    const refs = this.#refs;
    const hashes = this.#hashes;
    for (let s = home(hash, this.#shift); ; s = (s + 1) & mask) {
      const r = refs[s] as number;
      if (r === 0) break;
      if (hashes[s] === hash) out.push(r - 1);
    }
    const texts = this.#texts.get(hash);
    if (texts !== undefined) out.push(...texts);
    return out;
  }

  clear(): void {
    this.#refs = new Float64Array(MIN_SLOTS);
    this.#hashes = new Int32Array(MIN_SLOTS);
    this.#shift = 32 - Math.log2(MIN_SLOTS);
    this.#used = 0;
    this.#texts.clear();
  }
}
