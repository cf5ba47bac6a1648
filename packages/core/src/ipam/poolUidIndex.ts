// Pod UID -> the IPs recorded for it, without holding the UID strings (ADR 0028): keyed by a 32-bit hash of
// the UID (an Smi), the value is a reference to the record (its bitmap index as a number, or the IP text when
// it has none), or a list of them when several records share the hash (one Pod with several IPs, or a hash
// collision). The caller resolves a reference and checks the record's UID, so a collision costs a lookup,
// never a wrong answer.
import { hashString } from './poolStatusText.ts';

/** A record: its bitmap index (>= 0) or, outside the index space, its IP text. */
export type RecordRef = number | string;

export class UidIndex {
  readonly #byHash = new Map<number, RecordRef | RecordRef[]>();

  /** Adds `ref` under the UID whose hash is `hash` (hashString / hashRange of the UID). */
  add(hash: number, ref: RecordRef): void {
    const had = this.#byHash.get(hash);
    if (had === undefined) this.#byHash.set(hash, ref);
    else if (Array.isArray(had)) {
      if (!had.includes(ref)) had.push(ref);
    } else if (had !== ref) this.#byHash.set(hash, [had, ref]);
  }

  remove(uid: string, ref: RecordRef): void {
    const hash = hashString(uid);
    const had = this.#byHash.get(hash);
    if (had === ref) this.#byHash.delete(hash);
    else if (Array.isArray(had)) {
      const rest = had.filter((x) => x !== ref);
      if (rest.length === 1) this.#byHash.set(hash, rest[0] as RecordRef);
      else if (rest.length === 0) this.#byHash.delete(hash);
      else this.#byHash.set(hash, rest);
    }
  }

  /** References that may hold `uid`, in insertion order (the caller checks each record's UID). */
  candidates(uid: string): readonly RecordRef[] {
    const had = this.#byHash.get(hashString(uid));
    return had === undefined ? [] : Array.isArray(had) ? had : [had];
  }

  clear(): void {
    this.#byHash.clear();
  }
}
