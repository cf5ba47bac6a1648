// SpiderSubnet mutating webhook (pkg/subnetmanager/subnet_mutate.go), pure and idempotent. As for pools, a
// step that cannot be done stops the mutation there without an error; validation then rejects the object.

import { LABEL_SUBNET_CIDR } from '../api/constants.ts';
import type { SpiderSubnet } from '../api/pools.ts';
import { clone, defaultCidrHead, mergeSpecRanges } from './ippoolSpecRules.ts';

/**
 * The mutation of §2.4, returning a new object: finalizer, ipVersion from the subnet, the
 * `ipam.spidernet.io/subnet-cidr` label, merged `ips` and `excludeIPs`. A terminating subnet is returned
 * unchanged. `defaultSubnet(defaultSubnet(s))` equals `defaultSubnet(s)`.
 */
export function defaultSubnet(subnet: SpiderSubnet): SpiderSubnet {
  const out = clone(subnet);
  if (out.metadata.deletionTimestamp !== undefined) return out;
  const head = defaultCidrHead(out, LABEL_SUBNET_CIDR);
  if (head !== undefined) mergeSpecRanges(out.spec, head.version);
  return out;
}
