// SpiderIPPool mutating webhook (pkg/ippoolmanager/ippool_mutate.go), pure and idempotent.
//
// Like Spiderpool, a step that cannot be done stops the mutation there without an error (Spiderpool only logs
// it and admits the object as mutated so far); validation then rejects the object.

import {
  KIND_SPIDER_SUBNET,
  LABEL_IPPOOL_CIDR,
  LABEL_IPPOOL_OWNER_SUBNET,
  LABEL_SUBNET_CIDR,
  SPIDERPOOL_GROUP_VERSION,
} from '../api/constants.ts';
import type { ObjectMeta, OwnerReference } from '../api/meta.ts';
import type { SpiderIPPool, SpiderSubnet } from '../api/pools.ts';
import type { PoolWebhookContext } from './ippoolSpecRules.ts';
import { clone, defaultCidrHead, mergeSpecRanges } from './ippoolSpecRules.ts';

/** What `defaultIPPool` reads of the cluster: whether the SpiderSubnet feature is on, and the subnets. */
export type IPPoolDefaultContext = Pick<PoolWebhookContext, 'subnets'> & {
  readonly settings: Pick<PoolWebhookContext['settings'], 'enableSpiderSubnet'>;
};

/** `metav1.GetControllerOf`. */
export const controllerOf = (meta: ObjectMeta): OwnerReference | undefined =>
  meta.ownerReferences?.find((r) => r.controller === true);

/** The controller reference a SpiderSubnet puts on the pools it controls. */
export const subnetControllerRef = (subnet: SpiderSubnet): OwnerReference => ({
  apiVersion: SPIDERPOOL_GROUP_VERSION,
  kind: KIND_SPIDER_SUBNET,
  name: subnet.metadata.name,
  uid: subnet.metadata.uid ?? '',
  controller: true,
  blockOwnerDeletion: true,
});

/** The group of an apiVersion (`apps/v1` -> `apps`, core `v1` -> ``). */
const apiGroup = (apiVersion: string): string => {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
};

/**
 * `ctrl.SetControllerReference`: replaces a reference to the same object, else appends. Returns false (and
 * changes nothing) when another object already is the controller.
 */
function setControllerReference(meta: ObjectMeta, ref: OwnerReference): boolean {
  const refs = meta.ownerReferences ?? [];
  const current = controllerOf(meta);
  const same = (r: OwnerReference): boolean =>
    r.kind === ref.kind && r.name === ref.name && apiGroup(r.apiVersion) === apiGroup(ref.apiVersion);
  if (current !== undefined && !same(current)) return false;
  const at = refs.findIndex(same);
  meta.ownerReferences = at < 0 ? [...refs, ref] : refs.map((r, i) => (i === at ? ref : r));
  return true;
}

/** `InheritSubnetProperties`: gateway if the pool has none; routes if the pool's are nil (not if empty). */
export function inheritSubnetProperties(subnet: SpiderSubnet, pool: SpiderIPPool): void {
  if (subnet.spec.gateway !== undefined && pool.spec.gateway === undefined)
    pool.spec.gateway = subnet.spec.gateway;
  const routes = subnet.spec.routes ?? [];
  if (routes.length > 0 && pool.spec.routes === undefined) pool.spec.routes = routes.map((r) => ({ ...r }));
}

/**
 * `setControllerSubnet`: the first SpiderSubnet whose cidr label equals the pool's becomes its controller
 * (ownerReference + `ipam.spidernet.io/owner-spider-subnet`). Returns the subnet whose properties the pool
 * inherits, `undefined` when there is none or the pool is already bound, or 'conflict' when another object
 * controls the pool.
 */
function bindSubnet(
  pool: SpiderIPPool,
  cidrLabel: string,
  subnets: readonly SpiderSubnet[],
): SpiderSubnet | 'conflict' | undefined {
  const labels = pool.metadata.labels ?? {};
  const owner = controllerOf(pool.metadata);
  if (owner !== undefined && labels[LABEL_IPPOOL_OWNER_SUBNET] === owner.name) return undefined;
  const subnet = subnets.find((s) => s.metadata.labels?.[LABEL_SUBNET_CIDR] === cidrLabel);
  if (subnet === undefined) return undefined;
  const controlled = owner !== undefined && owner.uid === (subnet.metadata.uid ?? '');
  if (!controlled && !setControllerReference(pool.metadata, subnetControllerRef(subnet))) return 'conflict';
  pool.metadata.labels = { ...labels, [LABEL_IPPOOL_OWNER_SUBNET]: subnet.metadata.name };
  return subnet;
}

/**
 * The mutation of §2.2, returning a new object (the input is not modified): finalizer, ipVersion from the
 * subnet, the `ipam.spidernet.io/ippool-cidr` label, the controller SpiderSubnet (when `enableSpiderSubnet`)
 * with gateway/routes inheritance, merged `ips` and `excludeIPs`. A terminating pool is returned unchanged.
 * `defaultIPPool(defaultIPPool(p, ctx), ctx)` equals `defaultIPPool(p, ctx)`.
 */
export function defaultIPPool(pool: SpiderIPPool, ctx: IPPoolDefaultContext): SpiderIPPool {
  const out = clone(pool);
  if (out.metadata.deletionTimestamp !== undefined) return out;
  const head = defaultCidrHead(out, LABEL_IPPOOL_CIDR);
  if (head === undefined) return out;
  const { version, label } = head;
  if (ctx.settings.enableSpiderSubnet) {
    const subnet = bindSubnet(out, label, ctx.subnets);
    if (subnet === 'conflict') return out;
    if (subnet !== undefined) inheritSubnetProperties(subnet, out);
  }
  mergeSpecRanges(out.spec, version);
  return out;
}
