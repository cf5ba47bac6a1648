// Rule 9 of §2.3 (ippool_subnet_validate.go): with the SpiderSubnet feature on, a pool controlled by a
// SpiderSubnet may only use addresses the subnet offers, and an auto-created pool must use exactly the
// addresses the subnet pre-allocated to it (`status.controlledIPPools[pool].ips`).

import type { IPVersion, SpiderIPPool, SpiderSubnet } from '../api/pools.ts';
import { decodeControlledIPPools } from '../api/statusCodecs.ts';
import {
  type IPRangeSet,
  isIPVersion,
  isRangeSetEmpty,
  type PoolRanges,
  parseIPRanges,
  rangeSetEquals,
  subtractRangeSets,
} from '../ip/index.ts';
import type { FieldError } from './fieldError.ts';
import { forbidden, internalError } from './fieldError.ts';
import { controllerOf } from './ippoolDefault.ts';
import { isAutoCreatedIPPool } from './ippoolRules.ts';
import { IPS_FIELD, rangeSetText, SUBNET_FIELD, TOTAL_IPS_NOTE } from './ippoolSpecRules.ts';

/** `AssembleTotalIPs` as a set: `ips` minus `excludeIPs` of a subnet (no containment check). */
export function subnetAvailable(version: IPVersion, subnet: SpiderSubnet): IPRangeSet | string {
  const ips = parseIPRanges(version, subnet.spec.ips ?? []);
  if (ips.isErr()) return ips.error.message;
  const exclude = parseIPRanges(version, subnet.spec.excludeIPs ?? []);
  if (exclude.isErr()) return exclude.error.message;
  return subtractRangeSets(ips.value, exclude.value);
}

function validateAutoPoolIPs(
  version: IPVersion,
  pool: SpiderIPPool,
  ranges: PoolRanges,
  subnet: SpiderSubnet,
): FieldError | undefined {
  const name = subnet.metadata.name;
  const controlled = decodeControlledIPPools(subnet.status?.controlledIPPools);
  if (controlled.isErr()) {
    return internalError(
      SUBNET_FIELD,
      `failed unsharmal SpiderSubnet ${name} Status.ControlledIPPools: ${controlled.error.message}`,
    );
  }
  const entry = controlled.value.get(pool.metadata.name);
  const preAllocated = parseIPRanges(version, entry?.ips ?? []);
  if (preAllocated.isErr()) {
    return internalError(
      SUBNET_FIELD,
      `failed to parse SpiderSubnet ${name} controlledIPPool ${pool.metadata.name} IPs: ${preAllocated.error.message}`,
    );
  }
  if (rangeSetEquals(preAllocated.value, ranges.available)) return undefined;
  return forbidden(
    IPS_FIELD,
    "it's illegal to update AutoPool.Spec.IPs that are different from corresponding SpiderSubnet.Status.ControlledIPPools",
  );
}

/**
 * `validateSubnetTotalIPsContainsIPPoolTotalIPs`. Only for pools with a controller owner and at least one
 * usable address; the controller SpiderSubnet must exist in `subnets`.
 */
export function validateIPPoolWithinSubnet(
  version: IPVersion,
  pool: SpiderIPPool,
  ranges: PoolRanges,
  subnets: readonly SpiderSubnet[],
): FieldError | undefined {
  const owner = controllerOf(pool.metadata);
  if (owner === undefined || isRangeSetEmpty(ranges.available)) return undefined;
  const subnet = subnets.find((s) => s.metadata.name === owner.name);
  if (subnet === undefined) {
    return internalError(SUBNET_FIELD, `failed to get controller Subnet ${owner.name}: not found`);
  }
  const subnetVersion = subnet.spec.ipVersion ?? version;
  const offered = isIPVersion(subnetVersion) ? subnetAvailable(subnetVersion, subnet) : 'invalid ipVersion';
  if (typeof offered === 'string') {
    return internalError(
      IPS_FIELD,
      `failed to assemble the total IP addresses of the Subnet ${subnet.metadata.name}: ${offered}`,
    );
  }
  const outside =
    offered.version === version ? subtractRangeSets(ranges.available, offered) : ranges.available;
  if (!isRangeSetEmpty(outside)) {
    return forbidden(
      IPS_FIELD,
      `add some IP ranges ${rangeSetText(outside)} that are not contained in controller Subnet ${subnet.metadata.name}, ${TOTAL_IPS_NOTE}`,
    );
  }
  return isAutoCreatedIPPool(pool) ? validateAutoPoolIPs(version, pool, ranges, subnet) : undefined;
}
