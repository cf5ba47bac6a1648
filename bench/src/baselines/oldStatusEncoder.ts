// Baseline for the status-encode bench: a reference copy of core's status encoding as it was before the
// fast paths (ADR 0023): Go quoting one UTF-16 unit at a time, the full `encodeAllocatedIPs` through
// goMarshal/goStruct, and the block encoder that re-encodes a touched block of up to 512 entries from the
// records. Kept verbatim in behaviour so every new-path figure has its "before" measured in the same run.
import {
  compareGoStrings,
  type GoJsonValue,
  GoStruct,
  goStruct,
  type PoolIPAllocation,
} from '@spiderpool-ts/core';

const hex4 = (code: number): string => `\\u${code.toString(16).padStart(4, '0')}`;

/** Go's `encodeState.string` with escapeHTML = true. */
export function oldGoQuote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += s[i] ?? '';
        out += s[i + 1] ?? '';
        i++;
      } else {
        out += '\\ufffd';
      }
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      out += '\\ufffd';
      continue;
    }
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x08:
        out += '\\b';
        break;
      case 0x0c:
        out += '\\f';
        break;
      case 0x3c:
      case 0x3e:
      case 0x26:
      case 0x2028:
      case 0x2029:
        out += hex4(c);
        break;
      default:
        out += c < 0x20 ? hex4(c) : (s[i] ?? '');
    }
  }
  return `${out}"`;
}

/** The old `goMarshal` restricted to what a status holds (strings and structs of strings). */
const oldMarshal = (v: GoJsonValue): string => {
  if (typeof v === 'string') return oldGoQuote(v);
  if (v instanceof GoStruct)
    return `{${v.fields.map(([k, x]) => `${oldGoQuote(k)}:${oldMarshal(x)}`).join(',')}}`;
  throw new TypeError('oldMarshal: only strings and structs');
};

/** The old full `encodeAllocatedIPs`: sort, then marshal every entry. */
export function oldEncodeAllocatedIPs(records: ReadonlyMap<string, PoolIPAllocation>): string | undefined {
  if (records.size === 0) return undefined;
  const parts = [...records.keys()].sort(compareGoStrings).map((ip) => {
    const r = records.get(ip) as PoolIPAllocation;
    return `${oldMarshal(ip)}:${oldMarshal(
      goStruct([
        ['pod', r.pod],
        ['podUid', r.podUid],
      ]),
    )}`;
  });
  return `{${parts.join(',')}}`;
}

const UNSAFE_KEY = /[\ud800-\uffff]/;
/** One map entry exactly as Go's json.Marshal writes it: `"ip":{"pod":"..","podUid":".."}`. */
const oldFragment = (ip: string, rec: PoolIPAllocation): string =>
  `${oldGoQuote(ip)}:{"pod":${oldGoQuote(rec.pod)},"podUid":${oldGoQuote(rec.podUid)}}`;

/** Fragments per block: a change re-joins one block, an encode joins the blocks. */
const BLOCK = 256;

interface Block {
  /** Keys in Go order. */
  keys: string[];
  /** The block's entries encoded and joined with ',' (null: must be rebuilt). */
  text: string | null;
}

export class OldAllocatedIPsEncoder {
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
    if (before === undefined && UNSAFE_KEY.test(ip)) this.#unsafe.add(ip);
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
          .map((k) => oldFragment(k, this.#records.get(k) as PoolIPAllocation))
          .join(',');
      }
      texts[i] = block.text;
    });
    this.#text = `{${texts.join(',')}}`;
    return this.#text;
  }
}
