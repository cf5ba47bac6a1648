// Incremental encoder of a pool's `status.allocatedIPs`: the output is byte-identical to
// `encodeAllocatedIPs(records)` (Go's json.Marshal of the map), but a write after k record changes costs k
// k·log n key comparisons, then re-encoding the (at most k) blocks of <= 512 entries they touched and one
// join of the n/512..n/256 block texts, instead of n re-serialisations and an n·log n sort. The keys are kept
// in Go order, cut into blocks that cache their encoded `"ip":{...},...` text; loading n records only places
// keys (entries are encoded on the first `encode`).
import { compareGoStrings, goQuote, type PoolIPAllocation } from '../api/index.ts';

/** One map entry exactly as Go's json.Marshal writes it: `"ip":{"pod":"..","podUid":".."}`. */
export const encodeAllocationFragment = (ip: string, rec: PoolIPAllocation): string =>
  `${goQuote(ip)}:{"pod":${goQuote(rec.pod)},"podUid":${goQuote(rec.podUid)}}`;

/** Keys with a code unit >= U+D800, where UTF-16 order (JS `<`) and Go's byte order can disagree. */
const UNSAFE = /[\ud800-\uffff]/;
/** Fragments per block: a change re-joins one block, an encode joins the blocks. */
const BLOCK = 256;

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
  /** The block's entries encoded and joined with ',' (null: must be rebuilt). */
  text: string | null;
}

export class AllocatedIPsEncoder {
  /** Blocks in Go key order; none is empty. */
  #blocks: Block[] = [];
  /** Every current record (its fragment is encoded when its block is rebuilt). */
  readonly #records = new Map<string, PoolIPAllocation>();
  /** Current keys for which JS string order is not Go order (native `<` is used while this is empty). */
  readonly #unsafe = new Set<string>();
  /** The last output while nothing changed since (null: must be rebuilt). */
  #text: string | undefined | null = undefined;

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
    const before = this.#records.get(ip);
    if (before !== undefined && before.pod === rec.pod && before.podUid === rec.podUid) return;
    this.#text = null;
    // Compare with the keys already stored before this one may switch the order used.
    const b = this.#blocks.length === 0 ? -1 : this.#blockFor(ip);
    this.#records.set(ip, { pod: rec.pod, podUid: rec.podUid });
    const block = this.#blocks[b];
    if (!block) {
      this.#blocks.push({ keys: [ip], text: null });
    } else {
      block.text = null;
      if (before === undefined) {
        block.keys.splice(this.#lowerBound(block.keys, ip), 0, ip);
        if (block.keys.length > 2 * BLOCK)
          this.#blocks.splice(b + 1, 0, { keys: block.keys.splice(BLOCK), text: null });
      }
    }
    if (before === undefined && UNSAFE.test(ip)) this.#unsafe.add(ip);
  }

  /** Drops the entry of `ip` (no-op when absent). */
  delete(ip: string): void {
    if (!this.#records.has(ip)) return;
    this.#text = null;
    const b = this.#blockFor(ip);
    const block = this.#blocks[b] as Block;
    block.keys.splice(this.#lowerBound(block.keys, ip), 1);
    block.text = null;
    if (block.keys.length === 0) this.#blocks.splice(b, 1);
    this.#records.delete(ip);
    this.#unsafe.delete(ip);
  }

  get size(): number {
    return this.#records.size;
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
        block.text = block.keys
          .map((k) => encodeAllocationFragment(k, this.#records.get(k) as PoolIPAllocation))
          .join(',');
      }
      texts[i] = block.text;
    });
    this.#text = `{${texts.join(',')}}`;
    return this.#text;
  }
}
