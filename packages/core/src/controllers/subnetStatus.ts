// SpiderSubnet accounting (Spiderpool pkg/subnetmanager/subnet_informer.go `syncControlledIPPoolIPs`,
// reference §1.2): status.totalIPCount = |ips − excludeIPs|; status.controlledIPPools = per controlled pool
// the ranges it holds (auto-created pools: their pre-allocation plus `application` key; manual pools
// labelled `ipam.spidernet.io/owner-spider-subnet=<subnet>`: their ips − excludeIPs within the subnet);
// status.allocatedIPCount = the sum of those. Pool containment check for the webhook path.
import { err, ok, type Result } from 'neverthrow';
import type { PoolIPPreAllocation, SpiderIPPool, SpiderSubnet, SubnetStatus } from '../api/index.ts';
import {
  decodeControlledIPPools,
  encodeControlledIPPools,
  LABEL_IPPOOL_OWNER_APP_NAME,
  LABEL_IPPOOL_OWNER_SUBNET,
} from '../api/index.ts';
import {
  formatIPRanges,
  type IPRangeSet,
  intersectRangeSets,
  isRangeSetEmpty,
  parseIPRanges,
  parsePoolRanges,
  rangeSetSize,
  saturateInt64,
  subtractRangeSets,
} from '../ip/index.ts';
import { applicationKeyFromPoolLabels, parseApplicationKey } from '../ipam/autoPool.ts';
import {
  type ControllerError,
  invalidPoolSpec,
  type PoolSubnetMismatch,
  poolNotInSubnet,
  unreadableStatus,
} from './errors.ts';

export interface SubnetStatusOptions {
  /** Whether the application of an auto-pool pre-allocation still exists; undefined: unknown (kept). */
  appExists?: (applicationKey: string) => boolean | undefined;
}

export interface ComputedSubnetStatus {
  status: SubnetStatus;
  /** Pool name -> pre-allocation, decoded form of `status.controlledIPPools`. */
  controlled: ReadonlyMap<string, PoolIPPreAllocation>;
}

const isAutoPool = (pool: SpiderIPPool): boolean =>
  pool.metadata.labels?.[LABEL_IPPOOL_OWNER_APP_NAME] !== undefined;

/** `AssembleTotalIPs` of a pool spec, in the subnet's family. */
const poolTotal = (subnet: IPRangeSet, pool: SpiderIPPool): Result<IPRangeSet, unknown> =>
  parseIPRanges(subnet.version, pool.spec.ips ?? []).andThen((ips) =>
    parseIPRanges(subnet.version, pool.spec.excludeIPs ?? []).map((ex) => subtractRangeSets(ips, ex)),
  );

/** Pure: the status the subnet controller writes, given the pools labelled as controlled by `subnet`. */
export const computeSubnetStatus = (
  subnet: SpiderSubnet,
  controlledPools: readonly SpiderIPPool[],
  options: SubnetStatusOptions = {},
): Result<ComputedSubnetStatus, ControllerError> => {
  const name = subnet.metadata.name;
  const ranges = parsePoolRanges(subnet.spec.subnet, subnet.spec.ips ?? [], subnet.spec.excludeIPs ?? []);
  if (ranges.isErr()) return err(invalidPoolSpec('SpiderSubnet', name, ranges.error));
  const total = ranges.value.available;
  const existing = decodeControlledIPPools(subnet.status?.controlledIPPools);
  if (existing.isErr()) return err(unreadableStatus('SpiderSubnet', name, existing.error));
  const poolNames = new Set(controlledPools.map((p) => p.metadata.name));
  const next = new Map<string, PoolIPPreAllocation>();
  let count = 0n;

  // Auto-pool pre-allocations: the subnet status is their source of truth (written before the pool).
  for (const [pool, pre] of existing.value) {
    if (pre.application === undefined) continue;
    if (parseApplicationKey(pre.application) === undefined) continue;
    if (options.appExists?.(pre.application) === false && !poolNames.has(pool)) continue;
    const ips = parseIPRanges(total.version, pre.ips);
    if (ips.isErr()) continue;
    count += rangeSetSize(ips.value);
    next.set(pool, pre);
  }
  for (const pool of controlledPools) {
    const pname = pool.metadata.name;
    if (pool.metadata.labels?.[LABEL_IPPOOL_OWNER_SUBNET] !== name) continue;
    if (isAutoPool(pool)) {
      // An auto-pool the status does not list yet: record its current ips.
      const application = applicationKeyFromPoolLabels(pool.metadata.labels ?? {});
      if (next.has(pname) || application === undefined) continue;
      const ips = parseIPRanges(total.version, pool.spec.ips ?? []);
      if (ips.isErr()) continue;
      count += rangeSetSize(ips.value);
      next.set(pname, { ips: formatIPRanges(ips.value), application });
      continue;
    }
    const own = poolTotal(total, pool);
    if (own.isErr() || isRangeSetEmpty(own.value)) continue;
    const valid = intersectRangeSets(total, own.value);
    count += rangeSetSize(valid);
    next.set(pname, { ips: formatIPRanges(valid) });
  }
  const status: SubnetStatus = {
    totalIPCount: Number(saturateInt64(ranges.value.total)),
    allocatedIPCount: Number(saturateInt64(count)),
  };
  const encoded = encodeControlledIPPools(next);
  if (encoded !== undefined) status.controlledIPPools = encoded;
  return ok({ status, controlled: next });
};

/**
 * Containment of a subnet-controlled pool: same CIDR, and every address of `ips − excludeIPs` inside the
 * subnet's `ips − excludeIPs` (the webhook's `validateSubnetTotalIPsContainsIPPoolTotalIPs`).
 */
export const checkPoolInSubnet = (
  pool: SpiderIPPool,
  subnet: SpiderSubnet,
): Result<void, PoolSubnetMismatch | ControllerError> => {
  if (pool.spec.subnet !== subnet.spec.subnet)
    return err(poolNotInSubnet(pool.metadata.name, subnet.metadata.name, []));
  const sub = parsePoolRanges(subnet.spec.subnet, subnet.spec.ips ?? [], subnet.spec.excludeIPs ?? []);
  if (sub.isErr()) return err(invalidPoolSpec('SpiderSubnet', subnet.metadata.name, sub.error));
  const own = parsePoolRanges(pool.spec.subnet, pool.spec.ips ?? [], pool.spec.excludeIPs ?? []);
  if (own.isErr()) return err(invalidPoolSpec('SpiderIPPool', pool.metadata.name, own.error));
  const outside = subtractRangeSets(own.value.available, sub.value.available);
  if (isRangeSetEmpty(outside)) return ok(undefined);
  return err(poolNotInSubnet(pool.metadata.name, subnet.metadata.name, formatIPRanges(outside)));
};
