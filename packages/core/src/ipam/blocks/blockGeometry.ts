// Where a block pool's addresses fall: the subnet cut into aligned blocks of `size` addresses (block i =
// network + i*size ... + size-1), independent of spec.ips (which may change; the subnet may not), and which
// addresses of a block may be handed out (spec.ips minus excludeIPs minus reserved IPs).
import { err, ok, type Result } from 'neverthrow';
import type { SpiderIPPool } from '../../api/index.ts';
import {
  formatIPValue,
  type IPInterval,
  type IPRangeSet,
  type IPVersion,
  parseCIDR,
  parseIPOfVersion,
  parseIPRanges,
  subtractRangeSets,
  unionRangeSets,
} from '../../ip/index.ts';
import { corruptPoolStatus, type IpamError } from '../errors.ts';
import { blockSizeOf } from './format.ts';

export interface BlockPosition {
  index: bigint;
  ordinal: number;
}

/** First interval whose end is >= value (intervals sorted, disjoint). */
const firstEndingAtOrAfter = (intervals: readonly IPInterval[], value: bigint): number => {
  let lo = 0;
  let hi = intervals.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((intervals[mid] as IPInterval).end < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

export class BlockGeometry {
  readonly pool: string;
  readonly version: IPVersion;
  readonly prefix: number;
  readonly network: bigint;
  /** Addresses per block (the annotation's, or the whole subnet when that is smaller). */
  readonly size: number;
  readonly #bigSize: bigint;
  /** Addresses that may be handed out: ips − excludeIPs − reserved. */
  readonly usable: IPRangeSet;
  readonly subnet: string;

  private constructor(
    pool: SpiderIPPool,
    version: IPVersion,
    prefix: number,
    network: bigint,
    usable: IPRangeSet,
  ) {
    this.pool = pool.metadata.name;
    this.subnet = pool.spec.subnet;
    this.version = version;
    this.prefix = prefix;
    this.network = network;
    const hostBits = (version === 4 ? 32 : 128) - prefix;
    const subnetSize = 1n << BigInt(hostBits);
    const size = BigInt(blockSizeOf(pool));
    this.#bigSize = size < subnetSize ? size : subnetSize;
    this.size = Number(this.#bigSize);
    this.usable = usable;
  }

  static build(pool: SpiderIPPool, reserved: IPRangeSet | undefined): Result<BlockGeometry, IpamError> {
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
    return ok(
      new BlockGeometry(
        pool,
        version,
        cidr.value.prefix,
        cidr.value.network,
        subtractRangeSets(ips.value, banned),
      ),
    );
  }

  /** The block and ordinal of an address of the subnet; undefined for text that is not one. */
  positionOf(ip: string): BlockPosition | undefined {
    const v = parseIPOfVersion(this.version, ip);
    if (v.isErr()) return undefined;
    const off = v.value.value - this.network;
    const hostBits = (this.version === 4 ? 32 : 128) - this.prefix;
    if (off < 0n || off >> BigInt(hostBits) !== 0n) return undefined;
    return { index: off / this.#bigSize, ordinal: Number(off % this.#bigSize) };
  }

  ipAt(index: bigint, ordinal: number): string {
    return formatIPValue(this.version, this.network + index * this.#bigSize + BigInt(ordinal));
  }

  blockCIDR(index: bigint): string {
    const bits = (this.version === 4 ? 32 : 128) - Math.log2(this.size);
    return `${formatIPValue(this.version, this.network + index * this.#bigSize)}/${bits}`;
  }

  /** Bit i set: ordinal i of block `index` may be handed out. */
  usableMask(index: bigint): Uint32Array {
    const mask = new Uint32Array(Math.ceil(this.size / 32));
    const start = this.network + index * this.#bigSize;
    const end = start + this.#bigSize - 1n;
    const ivs = this.usable.intervals;
    for (let k = firstEndingAtOrAfter(ivs, start); k < ivs.length; k++) {
      const iv = ivs[k] as IPInterval;
      if (iv.start > end) break;
      // bigints: Math.max / Math.min do not apply.
      let lo = iv.start;
      if (lo < start) lo = start;
      let hi = iv.end;
      if (hi > end) hi = end;
      const s = Number(lo - start);
      const e = Number(hi - start);
      for (let o = s; o <= e; o++) mask[o >>> 5] = (mask[o >>> 5] as number) | (1 << (o & 31));
    }
    return mask;
  }

  /** The block index ranges [first, last] that hold usable addresses, ascending, merged. */
  candidateRanges(): { first: bigint; last: bigint }[] {
    const out: { first: bigint; last: bigint }[] = [];
    for (const iv of this.usable.intervals) {
      const first = (iv.start - this.network) / this.#bigSize;
      const last = (iv.end - this.network) / this.#bigSize;
      const prev = out[out.length - 1];
      if (prev && first <= prev.last + 1n) {
        if (last > prev.last) prev.last = last;
      } else out.push({ first, last });
    }
    return out;
  }
}
