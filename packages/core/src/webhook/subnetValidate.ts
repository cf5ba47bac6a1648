// SpiderSubnet validating webhook (pkg/subnetmanager/subnet_validate.go, subnet_webhook.go). Objects are
// validated as the mutation left them (run `defaultSubnet` first). Each stage stops at its first error.

import type { IPVersion, SpiderSubnet } from '../api/pools.ts';
import { decodeControlledIPPools } from '../api/statusCodecs.ts';
import {
  checkFormatCIDR,
  cidrsOverlap,
  type IPRangeSet,
  isRangeSetEmpty,
  parseCIDROfVersion,
  parseIPRanges,
  parsePoolRanges,
  subtractRangeSets,
} from '../ip/index.ts';
import { validateListBounds, validateSubnetWhenNoVersion } from './admissionBounds.ts';
import type { FieldError } from './fieldError.ts';
import { alreadyExists, forbidden, index, internalError, invalid } from './fieldError.ts';
import type { PoolWebhookContext } from './ippoolSpecRules.ts';
import {
  EXCLUDE_IPS_FIELD,
  IPS_FIELD,
  rangeSetText,
  SUBNET_FIELD,
  terminatingUpdate,
  validateContainsIPRange,
  validateGateway,
  validateImmutable,
  validateIPVersion,
  validateRoutes,
} from './ippoolSpecRules.ts';
import { subnetAvailable } from './ippoolSubnetRules.ts';
import { validateUsableSubnet } from './unusableSubnet.ts';

/** `ctx` of the SpiderSubnet validators: cluster settings plus the existing subnets and pools. */
export type SubnetWebhookContext = PoolWebhookContext;

const NIL_VERSION = "is not generated correctly, 'spec.subnet' may be invalid";
const CONTROLLED_FIELD = 'status.controlledIPPools';

/**
 * `validateOrphanIPPool`: a pool of the family with a different, overlapping subnet is refused; a pool with
 * the identical subnet must only use addresses the new subnet offers.
 */
function validateOrphanPools(
  version: IPVersion,
  subnet: SpiderSubnet,
  offered: IPRangeSet | string,
  ctx: SubnetWebhookContext,
): FieldError | undefined {
  const cidr = parseCIDROfVersion(version, subnet.spec.subnet);
  if (cidr.isErr()) return invalid(SUBNET_FIELD, subnet.spec.subnet, cidr.error.message);
  for (const pool of ctx.pools) {
    if (pool.spec.ipVersion !== version) continue;
    if (pool.spec.subnet !== subnet.spec.subnet) {
      const other = parseCIDROfVersion(version, pool.spec.subnet);
      if (other.isOk() && cidrsOverlap(cidr.value, other.value)) {
        return invalid(
          SUBNET_FIELD,
          subnet.spec.subnet,
          `overlap with SpiderIPPool '${pool.metadata.name}' resource 'spec.subnet' ${pool.spec.subnet}`,
        );
      }
      continue;
    }
    if (typeof offered === 'string') return invalid(IPS_FIELD, subnet.spec.ips ?? [], offered);
    const owned = parsePoolRanges(pool.spec.subnet, pool.spec.ips ?? [], pool.spec.excludeIPs ?? []);
    if (owned.isErr()) {
      return internalError(
        IPS_FIELD,
        `failed to assemble the total IP addresses of the IPPool '${pool.metadata.name}', error: ${owned.error.message}`,
      );
    }
    if (!isRangeSetEmpty(subtractRangeSets(owned.value.available, offered))) {
      return invalid(
        IPS_FIELD,
        subnet.spec.ips ?? [],
        `SpiderIPPool '${pool.metadata.name}' owns some IP addresses that SpiderSubnet '${subnet.metadata.name}' can't control`,
      );
    }
  }
  return undefined;
}

/** Create only: canonical CIDR, unique name, no overlap with any other subnet (identical included), orphans. */
function validateSubnetCIDR(
  version: IPVersion,
  subnet: SpiderSubnet,
  ctx: SubnetWebhookContext,
): FieldError | undefined {
  const text = subnet.spec.subnet;
  const cidr = parseCIDROfVersion(version, text);
  if (cidr.isErr()) return invalid(SUBNET_FIELD, text, cidr.error.message);
  const formatted = checkFormatCIDR(text);
  if (formatted.isErr()) return invalid(SUBNET_FIELD, text, formatted.error.message);
  if (ctx.subnets.some((s) => s.metadata.name === subnet.metadata.name)) {
    return alreadyExists(
      'metadata.name',
      subnet.metadata.name,
      `subnet ${subnet.metadata.name} AlreadyExists`,
    );
  }
  for (const other of ctx.subnets) {
    if (other.spec.ipVersion !== version) continue;
    const o = parseCIDROfVersion(version, other.spec.subnet);
    if (o.isOk() && cidrsOverlap(cidr.value, o.value)) {
      return invalid(
        SUBNET_FIELD,
        text,
        `overlap with Subnet ${other.metadata.name} which 'spec.subnet' is ${other.spec.subnet}`,
      );
    }
  }
  return validateOrphanPools(version, subnet, subnetAvailable(version, subnet), ctx);
}

/** `validateSubnetSpec`: every ips / excludeIPs range inside the CIDR, then gateway and routes. */
function validateSubnetSpec(version: IPVersion, subnet: SpiderSubnet): FieldError | undefined {
  const s = subnet.spec;
  for (const [field, list] of [
    [IPS_FIELD, s.ips],
    [EXCLUDE_IPS_FIELD, s.excludeIPs],
  ] as const) {
    for (const [i, r] of (list ?? []).entries()) {
      const e = validateContainsIPRange(index(field, i), version, s.subnet, r);
      if (e !== undefined) return e;
    }
  }
  return validateGateway(version, s) ?? validateRoutes(version, s.subnet, s.routes);
}

/** Update only: the ranges handed to controlled pools must stay inside ips minus excludeIPs. */
function validateSubnetIPInUse(version: IPVersion, subnet: SpiderSubnet): FieldError | undefined {
  const offered = subnetAvailable(version, subnet);
  if (typeof offered === 'string') return internalError(IPS_FIELD, offered);
  const controlled = decodeControlledIPPools(subnet.status?.controlledIPPools);
  if (controlled.isErr()) {
    return internalError(
      CONTROLLED_FIELD,
      `failed to unmarshal the controlled IPPools of Subnet ${subnet.metadata.name}: ${controlled.error.message}`,
    );
  }
  for (const [poolName, pre] of controlled.value) {
    const ips = parseIPRanges(version, pre.ips);
    if (ips.isErr()) {
      return internalError(
        CONTROLLED_FIELD,
        `failed to parse the pre-allocation of the IPPool ${poolName}: ${ips.error.message}`,
      );
    }
    const lost = subtractRangeSets(ips.value, offered);
    if (!isRangeSetEmpty(lost)) {
      return forbidden(
        IPS_FIELD,
        `remove some IP ranges ${rangeSetText(lost)} that is being used by IPPool ${poolName}, total IP addresses of an Subnet are jointly determined by 'spec.ips' and 'spec.excludeIPs'`,
      );
    }
  }
  return undefined;
}

/** CREATE (§2.4). The same-name case is a single `AlreadyExists` error. */
export function validateSubnetCreate(subnet: SpiderSubnet, ctx: SubnetWebhookContext): FieldError[] {
  const e =
    validateListBounds(subnet.spec) ??
    validateSubnetWhenNoVersion(subnet.spec) ??
    validateIPVersion(subnet.spec.ipVersion, ctx.settings, NIL_VERSION) ??
    validateSubnetCIDR(subnet.spec.ipVersion as IPVersion, subnet, ctx) ??
    validateUsableSubnet(subnet.spec.ipVersion as IPVersion, subnet.spec.subnet) ??
    validateSubnetSpec(subnet.spec.ipVersion as IPVersion, subnet);
  return e === undefined ? [] : [e];
}

/** UPDATE: terminating guard, immutable ipVersion/subnet, spec rules, pre-allocated ranges kept. */
export function validateSubnetUpdate(
  old: SpiderSubnet,
  subnet: SpiderSubnet,
  ctx: SubnetWebhookContext,
): FieldError[] {
  const terminating = terminatingUpdate(subnet.metadata, 'cannot update a terminaing Subnet');
  if (terminating !== undefined) return terminating;
  const e =
    validateImmutable(old.spec, subnet.spec) ??
    validateListBounds(subnet.spec) ??
    validateIPVersion(subnet.spec.ipVersion, ctx.settings, NIL_VERSION) ??
    validateSubnetSpec(subnet.spec.ipVersion as IPVersion, subnet) ??
    validateSubnetIPInUse(subnet.spec.ipVersion as IPVersion, subnet);
  return e === undefined ? [] : [e];
}

/** DELETE: only with `enableValidatingResourcesDeletedWebhook`, a subnet with allocated IPs is refused. */
export function validateSubnetDelete(
  subnet: SpiderSubnet,
  ctx: Pick<SubnetWebhookContext, 'settings'>,
): FieldError[] {
  if (!ctx.settings.enableValidatingResourcesDeletedWebhook) return [];
  const n = subnet.status?.allocatedIPCount ?? 0;
  if (n <= 0) return [];
  return [forbidden('status.allocatedIPCount', `cannot delete an Subnet with allocated IPs(${n})`)];
}
