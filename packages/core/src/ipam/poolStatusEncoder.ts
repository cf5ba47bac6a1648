// Incremental encoder of a pool's `status.allocatedIPs`: the output is byte-identical to
// `encodeAllocatedIPs(records)` (Go's json.Marshal of the map), but a write after k record changes costs
// k·log n key comparisons, k fragment encodings spliced into the text of the block each lands in (a copy of
// at most one block, no re-quoting of its other entries), then one join of the n/256..n/128 block texts,
// instead of n re-serialisations and an n·log n sort (ADR 0023). The keys are kept in Go order, cut into
// blocks that cache their encoded `"ip":{...},...` text and where each entry ends in it; loading n records
// only places keys (entries are encoded on the first `encode`).
import { compareGoStrings, encodeAllocationEntry, type PoolIPAllocation } from '../api/index.ts';

/** One map entry exactly as Go's json.Marshal writes it: `"ip":{"pod":"..","podUid":".."}`. */
export const encodeAllocationFragment = encodeAllocationEntry;

/** Keys with a code unit >= U+D800, where UTF-16 order (JS `<`) and Go's byte order can disagree. */
const UNSAFE = /[\ud800-\uffff]/;
/** Entries per block (between BLOCK and 2·BLOCK once split): a change copies one block, an encode joins them. */
const BLOCK = 128;

/**
 * A status string another writer produced, cut against our encoding: our blocks whose text it repeats
 * verbatim at its start and at its end are unchanged; `middle` is the text between them (the members of a
 * JSON object, possibly none), replacing our records `ours`. Its keys must lie strictly between `low` and
 * `high` (the neighbouring unchanged keys) for the cut to be valid.
 */
export interface ForeignSplit {
  ours: string[];
  middle: string;
  low: string | undefined;
  high: string | undefined;
}

interface Block {
  /** Keys in Go order. */
  keys: string[];
  /** The block's entries encoded and joined with ',' (null: must be rebuilt from the records). */
  text: string | null;
  /** While `text` is set: where entry i ends in it (exclusive); entry i starts at ends[i-1] + 1 (or 0). */
  ends: number[];
}

const startOf = (block: Block, i: number): number => (i === 0 ? 0 : (block.ends[i - 1] as number) + 1);

/** Adds `delta` to the end offsets from index `from` on. */
const shift = (ends: number[], from: number, delta: number): void => {
  for (let i = from; i < ends.length; i++) ends[i] = (ends[i] as number) + delta;
};

export class AllocatedIPsEncoder {
  /** Blocks in Go key order; none is empty. */
  #blocks: Block[] = [];
  /** Every current record: the owner's map (kept current by the owner) or our own. */
  readonly #records: ReadonlyMap<string, PoolIPAllocation>;
  /** Our own map when no owner's map was given (set / delete keep it). */
  readonly #own: Map<string, PoolIPAllocation> | undefined;
  #count = 0;
  /** Current keys for which JS string order is not Go order (native `<` is used while this is empty). */
  readonly #unsafe = new Set<string>();
  /** The last output while nothing changed since (null: must be rebuilt). */
  #text: string | undefined | null = undefined;

  /**
   * `records`: the owner's map of the same records, which the owner updates before each `set` (and around
   * each `delete`), so the records are not held twice; without it the encoder keeps its own copy.
   */
  constructor(records?: ReadonlyMap<string, PoolIPAllocation>) {
    if (records === undefined) {
      this.#own = new Map();
      this.#records = this.#own;
    } else {
      this.#own = undefined;
      this.#records = records;
    }
  }

  /**
   * Go order of a stored key and a probe. While every stored key is below U+D800 in each code unit, JS order
   * is Go order whatever the probe holds (at the first difference the stored unit is < U+D800, and both
   * orders put any unit or code point >= U+D800 after it), so native `<` is used.
   */
  #compare(stored: string, probe: string): number {
    if (this.#unsafe.size === 0) return stored < probe ? -1 : stored > probe ? 1 : 0;
    return compareGoStrings(stored, probe);
  }

  /** First index in `keys` whose key is not ordered before `key`. */
  #lowerBound(keys: readonly string[], key: string): number {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#compare(keys[mid] as string, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The block `key` belongs in: the last one whose first key is not after it (or the first block). */
  #blockFor(key: string): number {
    let lo = 0;
    let hi = this.#blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.#compare((this.#blocks[mid] as Block).keys[0] as string, key) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Records (or replaces) the entry of `ip`. */
  set(ip: string, rec: PoolIPAllocation): void {
    if (this.#own !== undefined) {
      const before = this.#own.get(ip);
      if (before !== undefined && before.pod === rec.pod && before.podUid === rec.podUid) return;
      this.#own.set(ip, { pod: rec.pod, podUid: rec.podUid });
    }
    this.#text = null;
    // Compare with the keys already stored before this one may switch the order used.
    const block = this.#blocks[this.#blocks.length === 0 ? -1 : this.#blockFor(ip)];
    if (!block) {
      this.#blocks.push({ keys: [ip], text: null, ends: [] });
      this.#count++;
      if (UNSAFE.test(ip)) this.#unsafe.add(ip);
      return;
    }
    const j = this.#lowerBound(block.keys, ip);
    const exists = block.keys[j] === ip;
    if (block.text !== null) {
      const frag = encodeAllocationEntry(ip, rec);
      const start = startOf(block, j);
      const text = block.text;
      if (exists) {
        const end = block.ends[j] as number;
        block.text = text.slice(0, start) + frag + text.slice(end);
        shift(block.ends, j, frag.length - (end - start));
      } else if (j === block.keys.length) {
        block.text = `${text},${frag}`;
        block.ends.push(block.text.length);
      } else {
        block.text = `${text.slice(0, start)}${frag},${text.slice(start)}`;
        shift(block.ends, j, frag.length + 1);
        block.ends.splice(j, 0, start + frag.length);
      }
    }
    if (exists) return;
    block.keys.splice(j, 0, ip);
    this.#count++;
    if (UNSAFE.test(ip)) this.#unsafe.add(ip);
    if (block.keys.length > 2 * BLOCK) {
      // Both halves are rebuilt on the next encode: once per BLOCK insertions.
      const b = this.#blocks.indexOf(block);
      this.#blocks.splice(b + 1, 0, { keys: block.keys.splice(BLOCK), text: null, ends: [] });
      block.text = null;
    }
  }

  /** Drops the entry of `ip` (no-op when absent). */
  delete(ip: string): void {
    if (this.#blocks.length === 0) return;
    const b = this.#blockFor(ip);
    const block = this.#blocks[b] as Block;
    const j = this.#lowerBound(block.keys, ip);
    if (block.keys[j] !== ip) return;
    this.#own?.delete(ip);
    this.#text = null;
    this.#count--;
    this.#unsafe.delete(ip);
    block.keys.splice(j, 1);
    if (block.keys.length === 0) {
      this.#blocks.splice(b, 1);
      return;
    }
    if (block.text === null) return;
    const text = block.text;
    const start = startOf(block, j);
    const end = block.ends[j] as number;
    if (j === block.ends.length - 1) {
      // The last entry goes with the ',' before it.
      block.text = text.slice(0, start - 1);
    } else {
      block.text = text.slice(0, start) + text.slice(end + 1);
      shift(block.ends, j + 1, start - end - 1);
    }
    block.ends.splice(j, 1);
  }

  get size(): number {
    return this.#count;
  }

  /** The last `encode` output if nothing changed since, else null (no work done). */
  lastEncoded(): string | undefined | null {
    return this.#text;
  }

  /** Whether `key` lies strictly between `low` and `high` in Go order (an absent bound is open). */
  between(key: string, low: string | undefined, high: string | undefined): boolean {
    return (
      (low === undefined || compareGoStrings(low, key) < 0) &&
      (high === undefined || compareGoStrings(key, high) < 0)
    );
  }

  /** Cuts `text` against the current encoding (see ForeignSplit); undefined when it does not cut cleanly. */
  splitForeign(text: string): ForeignSplit | undefined {
    if (this.encode() === undefined || text.length < 2 || text[0] !== '{' || text[text.length - 1] !== '}')
      return undefined;
    const blocks = this.#blocks;
    const close = text.length - 1;
    // Unchanged blocks at the start: each followed by ',' (more follows) or by the closing brace.
    let pos = 1;
    let i = 0;
    for (; i < blocks.length; i++) {
      const t = (blocks[i] as Block).text as string;
      if (!text.startsWith(t, pos) || (text[pos + t.length] !== ',' && pos + t.length !== close)) break;
      pos += t.length + 1;
    }
    // Unchanged blocks at the end: each preceded by ',' or starting right where the prefix stopped.
    let end = close;
    let j = blocks.length;
    for (; j > i; j--) {
      const t = (blocks[j - 1] as Block).text as string;
      const start = end - t.length;
      if (start < pos || !text.startsWith(t, start) || (start !== pos && text[start - 1] !== ',')) break;
      end = start - 1;
    }
    // text[pos, end) holds the changed members. end === pos - 1: none, the two sides join at one separator;
    // end === pos: a separator with nothing after it (not JSON).
    if (end === pos) return undefined;
    const middle = end > pos ? text.slice(pos, end) : '';
    const ours: string[] = [];
    for (let b = i; b < j; b++) for (const k of (blocks[b] as Block).keys) ours.push(k);
    const lowBlock = blocks[i - 1];
    const highBlock = blocks[j];
    return {
      ours,
      middle,
      low: lowBlock ? lowBlock.keys[lowBlock.keys.length - 1] : undefined,
      high: highBlock ? highBlock.keys[0] : undefined,
    };
  }

  /** The status string, as `encodeAllocatedIPs` of the current records (undefined when empty). */
  encode(): string | undefined {
    if (this.#text !== null) return this.#text;
    if (this.#blocks.length === 0) {
      this.#text = undefined;
      return undefined;
    }
    const texts: string[] = new Array(this.#blocks.length);
    this.#blocks.forEach((block, i) => {
      if (block.text === null) {
        const parts: string[] = new Array(block.keys.length);
        const ends: number[] = new Array(block.keys.length);
        let at = -1;
        block.keys.forEach((k, e) => {
          const frag = encodeAllocationEntry(k, this.#records.get(k) as PoolIPAllocation);
          parts[e] = frag;
          at += frag.length + 1;
          ends[e] = at;
        });
        block.text = parts.join(',');
        block.ends = ends;
      }
      texts[i] = block.text;
    });
    const joined = `{${texts.join(',')}}`;
    // Re-point every block at its part of the output: a slice shares the output's bytes (V8 keeps a parent
    // pointer and an offset), so the status is held once, not once in the blocks and again joined.
    let at = 1;
    for (const block of this.#blocks) {
      const len = (block.text as string).length;
      block.text = joined.slice(at, at + len);
      at += len + 1;
    }
    this.#text = joined;
    return joined;
  }
}
