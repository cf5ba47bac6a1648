// A pool's records held as their encoded `status.allocatedIPs` text (ADR 0023, ADR 0028). The output is
// byte-identical to `encodeAllocatedIPs(records)` (Go's json.Marshal of the map). The entries are kept in Go
// key order, cut into blocks of 128..256 that each hold their entries' text `"ip":{...},...` and where each
// entry ends in it; that text is the only copy of the records (a lookup decodes its one entry). A change
// costs k·log n key comparisons and one entry encoded and spliced into its block (a copy of at most one
// block); `encode` returns the blocks concatenated with `+`, which V8 keeps as a rope (cons strings, O(blocks),
// no copy of the status): the consumer flattens it once, when it serialises the request. A canonical status
// text (what this encoder and Go write) loads as is, cut into blocks, without parsing it into objects. Another
// writer's status is cut against the blocks at entry granularity (`cutForeign`): the common prefix and suffix
// are found with native comparisons (whole blocks, then a binary search over one block's entry ends), and only
// the members between them are scanned and spliced in (`replaceCut`).
import { compareGoStrings, encodeAllocationEntry, goQuote, type PoolIPAllocation } from '../api/index.ts';
import { type CanonicalEntries, canonicalEntries, entryKey, entryRecord, ownCopy } from './poolStatusText.ts';

/** One map entry exactly as Go's json.Marshal writes it: `"ip":{"pod":"..","podUid":".."}`. */
export const encodeAllocationFragment = encodeAllocationEntry;

/** Keys with a code unit >= U+D800, where UTF-16 order (JS `<`) and Go's byte order can disagree. */
const UNSAFE = /[\ud800-\uffff]/;
const SURROGATE = /[\ud800-\udfff]/;
/** Entries per block (between BLOCK and 2·BLOCK once split): a change copies one block. */
const BLOCK = 128;

/**
 * A status string another writer produced, cut against our encoding at entry granularity: our entries before
 * position (pb, pi) (block, index in it) and from (sb, si) on are repeated verbatim at its start and at its end;
 * `text[from, to)` holds the members between (none when to === from - 1), replacing our entries in between. Its
 * keys must lie strictly between `low` and `high` (the neighbouring unchanged keys) for the cut to be valid.
 */
export interface ForeignCut {
  pb: number;
  pi: number;
  sb: number;
  si: number;
  from: number;
  to: number;
  low: string | undefined;
  high: string | undefined;
}

/** Called per entry placed from a text: that text, the ranges of the entry's key and UID content in it. */
export type EntryVisitor = (
  text: string,
  keyFrom: number,
  keyTo: number,
  uidFrom: number,
  uidTo: number,
) => void;

interface Block {
  /** The block's entries encoded and joined with ','. */
  text: string;
  /** Where entry i ends in `text` (exclusive); entry i starts at ends[i-1] + 1 (or 0). */
  ends: number[];
  /**
   * The keys, only while the block holds a key whose encoding has an escape (read back it could differ:
   * a lone surrogate is written as \ufffd); otherwise each key is read from the text.
   */
  keys: string[] | undefined;
}

const startOf = (block: Block, i: number): number => (i === 0 ? 0 : (block.ends[i - 1] as number) + 1);

const keyAt = (block: Block, i: number): string =>
  block.keys !== undefined ? (block.keys[i] as string) : entryKey(block.text, startOf(block, i));

/**
 * Whether `text` holds `t` at `at`. A slice compared with `===` (V8 compares the flat contents at memory speed)
 * rather than `startsWith`/`endsWith`, which walk the units one by one: 4x faster on a 13 KB block here.
 */
const holdsAt = (text: string, at: number, t: string): boolean =>
  at >= 0 && text.slice(at, at + t.length) === t;

/** Adds `delta` to the end offsets from index `from` on. */
const shift = (ends: number[], from: number, delta: number): void => {
  for (let i = from; i < ends.length; i++) ends[i] = (ends[i] as number) + delta;
};

/** Whether `s` does not survive Go quoting unchanged (a lone surrogate becomes U+FFFD). */
const lossy = (s: string): boolean => SURROGATE.test(s) && JSON.parse(goQuote(s)) !== s;

/** Whether a key must be kept as a string beside the text (its quoted form has an escape). */
const escapedKey = (ip: string): boolean => goQuote(ip).length !== ip.length + 2;

export class AllocatedIPsEncoder {
  /** Blocks in Go key order; none is empty. */
  #blocks: Block[] = [];
  #count = 0;
  /** Current keys for which JS string order is not Go order (native `<` is used while this is empty). */
  readonly #unsafe = new Set<string>();
  /** Records whose pod or UID Go quoting changes (lone surrogates): the text cannot give them back. */
  readonly #exact = new Map<string, PoolIPAllocation>();

  /**
   * Go order of a stored key and a probe. While every stored key is below U+D800 in each code unit, JS order
   * is Go order whatever the probe holds (at the first difference the stored unit is < U+D800, and both
   * orders put any unit or code point >= U+D800 after it), so native `<` is used.
   */
  #compare(stored: string, probe: string): number {
    if (this.#unsafe.size === 0) return stored < probe ? -1 : stored > probe ? 1 : 0;
    return compareGoStrings(stored, probe);
  }

  /** First index in the block whose key is not ordered before `key`. */
  #lowerBound(block: Block, key: string): number {
    let lo = 0;
    let hi = block.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#compare(keyAt(block, mid), key) < 0) lo = mid + 1;
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
      if (this.#compare(keyAt(this.#blocks[mid] as Block, 0), key) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Block and index of `ip`, or undefined when absent. */
  #find(ip: string): [Block, number, number] | undefined {
    if (this.#blocks.length === 0) return undefined;
    const b = this.#blockFor(ip);
    const block = this.#blocks[b] as Block;
    const j = this.#lowerBound(block, ip);
    return j < block.ends.length && keyAt(block, j) === ip ? [block, j, b] : undefined;
  }

  /**
   * Takes a status text that is exactly our encoding (see `canonicalEntries`) as the records of an empty
   * encoder, cut into blocks (each its own copy, so the input can be collected); then calls
   * `each(text, keyFrom, keyTo, uidFrom, uidTo)` per entry in order with the ranges of its key and UID content
   * in `text` (plain: the raw slices are the strings). False, nothing loaded, for any other text.
   */
  load(text: string, each: EntryVisitor): boolean {
    if (this.#count !== 0) return false;
    const all = canonicalEntries(text);
    if (all === undefined) return false;
    const { count, ends: allEnds, keyEnds, uidFroms } = all;
    for (let first = 0; first < count; first += BLOCK) {
      const n = Math.min(BLOCK, count - first);
      const from = first === 0 ? 1 : (allEnds[first - 1] as number) + 1;
      const ends: number[] = new Array(n);
      for (let i = 0; i < n; i++) ends[i] = (allEnds[first + i] as number) - from;
      const blockText = ownCopy(text.slice(from, allEnds[first + n - 1] as number));
      this.#blocks.push({ text: blockText, ends, keys: undefined });
    }
    this.#count = count;
    for (let i = 0; i < count; i++) {
      const start = i === 0 ? 1 : (allEnds[i - 1] as number) + 1;
      each(text, start + 1, keyEnds[i] as number, uidFroms[i] as number, (allEnds[i] as number) - 2);
    }
    return true;
  }

  get(ip: string): PoolIPAllocation | undefined {
    const at = this.#find(ip);
    if (at === undefined) return undefined;
    const [block, j] = at;
    return this.#exact.get(ip) ?? entryRecord(block.text, startOf(block, j));
  }

  has(ip: string): boolean {
    return this.#find(ip) !== undefined;
  }

  /** The keys in Go order. */
  *keys(): IterableIterator<string> {
    for (const block of this.#blocks) for (let i = 0; i < block.ends.length; i++) yield keyAt(block, i);
  }

  /** Records (or replaces) the entry of `ip`. */
  set(ip: string, rec: PoolIPAllocation): void {
    if (lossy(rec.pod) || lossy(rec.podUid)) this.#exact.set(ip, { pod: rec.pod, podUid: rec.podUid });
    else this.#exact.delete(ip);
    const frag = encodeAllocationEntry(ip, rec);
    if (this.#blocks.length === 0) {
      this.#blocks.push({ text: frag, ends: [frag.length], keys: escapedKey(ip) ? [ip] : undefined });
      this.#added(ip);
      return;
    }
    // Compare with the keys already stored before this one may switch the order used.
    const b = this.#blockFor(ip);
    const block = this.#blocks[b] as Block;
    const j = this.#lowerBound(block, ip);
    const exists = j < block.ends.length && keyAt(block, j) === ip;
    const start = startOf(block, j);
    const text = block.text;
    if (exists) {
      const end = block.ends[j] as number;
      if (end - start === frag.length && text.startsWith(frag, start)) return;
      block.text = text.slice(0, start) + frag + text.slice(end);
      shift(block.ends, j, frag.length - (end - start));
      return;
    }
    if (block.keys === undefined && escapedKey(ip)) block.keys = [...this.#blockKeys(block)];
    if (j === block.ends.length) {
      block.text = `${text},${frag}`;
      block.ends.push(block.text.length);
    } else {
      block.text = `${text.slice(0, start)}${frag},${text.slice(start)}`;
      shift(block.ends, j, frag.length + 1);
      block.ends.splice(j, 0, start + frag.length);
    }
    block.keys?.splice(j, 0, ip);
    this.#added(ip);
    if (block.ends.length > 2 * BLOCK) this.#split(b);
  }

  #added(ip: string): void {
    this.#count++;
    if (UNSAFE.test(ip)) this.#unsafe.add(ip);
  }

  /** The block's records in order, each decoded once from the text (no search per key). */
  *#blockEntries(block: Block): IterableIterator<[string, PoolIPAllocation]> {
    for (let i = 0; i < block.ends.length; i++) {
      const ip = keyAt(block, i);
      yield [ip, this.#exact.get(ip) ?? entryRecord(block.text, startOf(block, i))];
    }
  }

  /** Every record in Go order (a change while iterating is a caller error: take a copy first). */
  *entries(): IterableIterator<[string, PoolIPAllocation]> {
    for (const block of this.#blocks) yield* this.#blockEntries(block);
  }

  *#blockKeys(block: Block): IterableIterator<string> {
    for (let i = 0; i < block.ends.length; i++) yield keyAt(block, i);
  }

  /** Cuts block b in two at BLOCK entries (once per BLOCK insertions into it). */
  #split(b: number): void {
    const block = this.#blocks[b] as Block;
    const cut = block.ends[BLOCK - 1] as number;
    const right: Block = {
      text: ownCopy(block.text.slice(cut + 1)),
      ends: block.ends.slice(BLOCK).map((e) => e - cut - 1),
      keys: block.keys?.slice(BLOCK),
    };
    block.text = ownCopy(block.text.slice(0, cut));
    block.ends.length = BLOCK;
    if (block.keys !== undefined) block.keys.length = BLOCK;
    this.#blocks.splice(b + 1, 0, right);
  }

  /** Drops the entry of `ip` (no-op when absent). */
  delete(ip: string): void {
    const at = this.#find(ip);
    if (at === undefined) return;
    const [block, j, b] = at;
    this.#exact.delete(ip);
    this.#count--;
    this.#unsafe.delete(ip);
    block.keys?.splice(j, 1);
    if (block.ends.length === 1) {
      this.#blocks.splice(b, 1);
      return;
    }
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

  /** Whether `key` lies strictly between `low` and `high` in Go order (an absent bound is open). */
  between(key: string, low: string | undefined, high: string | undefined): boolean {
    return (
      (low === undefined || compareGoStrings(low, key) < 0) &&
      (high === undefined || compareGoStrings(key, high) < 0)
    );
  }

  /**
   * Cuts `text` against the current encoding (see ForeignCut); undefined when it does not cut cleanly. Costs
   * one native comparison per unchanged block, a binary search of native comparisons inside the two blocks
   * where the change begins and ends, and nothing per unchanged entry.
   */
  cutForeign(text: string): ForeignCut | undefined {
    if (this.#count === 0 || text.length < 2 || text[0] !== '{' || text[text.length - 1] !== '}')
      return undefined;
    const blocks = this.#blocks;
    const close = text.length - 1;
    // The common prefix: whole blocks, each followed by ',' (more follows) or by the closing brace.
    let pos = 1;
    let pb = 0;
    let pi = 0;
    for (; pb < blocks.length; pb++) {
      const t = (blocks[pb] as Block).text;
      if (!holdsAt(text, pos, t)) break;
      const after = pos + t.length;
      if (after === close) {
        pos = close + 1;
        pb++;
        break;
      }
      if (text.charCodeAt(after) !== 0x2c) break;
      pos = after + 1;
    }
    if (pos <= close && pb < blocks.length) {
      // Then whole entries of block pb: the most whose text matches, less one when no separator follows.
      const block = blocks[pb] as Block;
      const ends = block.ends;
      let lo = 0;
      let hi = ends.length;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (holdsAt(text, pos, block.text.slice(0, ends[mid - 1] as number))) lo = mid;
        else hi = mid - 1;
      }
      if (lo > 0) {
        const after = pos + (ends[lo - 1] as number);
        if (after === close) pos = close + 1;
        else if (text.charCodeAt(after) === 0x2c) pos = after + 1;
        else {
          lo--;
          if (lo > 0) pos += (ends[lo - 1] as number) + 1;
        }
      }
      pi = lo;
      if (pi === ends.length) {
        pb++;
        pi = 0;
      }
    }
    // The common suffix, never reaching into the prefix: whole blocks, each preceded by ',' or starting right
    // where the prefix stopped; then whole entries of the block before them.
    let end = close;
    let sb = blocks.length;
    let si = 0;
    for (let b = blocks.length - 1; b > pb || (b === pb && pi === 0); b--) {
      const t = (blocks[b] as Block).text;
      const start = end - t.length;
      if (start < pos || !holdsAt(text, start, t) || (start !== pos && text.charCodeAt(start - 1) !== 0x2c))
        break;
      end = start - 1;
      sb = b;
    }
    const b = sb - 1;
    if (b >= pb && b >= 0) {
      const block = blocks[b] as Block;
      const len = block.ends.length;
      const min = b === pb ? pi : 0;
      const tail = (k: number): number => block.text.length - startOf(block, k);
      const fits = (k: number): boolean =>
        end - tail(k) >= pos && holdsAt(text, end - tail(k), block.text.slice(startOf(block, k)));
      // The fewest entries from the end that do not match: smallest k in [min, len] with fits(k).
      let lo = min;
      let hi = len;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (fits(mid)) hi = mid;
        else lo = mid + 1;
      }
      if (lo < len) {
        const start = end - tail(lo);
        if (start !== pos && text.charCodeAt(start - 1) !== 0x2c) lo++;
      }
      if (lo < len) {
        end -= tail(lo) + 1;
        sb = b;
        si = lo;
      }
    }
    // text[pos, end) holds the changed members. end === pos - 1: none, the two sides join at one separator;
    // end === pos: a separator with nothing after it (not JSON).
    if (end === pos) return undefined;
    let low: string | undefined;
    if (pi > 0) low = keyAt(blocks[pb] as Block, pi - 1);
    else if (pb > 0) {
      const lb = blocks[pb - 1] as Block;
      low = keyAt(lb, lb.ends.length - 1);
    }
    const high = sb < blocks.length ? keyAt(blocks[sb] as Block, si) : undefined;
    return { pb, pi, sb, si, from: pos, to: end, low, high };
  }

  /** Our records the cut replaces, in order (each decoded once). */
  *cutEntries(cut: ForeignCut): IterableIterator<[string, PoolIPAllocation]> {
    const blocks = this.#blocks;
    const last = Math.min(cut.sb, blocks.length - 1);
    for (let b = cut.pb; b <= last; b++) {
      const block = blocks[b] as Block;
      const to = b === cut.sb ? cut.si : block.ends.length;
      for (let i = b === cut.pb ? cut.pi : 0; i < to; i++) {
        const ip = keyAt(block, i);
        yield [ip, this.#exact.get(ip) ?? entryRecord(block.text, startOf(block, i))];
      }
    }
  }

  /**
   * Replaces our entries in the cut with the canonical members `mid` of `text[cut.from, cut.to)` (none when
   * undefined; see `scanEntries`, whose offsets are into `text`): one splice of the two edge blocks' texts,
   * cut again into blocks when it grew past 2·BLOCK entries. `each` is called per new entry with the ranges in
   * `text`. The caller checked that the new keys lie between `cut.low` and `cut.high`.
   */
  replaceCut(cut: ForeignCut, text: string, mid: CanonicalEntries | undefined, each: EntryVisitor): void {
    const blocks = this.#blocks;
    for (const ip of this.#cutKeys(cut)) {
      this.#exact.delete(ip);
      this.#unsafe.delete(ip);
      this.#count--;
    }
    const pieces: string[] = [];
    const ends: number[] = [];
    let keys: string[] | undefined;
    let length = 0;
    const append = (t: string, es: ArrayLike<number>, n: number, base: number, ks: string[] | undefined) => {
      if (n === 0) return;
      if (length > 0) length++;
      if (ks !== undefined || keys !== undefined) {
        if (keys === undefined) {
          const sofar = pieces.join(',');
          keys = ends.map((_, i) => entryKey(sofar, i === 0 ? 0 : (ends[i - 1] as number) + 1));
        }
        for (let i = 0; i < n; i++)
          keys.push(
            ks !== undefined
              ? (ks[i] as string)
              : entryKey(t, i === 0 ? 0 : (es[i - 1] as number) - base + 1),
          );
      }
      for (let i = 0; i < n; i++) ends.push(length + (es[i] as number) - base);
      pieces.push(t);
      length += t.length;
    };
    const left = blocks[cut.pb];
    if (left !== undefined && cut.pi > 0)
      append(
        left.text.slice(0, left.ends[cut.pi - 1] as number),
        left.ends,
        cut.pi,
        0,
        left.keys?.slice(0, cut.pi),
      );
    if (mid !== undefined) {
      append(text.slice(cut.from, cut.to), mid.ends, mid.count, cut.from, undefined);
      this.#count += mid.count;
    }
    const right = blocks[cut.sb];
    if (right !== undefined) {
      const base = startOf(right, cut.si);
      append(
        right.text.slice(base),
        right.ends.slice(cut.si),
        right.ends.length - cut.si,
        base,
        right.keys?.slice(cut.si),
      );
    }
    const removed = cut.pb >= blocks.length ? 0 : Math.min(cut.sb, blocks.length - 1) - cut.pb + 1;
    const joined = pieces.join(',');
    const made: Block[] = [];
    const per = ends.length <= 2 * BLOCK ? ends.length : BLOCK;
    for (let first = 0; first < ends.length; first += per) {
      const lastEntry = Math.min(first + per, ends.length) - 1;
      const from = first === 0 ? 0 : (ends[first - 1] as number) + 1;
      const blockEnds = ends.slice(first, lastEntry + 1);
      if (from !== 0)
        for (let i = 0; i < blockEnds.length; i++) blockEnds[i] = (blockEnds[i] as number) - from;
      made.push({
        text: ownCopy(joined.slice(from, ends[lastEntry] as number)),
        ends: blockEnds,
        keys: keys?.slice(first, lastEntry + 1),
      });
    }
    blocks.splice(cut.pb, removed, ...made);
    if (mid !== undefined)
      for (let i = 0; i < mid.count; i++) {
        const start = i === 0 ? cut.from : (mid.ends[i - 1] as number) + 1;
        each(
          text,
          start + 1,
          mid.keyEnds[i] as number,
          mid.uidFroms[i] as number,
          (mid.ends[i] as number) - 2,
        );
      }
  }

  *#cutKeys(cut: ForeignCut): IterableIterator<string> {
    const blocks = this.#blocks;
    const last = Math.min(cut.sb, blocks.length - 1);
    for (let b = cut.pb; b <= last; b++) {
      const block = blocks[b] as Block;
      const to = b === cut.sb ? cut.si : block.ends.length;
      for (let i = b === cut.pb ? cut.pi : 0; i < to; i++) yield keyAt(block, i);
    }
  }

  /**
   * The status string, as `encodeAllocatedIPs` of the current records (undefined when empty): the block
   * texts concatenated, a rope of O(blocks) cons strings; nothing holds it here, so once the consumer has
   * flattened and sent it the flat copy is garbage.
   */
  encode(): string | undefined {
    const blocks = this.#blocks;
    if (blocks.length === 0) return undefined;
    let out = `{${(blocks[0] as Block).text}`;
    for (let i = 1; i < blocks.length; i++) out = `${out},${(blocks[i] as Block).text}`;
    return `${out}}`;
  }
}
