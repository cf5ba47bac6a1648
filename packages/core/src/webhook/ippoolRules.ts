// The SpiderIPPool-only rules of §2.3 (ippool_validate.go): the subnet against other pools, the address space
// against pools of the same cidr label, podAffinity, and IPs still allocated on update.

import {
  AUTO_POOL_APP_API_GROUP,
  AUTO_POOL_APP_API_VERSION,
  AUTO_POOL_APP_KIND,
  AUTO_POOL_APP_NAME,
  AUTO_POOL_APP_NAMESPACE,
  LABEL_IPPOOL_CIDR,
  LABEL_IPPOOL_OWNER_APP_NAME,
} from '../api/constants.ts';
import { validateLabelSelector } from '../api/labelValidation.ts';
import type { IPVersion, SpiderIPPool } from '../api/pools.ts';
import { decodeAllocatedIPs } from '../api/statusCodecs.ts';
import {
  checkFormatCIDR,
  cidrsOverlap,
  cidrToLabelValue,
  intersectRangeSets,
  isRangeSetEmpty,
  type PoolRanges,
  parseCIDROfVersion,
  parseIPOfVersion,
  parsePoolRanges,
  rangeSetContains,
} from '../ip/index.ts';
import { poolRangesErrorField } from './admissionBounds.ts';
import type { FieldError } from './fieldError.ts';
import { alreadyExists, forbidden, internalError, invalid } from './fieldError.ts';
import { IPS_FIELD, rangeSetText, SUBNET_FIELD, TOTAL_IPS_NOTE } from './ippoolSpecRules.ts';

const POD_AFFINITY_FIELD = 'spec.podAffinity';

const AUTO_POOL_AFFINITY_KEYS: ReadonlySet<string> = new Set([
  AUTO_POOL_APP_API_GROUP,
  AUTO_POOL_APP_API_VERSION,
  AUTO_POOL_APP_KIND,
  AUTO_POOL_APP_NAMESPACE,
  AUTO_POOL_APP_NAME,
]);

/** `IsAutoCreatedIPPool`: auto-created pools carry the `owner-application-name` label. */
export const isAutoCreatedIPPool = (pool: SpiderIPPool): boolean =>
  Object.hasOwn(pool.metadata.labels ?? {}, LABEL_IPPOOL_OWNER_APP_NAME);

/**
 * Create only: the subnet is a canonical CIDR of the pool's family, no existing pool has the name, and no
 * existing pool of the family has a *different* subnet that contains or is contained in this one (an
 * identical subnet string is allowed: quirk 4).
 */
export function validateIPPoolCIDR(
  version: IPVersion,
  pool: SpiderIPPool,
  existing: readonly SpiderIPPool[],
): FieldError | undefined {
  const subnet = pool.spec.subnet;
  const cidr = parseCIDROfVersion(version, subnet);
  if (cidr.isErr()) return invalid(SUBNET_FIELD, subnet, cidr.error.message);
  const formatted = checkFormatCIDR(subnet);
  if (formatted.isErr()) return invalid(SUBNET_FIELD, subnet, formatted.error.message);
  if (existing.some((p) => p.metadata.name === pool.metadata.name)) {
    return alreadyExists('metadata.name', pool.metadata.name, `IPPool ${pool.metadata.name} AlreadyExists`);
  }
  for (const other of existing) {
    if (other.spec.ipVersion !== version || other.spec.subnet === subnet) continue;
    const o = parseCIDROfVersion(version, other.spec.subnet);
    if (o.isErr()) {
      return internalError(
        SUBNET_FIELD,
        `failed to compare whether 'spec.subnet' overlaps: ${o.error.message}`,
      );
    }
    if (cidrsOverlap(cidr.value, o.value)) {
      return invalid(
        SUBNET_FIELD,
        subnet,
        `overlap with IPPool ${other.metadata.name} which 'spec.subnet' is ${other.spec.subnet}`,
      );
    }
  }
  return undefined;
}

/**
 * `validateIPPoolAvailableIPs`: `NewCIDR(subnet, ips, excludeIPs)` holds, and the usable addresses (ips minus
 * excludeIPs) share none with another pool carrying the same `ippool-cidr` label. An address excluded in one
 * pool may be used by the other. Returns the pool's ranges on success.
 */
export function validateIPPoolAvailableIPs(
  version: IPVersion,
  pool: SpiderIPPool,
  existing: readonly SpiderIPPool[],
): FieldError | PoolRanges {
  const s = pool.spec;
  const ranges = parsePoolRanges(s.subnet, s.ips ?? [], s.excludeIPs ?? []);
  if (ranges.isErr()) {
    const at = poolRangesErrorField(s, ranges.error.value);
    return invalid(at.field, at.value ?? s.subnet, ranges.error.message);
  }
  if (ranges.value.subnet.version !== version) {
    return invalid(SUBNET_FIELD, s.subnet, `invalid CIDR format in IPv${version} '${s.subnet}'`);
  }
  const label = cidrToLabelValue(version, s.subnet);
  if (label.isErr()) return internalError(IPS_FIELD, label.error.message);
  for (const other of existing) {
    if (other.metadata.name === pool.metadata.name) continue;
    if (other.metadata.labels?.[LABEL_IPPOOL_CIDR] !== label.value) continue;
    const o = other.spec;
    const theirs = parsePoolRanges(o.subnet, o.ips ?? [], o.excludeIPs ?? []);
    if (theirs.isErr()) return invalid(SUBNET_FIELD, o.subnet, theirs.error.message);
    if (theirs.value.subnet.version !== version) continue;
    const shared = intersectRangeSets(ranges.value.available, theirs.value.available);
    if (!isRangeSetEmpty(shared)) {
      return forbidden(
        IPS_FIELD,
        `overlap with IPPool ${other.metadata.name} in IP ranges ${rangeSetText(shared)}, ${TOTAL_IPS_NOTE}`,
      );
    }
  }
  return ranges.value;
}

/**
 * `validateIPPoolPodAffinity` (all errors, like Spiderpool): an auto-created pool may only carry the five
 * `ipam.spidernet.io/app-*` matchLabels and no matchExpressions; any other pool needs a valid, non-empty
 * selector.
 */
export function validateIPPoolPodAffinity(pool: SpiderIPPool): FieldError[] {
  const sel = pool.spec.podAffinity;
  if (sel === undefined) return [];
  const errs: FieldError[] = [];
  if (isAutoCreatedIPPool(pool)) {
    for (const k of Object.keys(sel.matchLabels ?? {})) {
      if (!AUTO_POOL_AFFINITY_KEYS.has(k)) {
        errs.push(
          invalid(
            POD_AFFINITY_FIELD,
            sel,
            "it's invalid to add additional podAffinity matchLabels for auto-created SpiderIPPool",
          ),
        );
      }
    }
    if ((sel.matchExpressions ?? []).length > 0) {
      errs.push(
        invalid(
          POD_AFFINITY_FIELD,
          sel,
          "it's invalid to add additional podAffinity matchExpressions for auto-created SpiderIPPool",
        ),
      );
    }
    return errs;
  }
  errs.push(...validateLabelSelector(sel, POD_AFFINITY_FIELD));
  if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) {
    errs.push(invalid(POD_AFFINITY_FIELD, sel, 'empty podAffinity is invalid for SpiderIPPool'));
  }
  return errs;
}

/**
 * Update only: every address of `status.allocatedIPs` must stay usable (in ips, not in excludeIPs); the
 * first one (in the record's key order) that does not names its Pod.
 */
export function validateIPPoolIPInUse(
  version: IPVersion,
  pool: SpiderIPPool,
  ranges: PoolRanges,
): FieldError | undefined {
  const records = decodeAllocatedIPs(pool.status?.allocatedIPs);
  if (records.isErr()) {
    return internalError(
      IPS_FIELD,
      `failed to unmarshal the allocated IP records of IPPool ${pool.metadata.name}: ${records.error.message}`,
    );
  }
  for (const [ip, record] of records.value) {
    const addr = parseIPOfVersion(version, ip);
    if (addr.isOk() && rangeSetContains(ranges.available, addr.value.value)) continue;
    return forbidden(
      IPS_FIELD,
      `remove an IP address ${ip} that is being used by Pod ${record.pod}, ${TOTAL_IPS_NOTE}`,
    );
  }
  return undefined;
}
