// SpiderSubnet mutating webhook (pkg/subnetmanager/subnet_mutate.go), pure and idempotent. As for pools, a
// step that cannot be done stops the mutation there without an error; validation then rejects the object.

import { LABEL_SUBNET_CIDR } from '../api/constants.ts';
import type { SpiderSubnet } from '../api/pools.ts';
import { cidrToLabelValue, isIPVersion, mergeIPRanges } from '../ip/index.ts';
import { addFinalizer, cidrVersion, clone } from './ippoolSpecRules.ts';

/**
 * The mutation of §2.4, returning a new object: finalizer, ipVersion from the subnet, the
 * `ipam.spidernet.io/subnet-cidr` label, merged `ips` and `excludeIPs`. A terminating subnet is returned
 * unchanged. `defaultSubnet(defaultSubnet(s))` equals `defaultSubnet(s)`.
 */
export function defaultSubnet(subnet: SpiderSubnet): SpiderSubnet {
  const out = clone(subnet);
  if (out.metadata.deletionTimestamp !== undefined) return out;
  addFinalizer(out.metadata);
  const spec = out.spec;
  if (spec.ipVersion === undefined) {
    const v = cidrVersion(spec.subnet);
    if (v === undefined) return out;
    spec.ipVersion = v;
  }
  const version = spec.ipVersion;
  if (!isIPVersion(version)) return out;
  const label = cidrToLabelValue(version, spec.subnet);
  if (label.isErr()) return out;
  out.metadata.labels = { ...(out.metadata.labels ?? {}), [LABEL_SUBNET_CIDR]: label.value };
  if ((spec.ips ?? []).length > 1) {
    const merged = mergeIPRanges(version, spec.ips ?? []);
    if (merged.isErr()) return out;
    spec.ips = merged.value;
  }
  if ((spec.excludeIPs ?? []).length > 1) {
    const merged = mergeIPRanges(version, spec.excludeIPs ?? []);
    if (merged.isErr()) return out;
    spec.excludeIPs = merged.value;
  }
  return out;
}
