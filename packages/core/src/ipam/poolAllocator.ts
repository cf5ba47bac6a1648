// The per-pool allocator: a SpiderIPPool's addresses as a bitmap index space plus its records, held as their
// encoded status text (ADR 0028) with a UID index of 32-bit hashes.
// Index space = the merged `spec.ips` as a range set; bitmap index i <-> rangeSetAt(ips, i). excludeIPs and
// reserved IPs are marked used (markRange over their intersection with ips) and so are recorded IPs. A space
// larger than 2^64 (an IPv6 range wider than a /64) uses its first 2^64 addresses only.
import { err, ok, type Result } from 'neverthrow';
import type { PoolIPAllocation, PoolIPAllocations, SpiderIPPool } from '../api/index.ts';
import { compareGoStrings, decodeAllocatedIPs } from '../api/index.ts';
import {
  formatIPValue,
  type IPRangeSet,
  type IPVersion,
  intersectRangeSets,
  parseCIDR,
  parseIPOfVersion,
  parseIPRanges,
  rangeSetAt,
  rangeSetContains,
  rangeSetIndexOf,
  rangeSetSize,
  unionRangeSets,
} from '../ip/index.ts';
import { corruptPoolStatus, type IpamError } from './errors.ts';
import { createIndexSpace, type IndexSpace, MAX_INDEX_SPACE } from './poolIndexSpace.ts';
import { IPv4Index, NOT_CANONICAL, OUTSIDE } from './poolIPv4Index.ts';
import { AllocatedIPsEncoder, type ForeignCut } from './poolStatusEncoder.ts';
import { hashRange, hashString, ownCopy, scanEntries } from './poolStatusText.ts';
import { type RecordRef, UidIndex } from './poolUidIndex.ts';

/**
 * A pool's records, read-only (the subset of ReadonlyMap the engine uses). They are held encoded (ADR 0028):
 * `get` decodes the one entry; iteration is in Go key order.
 */
export interface PoolRecords extends Iterable<[string, PoolIPAllocation]> {
  readonly size: number;
  get(ip: string): PoolIPAllocation | undefined;
  has(ip: string): boolean;
  keys(): IterableIterator<string>;
  values(): IterableIterator<PoolIPAllocation>;
  entries(): IterableIterator<[string, PoolIPAllocation]>;
}

/** The records view of a PoolAllocator: reads go to the encoder, which is the only copy. */
class RecordsView implements PoolRecords {
  readonly #enc: AllocatedIPsEncoder;

  constructor(enc: AllocatedIPsEncoder) {
    this.#enc = enc;
  }

  get size(): number {
    return this.#enc.size;
  }

  get(ip: string): PoolIPAllocation | undefined {
    return this.#enc.get(ip);
  }

  has(ip: string): boolean {
    return this.#enc.has(ip);
  }

  keys(): IterableIterator<string> {
    return this.#enc.keys();
  }

  *values(): IterableIterator<PoolIPAllocation> {
    for (const [, rec] of this.entries()) yield rec;
  }

  *entries(): IterableIterator<[string, PoolIPAllocation]> {
    // A copy first: a caller may change the records while iterating.
    yield* [...this.#enc.entries()];
  }

  [Symbol.iterator](): IterableIterator<[string, PoolIPAllocation]> {
    return this.entries();
  }
}

export class PoolAllocator {
  readonly name: string;
  readonly version: IPVersion;
  /** Subnet prefix length, for `address/prefix` results. */
  readonly prefix: number;
  readonly ips: IPRangeSet;
  /** excludeIPs ∪ reserved, restricted to ips: never handed out. */
  readonly blocked: IPRangeSet;
  /** The records, as their Go-ordered encoded entries: the only copy of them (ADR 0028). */
  readonly #encoder = new AllocatedIPsEncoder();
  readonly #records = new RecordsView(this.#encoder);
  /** Pod UID hash -> record references (bitmap index or IP). */
  readonly #byUid = new UidIndex();
  readonly #space: IndexSpace | undefined;
  readonly #spaceSize: bigint;
  /** Numeric index <-> text for canonical IPv4 (undefined for IPv6). */
  readonly #v4: IPv4Index | undefined;

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
    this.#v4 = version === 4 ? new IPv4Index(ips, Number(spaceSize)) : undefined;
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
  static build(pool: SpiderIPPool, reserved: IPRangeSet | undefined): Result<PoolAllocator, IpamError> {
    const name = pool.metadata.name;
    const cidr = parseCIDR(pool.spec.subnet);
    if (cidr.isErr()) return err(corruptPoolStatus(name, `spec.subnet: ${cidr.error.message}`));
    const version = cidr.value.version;
    const ips = parseIPRanges(version, pool.spec.ips ?? []);
    if (ips.isErr()) return err(corruptPoolStatus(name, `spec.ips: ${ips.error.message}`));
    const excl = parseIPRanges(version, pool.spec.excludeIPs ?? []);
    if (excl.isErr()) return err(corruptPoolStatus(name, `spec.excludeIPs: ${excl.error.message}`));
    const banned =
      reserved && reserved.version === version ? unionRangeSets(excl.value, reserved) : excl.value;
    const alloc = new PoolAllocator(
      name,
      version,
      cidr.value.prefix,
      ips.value,
      intersectRangeSets(ips.value, banned),
    );
    const loaded = alloc.replaceRecords(pool.status?.allocatedIPs);
    if (loaded.isErr()) {
      alloc.dispose();
      return err(loaded.error);
    }
    return ok(alloc);
  }

  #slowIndexOf(ip: string): bigint {
    const v = parseIPOfVersion(this.version, ip);
    if (v.isErr()) return -1n;
    const i = rangeSetIndexOf(this.ips, v.value.value);
    return i < this.#spaceSize ? i : -1n;
  }

  /** The bitmap index of `ip[from, to)` (-1n: none) and how the UID index refers to its record. */
  #place(ip: string): [bigint, RecordRef] {
    if (this.#v4 !== undefined) {
      const i = this.#v4.indexOf(ip);
      if (i >= 0) return [BigInt(i), i];
      if (i === OUTSIDE) return [-1n, ip];
      // NOT_CANONICAL: the general parser decides; the record is referred to by its text.
    }
    return [this.#slowIndexOf(ip), ip];
  }

  #indexOf(ip: string): bigint {
    if (this.#v4 !== undefined) {
      const i = this.#v4.indexOf(ip);
      if (i !== NOT_CANONICAL) return i >= 0 ? BigInt(i) : -1n;
    }
    return this.#slowIndexOf(ip);
  }

  #resolve(ref: RecordRef): string {
    return typeof ref === 'string' ? ref : (this.#v4 as IPv4Index).at(ref);
  }

  #isBlocked(ip: string): boolean {
    const v = parseIPOfVersion(this.version, ip);
    return v.isOk() && rangeSetContains(this.blocked, v.value.value);
  }

  /** Marks and returns the lowest free IP (canonical text), or undefined when the pool is full. */
  take(): string | undefined {
    const i = this.#space?.allocate() ?? -1n;
    if (i < 0n) return undefined;
    if (this.#v4 !== undefined) return this.#v4.at(Number(i));
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
    if (this.#encoder.has(ip)) return false;
    const i = this.#indexOf(ip);
    return i >= 0n && !(this.#space?.test(i) ?? true);
  }

  /** The records (change them through addRecord / removeRecord / replaceRecords only). */
  get records(): PoolRecords {
    return this.#records;
  }

  /**
   * `status.allocatedIPs` for the current records, byte-identical to `encodeAllocatedIPs(records)`: a rope
   * over the encoded blocks (flattened by whoever serialises it).
   */
  encodeStatus(): string | undefined {
    return this.#encoder.encode();
  }

  /** Adds a record; the bitmap index is claimed (a no-op when `take` already marked it). */
  addRecord(ip: string, record: PoolIPAllocation): void {
    this.removeRecord(ip);
    this.#encoder.set(ip, record);
    const [i, ref] = this.#place(ip);
    this.#byUid.add(hashString(record.podUid), ref);
    if (i >= 0n) this.#space?.claim(i);
  }

  /** Drops a record and frees its index (unless excluded/reserved). Returns the removed record. */
  removeRecord(ip: string): PoolIPAllocation | undefined {
    const rec = this.#encoder.get(ip);
    if (!rec) return undefined;
    this.#encoder.delete(ip);
    const [i, ref] = this.#place(ip);
    this.#byUid.remove(rec.podUid, ref);
    if (i >= 0n && !this.#isBlocked(ip)) this.#space?.release(i);
    return rec;
  }

  /**
   * IPs recorded for a pod UID, in Go key order (the order of the status text, so the answer does not depend
   * on whether the records came from a cold build or from diffs).
   */
  ipsOfUid(uid: string): readonly string[] {
    const out: string[] = [];
    for (const ref of this.#byUid.candidates(uid)) {
      const ip = this.#resolve(ref);
      if (this.#encoder.get(ip)?.podUid === uid) out.push(ip);
    }
    return out.length > 1 ? out.sort(compareGoStrings) : out;
  }

  /**
   * Brings the records in step with a status string by diffing (no bitmap rebuild). An empty allocator takes
   * a canonical text as is (cut into blocks, no parse). Otherwise the text is cut against our encoding at
   * entry granularity (`AllocatedIPsEncoder.cutForeign`: the unchanged prefix and suffix by native comparison)
   * and only the members between are read: when they are canonical, scanned in place and spliced into the
   * blocks (no record objects); otherwise parsed and compared by key with the records they replace. When the
   * text does not cut cleanly (another encoding, keys out of place), it is parsed once in full and compared by
   * key. Whatever the path, the result (records, bitmap, UID index, encoded bytes) is that of a fresh build from
   * the same text, and a text a full decode rejects changes nothing and gives the same error.
   */
  replaceRecords(allocatedIPs: string | undefined): Result<void, IpamError> {
    if (allocatedIPs === undefined && this.#encoder.size === 0) return ok(undefined);
    if (allocatedIPs !== undefined && this.#encoder.size === 0 && this.#load(allocatedIPs))
      return ok(undefined);
    if (allocatedIPs !== undefined && this.#replaceCut(allocatedIPs)) return ok(undefined);
    const decoded = decodeAllocatedIPs(allocatedIPs);
    if (decoded.isErr()) return err(corruptPoolStatus(this.name, decoded.error.message));
    this.#applyDiff([...this.#encoder.entries()], decoded.value);
    return ok(undefined);
  }

  /** Places one entry read from a text: the UID index and the bitmap (see AllocatedIPsEncoder.load). */
  #placeEntry(text: string, keyFrom: number, keyTo: number, uidFrom: number, uidTo: number): void {
    const hash = hashRange(text, uidFrom, uidTo);
    const fast = this.#v4 === undefined ? NOT_CANONICAL : this.#v4.indexOf(text, keyFrom, keyTo);
    if (fast >= 0) {
      this.#byUid.add(hash, fast);
      this.#space?.claim(BigInt(fast));
      return;
    }
    // Its own copy: a slice would keep the text it came from alive.
    const [i, ref] = this.#place(ownCopy(text.slice(keyFrom, keyTo)));
    this.#byUid.add(hash, ref);
    if (i >= 0n) this.#space?.claim(i);
  }

  /**
   * The cold build's fast path: a canonical status text becomes the encoder's blocks as is. Runs of
   * consecutive bitmap indices (a pool grown lowest-free is mostly one run) are marked with one range call.
   */
  #load(text: string): boolean {
    const v4 = this.#v4;
    const space = this.#space;
    let runFrom = -1;
    let runTo = -2;
    const flush = (): void => {
      if (runFrom >= 0) space?.markUsed(BigInt(runFrom), BigInt(runTo));
    };
    let reserved = false;
    const loaded = this.#encoder.load(text, (block, keyFrom, keyTo, uidFrom, uidTo) => {
      if (!reserved) {
        this.#byUid.reserve(this.#encoder.size);
        reserved = true;
      }
      const fast = v4 === undefined ? NOT_CANONICAL : v4.indexOf(block, keyFrom, keyTo);
      if (fast < 0) {
        this.#placeEntry(block, keyFrom, keyTo, uidFrom, uidTo);
        return;
      }
      this.#byUid.add(hashRange(block, uidFrom, uidTo), fast);
      if (fast === runTo + 1) runTo = fast;
      else {
        flush();
        runFrom = fast;
        runTo = fast;
      }
    });
    flush();
    return loaded;
  }

  /** Takes our records in the cut out of the UID index and the bitmap (the encoder still holds them). */
  #unplaceCut(cut: ForeignCut): void {
    for (const [ip, rec] of this.#encoder.cutEntries(cut)) {
      const [i, ref] = this.#place(ip);
      this.#byUid.remove(rec.podUid, ref);
      if (i >= 0n && !this.#isBlocked(ip)) this.#space?.release(i);
    }
  }

  /** The cut diff of `replaceRecords`; false (nothing changed) when the text does not cut cleanly. */
  #replaceCut(text: string): boolean {
    const enc = this.#encoder;
    const cut = enc.cutForeign(text);
    if (cut === undefined) return false;
    const place = this.#placeEntry.bind(this);
    if (cut.to < cut.from) {
      // No member between: the text repeats ours with the records in the cut left out.
      if (cut.pb === cut.sb && cut.pi === cut.si) return true;
      this.#unplaceCut(cut);
      enc.replaceCut(cut, text, undefined, place);
      return true;
    }
    const mid = scanEntries(text, cut.from, cut.to, false);
    if (mid !== undefined) {
      const lastFrom = mid.count === 1 ? cut.from : (mid.ends[mid.count - 2] as number) + 1;
      const first = text.slice(cut.from + 1, mid.keyEnds[0] as number);
      const last = text.slice(lastFrom + 1, mid.keyEnds[mid.count - 1] as number);
      if (!enc.between(first, cut.low, cut.high) || !enc.between(last, cut.low, cut.high)) return false;
      this.#unplaceCut(cut);
      enc.replaceCut(cut, text, mid, place);
      return true;
    }
    // Not our encoding between the cuts (escapes, other spacing): parse those members and diff by key.
    const part = decodeAllocatedIPs(`{${text.slice(cut.from, cut.to)}}`);
    if (part.isErr() || part.value.size === 0) return false;
    for (const ip of part.value.keys()) if (!enc.between(ip, cut.low, cut.high)) return false;
    this.#applyDiff([...enc.cutEntries(cut)], part.value);
    return true;
  }

  /** Makes the records among `current` equal to `next`, touching only what differs. */
  #applyDiff(current: readonly [string, PoolIPAllocation][], next: PoolIPAllocations): void {
    let kept = 0;
    const gone: string[] = [];
    for (const [ip, rec] of current) {
      const n = next.get(ip);
      if (n !== undefined && n.podUid === rec.podUid && n.pod === rec.pod) kept++;
      else gone.push(ip);
    }
    for (const ip of gone) this.removeRecord(ip);
    if (kept < next.size) for (const [ip, rec] of next) if (!this.#encoder.has(ip)) this.addRecord(ip, rec);
  }

  /** Number of addresses the bitmap still has free (excluded/reserved/recorded counted as used). */
  get freeCount(): bigint {
    return this.#spaceSize - (this.#space?.usedCount ?? 0n);
  }

  dispose(): void {
    this.#space?.dispose();
    this.#byUid.clear();
  }
}
