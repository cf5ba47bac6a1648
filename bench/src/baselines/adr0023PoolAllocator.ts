// Baseline for the ipam-scale and status-encode benches: a reference copy of core's PoolAllocator and its
// incremental status encoder as they were after ADR 0023 and before ADR 0028 (records as a Map of
// {pod, podUid} objects, a UID Map of strings, blocks re-joined into one flat string on every encode, a cold
// build that decodes the whole status into objects). Kept in behaviour so the compact cache's memory, cold
// build and per-write figures have their "before" measured in the same run.
import {
  compareGoStrings,
  corruptPoolStatus,
  createIndexSpace,
  decodeAllocatedIPs,
  encodeAllocationEntry,
  formatIPValue,
  type IndexSpace,
  type IPRangeSet,
  type IPVersion,
  intersectRangeSets,
  type PoolIPAllocation,
  type PoolIPAllocations,
  parseCIDR,
  parseIPOfVersion,
  parseIPRanges,
  rangeSetAt,
  rangeSetContains,
  rangeSetIndexOf,
  rangeSetSize,
  type SpiderIPPool,
  unionRangeSets,
} from '@spiderpool-ts/core';
import { SPARSE_MAX_SIZE } from '@spiderpool-ts/wasm-bitmap';

/** poolIndexSpace's bound on the index space. */
const MAX_INDEX_SPACE: bigint = SPARSE_MAX_SIZE;

/** The bench builds only pools it made: a failure is a bench bug. */
const must = <T>(r: { isErr(): boolean; _unsafeUnwrap(): T }, what: string): T => {
  if (r.isErr()) throw new Error(`baseline: ${what} failed`);
  return r._unsafeUnwrap();
};

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
interface ForeignSplit {
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

class AllocatedIPsEncoder {
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

export class Adr0023PoolAllocator {
  readonly name: string;
  readonly version: IPVersion;
  /** Subnet prefix length, for `address/prefix` results. */
  readonly prefix: number;
  readonly ips: IPRangeSet;
  /** excludeIPs ∪ reserved, restricted to ips: never handed out. */
  readonly blocked: IPRangeSet;
  readonly #records = new Map<string, PoolIPAllocation>();
  /** Go-ordered keys and encoded fragments of the records: `encodeStatus` re-encodes only what changed. */
  readonly #encoder = new AllocatedIPsEncoder(this.#records);
  /** Pod UID -> its IP, or its IPs in insertion order when it has several (a Set per UID cost ~100 B each). */
  readonly #byUid = new Map<string, string | string[]>();
  readonly #space: IndexSpace | undefined;
  readonly #spaceSize: bigint;

  private constructor(
    name: string,
    version: IPVersion,
    prefix: number,
    ips: IPRangeSet,
    blocked: IPRangeSet,
  ) {
    this.name = name;
    this.version = version;
    this.prefix = prefix;
    this.ips = ips;
    this.blocked = blocked;
    const size = rangeSetSize(ips);
    let spaceSize = size;
    if (spaceSize > MAX_INDEX_SPACE) spaceSize = MAX_INDEX_SPACE; // bigint: Math.min does not apply
    this.#spaceSize = spaceSize;
    this.#space = this.#spaceSize > 0n ? createIndexSpace(this.#spaceSize) : undefined;
    if (this.#space) {
      for (const iv of blocked.intervals) {
        const s = rangeSetIndexOf(ips, iv.start);
        if (s >= this.#spaceSize) continue;
        const e = rangeSetIndexOf(ips, iv.end);
        this.#space.markUsed(s, e >= this.#spaceSize ? this.#spaceSize - 1n : e);
      }
    }
  }

  /** Builds the allocator from the pool's spec and status and the reserved IPs of its family. */
  /** Builds the allocator from the pool's spec and status (throws on a bad pool: the bench made it). */
  static build(pool: SpiderIPPool, reserved: IPRangeSet | undefined): Adr0023PoolAllocator {
    const cidr = must(parseCIDR(pool.spec.subnet), 'spec.subnet');
    const version = cidr.version;
    const ips = must(parseIPRanges(version, pool.spec.ips ?? []), 'spec.ips');
    const excl = must(parseIPRanges(version, pool.spec.excludeIPs ?? []), 'spec.excludeIPs');
    const banned = reserved && reserved.version === version ? unionRangeSets(excl, reserved) : excl;
    const alloc = new Adr0023PoolAllocator(
      pool.metadata.name,
      version,
      cidr.prefix,
      ips,
      intersectRangeSets(ips, banned),
    );
    alloc.replaceRecords(pool.status?.allocatedIPs);
    return alloc;
  }

  #indexOf(ip: string): bigint {
    const v = parseIPOfVersion(this.version, ip);
    if (v.isErr()) return -1n;
    const i = rangeSetIndexOf(this.ips, v.value.value);
    return i < this.#spaceSize ? i : -1n;
  }

  #isBlocked(ip: string): boolean {
    const v = parseIPOfVersion(this.version, ip);
    return v.isOk() && rangeSetContains(this.blocked, v.value.value);
  }

  /** Marks and returns the lowest free IP (canonical text), or undefined when the pool is full. */
  take(): string | undefined {
    const i = this.#space?.allocate() ?? -1n;
    if (i < 0n) return undefined;
    return formatIPValue(this.version, rangeSetAt(this.ips, i) as bigint);
  }

  /** The IP `take` would return, without taking it. */
  peek(): string | undefined {
    const ip = this.take();
    if (ip !== undefined) this.#space?.release(this.#indexOf(ip));
    return ip;
  }

  /** Whether ip could be recorded now: inside ips, not excluded/reserved, not recorded. */
  isFree(ip: string): boolean {
    if (this.records.has(ip)) return false;
    const i = this.#indexOf(ip);
    return i >= 0n && !(this.#space?.test(i) ?? true);
  }

  /** The records (change them through addRecord / removeRecord / replaceRecords only). */
  get records(): ReadonlyMap<string, PoolIPAllocation> {
    return this.#records;
  }

  /** `status.allocatedIPs` for the current records, byte-identical to `encodeAllocatedIPs(records)`. */
  encodeStatus(): string | undefined {
    return this.#encoder.encode();
  }

  /** Adds a record; the bitmap index is claimed (a no-op when `take` already marked it). */
  addRecord(ip: string, record: PoolIPAllocation): void {
    this.removeRecord(ip);
    this.#records.set(ip, record);
    this.#encoder.set(ip, record);
    const had = this.#byUid.get(record.podUid);
    if (had === undefined) this.#byUid.set(record.podUid, ip);
    else if (typeof had === 'string') {
      if (had !== ip) this.#byUid.set(record.podUid, [had, ip]);
    } else if (!had.includes(ip)) had.push(ip);
    const i = this.#indexOf(ip);
    if (i >= 0n) this.#space?.claim(i);
  }

  /** Drops a record and frees its index (unless excluded/reserved). Returns the removed record. */
  removeRecord(ip: string): PoolIPAllocation | undefined {
    const rec = this.#records.get(ip);
    if (!rec) return undefined;
    this.#records.delete(ip);
    this.#encoder.delete(ip);
    const had = this.#byUid.get(rec.podUid);
    if (had === ip) this.#byUid.delete(rec.podUid);
    else if (Array.isArray(had)) {
      const rest = had.filter((x) => x !== ip);
      if (rest.length === 1) this.#byUid.set(rec.podUid, rest[0] as string);
      else this.#byUid.set(rec.podUid, rest);
    }
    const i = this.#indexOf(ip);
    if (i >= 0n && !this.#isBlocked(ip)) this.#space?.release(i);
    return rec;
  }

  /** IPs recorded for a pod UID, ascending by insertion. */
  ipsOfUid(uid: string): readonly string[] {
    const had = this.#byUid.get(uid);
    return had === undefined ? [] : typeof had === 'string' ? [had] : [...had];
  }

  /**
   * Brings the records in step with a status string by diffing (no bitmap rebuild). A string equal to our own
   * last encoding is a no-op. Otherwise our unchanged encoded blocks are matched verbatim at its start and end
   * and only the text between is parsed and compared by key with the records it replaces (a writer's batch
   * touches a few neighbouring blocks: lowest-free allocation keeps them together); when the text does not cut
   * cleanly (another encoding, keys out of place), it is parsed once in full and compared by key.
   */
  replaceRecords(allocatedIPs: string | undefined): void {
    const mine = this.#encoder.lastEncoded();
    if (mine !== null && allocatedIPs === mine) return;
    if (allocatedIPs !== undefined && this.#replaceSplit(allocatedIPs)) return;
    const decoded = decodeAllocatedIPs(allocatedIPs);
    if (decoded.isErr())
      throw new Error(`baseline: ${corruptPoolStatus(this.name, decoded.error.message).message}`);
    this.#applyDiff(this.#records.keys(), decoded.value);
  }

  /** The cut diff of `replaceRecords`; false (nothing changed) when the text does not cut cleanly. */
  #replaceSplit(text: string): boolean {
    const split = this.#encoder.splitForeign(text);
    if (split === undefined) return false;
    let next: PoolIPAllocations = new Map();
    if (split.middle !== '') {
      const part = decodeAllocatedIPs(`{${split.middle}}`);
      if (part.isErr() || part.value.size === 0) return false;
      for (const ip of part.value.keys()) if (!this.#encoder.between(ip, split.low, split.high)) return false;
      next = part.value;
    }
    this.#applyDiff(split.ours, next);
    return true;
  }

  /** Makes the records among `current` equal to `next`, touching only what differs. */
  #applyDiff(current: Iterable<string>, next: PoolIPAllocations): void {
    let kept = 0;
    const gone: string[] = [];
    for (const ip of current) {
      const rec = this.#records.get(ip) as PoolIPAllocation;
      const n = next.get(ip);
      if (n !== undefined && n.podUid === rec.podUid && n.pod === rec.pod) kept++;
      else gone.push(ip);
    }
    for (const ip of gone) this.removeRecord(ip);
    if (kept < next.size) for (const [ip, rec] of next) if (!this.#records.has(ip)) this.addRecord(ip, rec);
  }

  /** Number of addresses the bitmap still has free (excluded/reserved/recorded counted as used). */
  get freeCount(): bigint {
    return this.#spaceSize - (this.#space?.usedCount ?? 0n);
  }

  dispose(): void {
    this.#space?.dispose();
  }
}
