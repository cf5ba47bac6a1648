// Incremental encoder of a pool's `status.allocatedIPs`: the output is byte-identical to
// `encodeAllocatedIPs(records)` (Go's json.Marshal of the map), but a write after k record changes costs k
// fragment encodes, k·log n key comparisons, one array splice and one join instead of n re-serialisations
// and an n·log n sort. The encoder keeps the keys in Go order and each entry's encoded `"ip":{...}` fragment.
import { compareGoStrings, goQuote, type PoolIPAllocation } from '../api/index.ts';

/** One map entry exactly as Go's json.Marshal writes it: `"ip":{"pod":"..","podUid":".."}`. */
export const encodeAllocationFragment = (ip: string, rec: PoolIPAllocation): string =>
  `${goQuote(ip)}:{"pod":${goQuote(rec.pod)},"podUid":${goQuote(rec.podUid)}}`;

/** Index of the first key not ordered before `key` (Go byte order). */
const lowerBound = (keys: readonly string[], key: string): number => {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareGoStrings(keys[mid] as string, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

export class AllocatedIPsEncoder {
  /** Keys in Go order as of the last `encode` (may still hold keys in `#removed`, lacks `#added`). */
  #keys: string[] = [];
  /** Fragment of every current record. */
  readonly #fragments = new Map<string, string>();
  /** Current keys not yet in `#keys`. */
  readonly #added = new Set<string>();
  /** Keys still in `#keys` whose record is gone. */
  readonly #removed = new Set<string>();
  /** The last output while nothing changed since (null: must be rebuilt). */
  #text: string | undefined | null = undefined;

  /** Records (or replaces) the entry of `ip`. */
  set(ip: string, rec: PoolIPAllocation): void {
    const fragment = encodeAllocationFragment(ip, rec);
    const before = this.#fragments.get(ip);
    if (before === fragment) return;
    this.#fragments.set(ip, fragment);
    this.#text = null;
    if (before !== undefined) return;
    if (this.#removed.has(ip)) this.#removed.delete(ip);
    else this.#added.add(ip);
  }

  /** Drops the entry of `ip` (no-op when absent). */
  delete(ip: string): void {
    if (!this.#fragments.delete(ip)) return;
    this.#text = null;
    if (this.#added.has(ip)) this.#added.delete(ip);
    else this.#removed.add(ip);
  }

  get size(): number {
    return this.#fragments.size;
  }

  /** The last `encode` output if nothing changed since, else null (no work done). */
  lastEncoded(): string | undefined | null {
    return this.#text;
  }

  /** The status string, as `encodeAllocatedIPs` of the current records (undefined when empty). */
  encode(): string | undefined {
    if (this.#text !== null) return this.#text;
    this.#mergeKeys();
    if (this.#keys.length === 0) {
      this.#text = undefined;
      return undefined;
    }
    const parts: string[] = new Array(this.#keys.length);
    for (let i = 0; i < this.#keys.length; i++)
      parts[i] = this.#fragments.get(this.#keys[i] as string) as string;
    this.#text = `{${parts.join(',')}}`;
    return this.#text;
  }

  /** Brings `#keys` in step: drops removed keys, inserts added ones at their binary-searched places. */
  #mergeKeys(): void {
    let keys = this.#keys;
    if (this.#removed.size > 0) {
      const removed = this.#removed;
      keys = keys.filter((k) => !removed.has(k));
      removed.clear();
    }
    if (this.#added.size > 0) {
      const added = [...this.#added].sort(compareGoStrings);
      this.#added.clear();
      const out: string[] = new Array(keys.length + added.length);
      let from = 0;
      let o = 0;
      for (const key of added) {
        const at = lowerBound(keys, key);
        while (from < at) out[o++] = keys[from++] as string;
        out[o++] = key;
      }
      while (from < keys.length) out[o++] = keys[from++] as string;
      keys = out;
    }
    this.#keys = keys;
  }
}
