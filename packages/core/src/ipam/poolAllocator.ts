// The per-pool allocator: a SpiderIPPool's addresses as a bitmap index space plus its decoded records.
// Index space = the merged `spec.ips` as a range set; bitmap index i <-> rangeSetAt(ips, i). excludeIPs and
// reserved IPs are marked used (markRange over their intersection with ips) and so are recorded IPs. A space
// larger than 2^64 (an IPv6 range wider than a /64) uses its first 2^64 addresses only.
import { err, ok, type Result } from 'neverthrow';
import type { PoolIPAllocation, PoolIPAllocations, SpiderIPPool } from '../api/index.ts';
import { decodeAllocatedIPs } from '../api/index.ts';
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
import { AllocatedIPsEncoder } from './poolStatusEncoder.ts';

export class PoolAllocator {
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
  replaceRecords(allocatedIPs: string | undefined): Result<void, IpamError> {
    const mine = this.#encoder.lastEncoded();
    if (mine !== null && allocatedIPs === mine) return ok(undefined);
    if (allocatedIPs !== undefined && this.#replaceSplit(allocatedIPs)) return ok(undefined);
    const decoded = decodeAllocatedIPs(allocatedIPs);
    if (decoded.isErr()) return err(corruptPoolStatus(this.name, decoded.error.message));
    this.#applyDiff(this.#records.keys(), decoded.value);
    return ok(undefined);
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
