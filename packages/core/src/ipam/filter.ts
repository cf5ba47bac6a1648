// Filtering one candidate pool for one NIC and IP family (§3.3, `selectByPod`). The checks run in
// Spiderpool's order and the first failing one is the reason kept: terminating, disabled, IP version,
// nodeName (else nodeAffinity), namespaceName (else namespaceAffinity), podAffinity (auto-created pools:
// the Pod's top controller), multusName, then matchMasterSubnet when the caller gives PF addresses.
import type { Namespace, Node, Pod, SpiderIPPool } from '../api/index.ts';
import {
  AUTO_POOL_APP_API_GROUP,
  AUTO_POOL_APP_API_VERSION,
  AUTO_POOL_APP_KIND,
  AUTO_POOL_APP_NAME,
  AUTO_POOL_APP_NAMESPACE,
  LABEL_IPPOOL_OWNER_APP_NAME,
  matchLabelSelector,
} from '../api/index.ts';
import { cidrContains, type IPVersion, isIPVersion, parseCIDR, parseIP } from '../ip/index.ts';
import { qualifyMultusName } from './networks.ts';
import { cachedCIDR } from './subnetCache.ts';
import type { TopController } from './topController.ts';
import type { DroppedPool, DropReason } from './types.ts';

export interface FilterContext {
  version: IPVersion;
  pod: Pod;
  namespace: Namespace | undefined;
  node: Node | undefined;
  controller: TopController;
  nic: string;
  /** The NIC's NAD as `<ns>/<name>`; `undefined` when unknown (pools with `multusName` are then dropped). */
  network: string | undefined;
  agentNamespace: string;
  /** The VF's PF addresses (`ip` or `ip/prefix`) for matchMasterSubnet; `undefined` skips that check. */
  masterAddresses?: readonly string[] | undefined;
}

/** The pool's IP family: `spec.ipVersion`, else inferred from `spec.subnet` (what the webhook would set). */
export const poolIPVersion = (pool: SpiderIPPool): IPVersion | undefined => {
  const v = pool.spec.ipVersion;
  if (v !== undefined) return isIPVersion(v) ? v : undefined;
  return cachedCIDR(pool.spec.subnet)?.version;
};

/** Spiderpool `IsAutoCreatedIPPool`: the pool carries the owner-application-name label. */
export const isAutoCreatedPool = (pool: SpiderIPPool): boolean =>
  pool.metadata.labels?.[LABEL_IPPOOL_OWNER_APP_NAME] !== undefined;

/** `IsMatchAutoPoolAffinity`: the podAffinity matchLabels name exactly the Pod's top controller. */
export const matchesAutoPoolAffinity = (pool: SpiderIPPool, controller: TopController): boolean => {
  const labels = pool.spec.podAffinity?.matchLabels ?? {};
  const slash = controller.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : controller.apiVersion.slice(0, slash);
  const version = slash < 0 ? controller.apiVersion : controller.apiVersion.slice(slash + 1);
  const want: Record<string, string> = {
    [AUTO_POOL_APP_API_GROUP]: group,
    [AUTO_POOL_APP_API_VERSION]: version,
    [AUTO_POOL_APP_KIND]: controller.kind,
    [AUTO_POOL_APP_NAMESPACE]: controller.namespace,
    [AUTO_POOL_APP_NAME]: controller.name,
  };
  return Object.entries(want).every(([k, v]) => (labels[k] ?? '') === v);
};

const nodeReason = (pool: SpiderIPPool, ctx: FilterContext): DropReason | undefined => {
  const nodeName = ctx.pod.spec?.nodeName ?? ctx.node?.metadata.name ?? '';
  const names = pool.spec.nodeName ?? [];
  if (names.length > 0) {
    return names.includes(nodeName)
      ? undefined
      : { _tag: 'NodeNameMismatch', node: nodeName, nodeName: names };
  }
  if (pool.spec.nodeAffinity === undefined) return undefined;
  const labels = ctx.node?.metadata.labels;
  if (ctx.node !== undefined && matchLabelSelector(pool.spec.nodeAffinity, labels)) return undefined;
  return { _tag: 'NodeAffinityMismatch', node: nodeName };
};

const namespaceReason = (pool: SpiderIPPool, ctx: FilterContext): DropReason | undefined => {
  const ns = ctx.pod.metadata.namespace ?? '';
  const names = pool.spec.namespaceName ?? [];
  if (names.length > 0) {
    return names.includes(ns)
      ? undefined
      : { _tag: 'NamespaceNameMismatch', namespace: ns, namespaceName: names };
  }
  if (pool.spec.namespaceAffinity === undefined) return undefined;
  const labels = ctx.namespace?.metadata.labels;
  if (ctx.namespace !== undefined && matchLabelSelector(pool.spec.namespaceAffinity, labels))
    return undefined;
  return { _tag: 'NamespaceAffinityMismatch', namespace: ns };
};

const podAffinityReason = (pool: SpiderIPPool, ctx: FilterContext): DropReason | undefined => {
  if (pool.spec.podAffinity === undefined) return undefined;
  const match = isAutoCreatedPool(pool)
    ? matchesAutoPoolAffinity(pool, ctx.controller)
    : matchLabelSelector(pool.spec.podAffinity, ctx.pod.metadata.labels);
  return match ? undefined : { _tag: 'PodAffinityMismatch' };
};

const multusReason = (pool: SpiderIPPool, ctx: FilterContext): DropReason | undefined => {
  const names = pool.spec.multusName ?? [];
  if (names.length === 0) return undefined;
  const hit =
    ctx.network !== undefined && names.some((n) => qualifyMultusName(n, ctx.agentNamespace) === ctx.network);
  return hit ? undefined : { _tag: 'MultusNameMismatch', network: ctx.network, multusName: names };
};

const masterReason = (pool: SpiderIPPool, ctx: FilterContext): DropReason | undefined => {
  if (ctx.masterAddresses === undefined) return undefined;
  const subnet = parseCIDR(pool.spec.subnet);
  if (subnet.isErr())
    return { _tag: 'MasterSubnetMismatch', detail: `cannot parse subnet ${pool.spec.subnet}` };
  for (const text of ctx.masterAddresses) {
    const slash = text.indexOf('/');
    const ip = parseIP(slash < 0 ? text : text.slice(0, slash));
    if (
      ip.isOk() &&
      ip.value.version === subnet.value.version &&
      cidrContains(subnet.value, ip.value.value)
    ) {
      return undefined;
    }
  }
  return {
    _tag: 'MasterSubnetMismatch',
    detail: `subnet ${pool.spec.subnet} not found on the PF addresses [${ctx.masterAddresses.join(' ')}]`,
  };
};

/** Why `pool` cannot serve this NIC and family, or `undefined` when it can. */
export const filterPool = (pool: SpiderIPPool, ctx: FilterContext): DropReason | undefined => {
  if (pool.metadata.deletionTimestamp !== undefined) return { _tag: 'Terminating' };
  if (pool.spec.disable === true) return { _tag: 'Disabled' };
  const version = poolIPVersion(pool);
  if (version !== ctx.version) return { _tag: 'IPVersionMismatch', poolVersion: version };
  return (
    nodeReason(pool, ctx) ??
    namespaceReason(pool, ctx) ??
    podAffinityReason(pool, ctx) ??
    multusReason(pool, ctx) ??
    masterReason(pool, ctx)
  );
};

/** A Spiderpool-like sentence for a drop reason. */
export const dropMessage = (pool: string, reason: DropReason): string => {
  switch (reason._tag) {
    case 'NotFound':
      return `IPPool ${pool} not found`;
    case 'Terminating':
      return `terminating IPPool ${pool}`;
    case 'Disabled':
      return `disabled IPPool ${pool}`;
    case 'IPVersionMismatch':
      return `the version of the IPPool ${pool} is IPv${reason.poolVersion ?? '?'}`;
    case 'NodeNameMismatch':
      return `unmatched Node name of IPPool ${pool}: node ${reason.node || '(none)'} not in [${reason.nodeName.join(' ')}]`;
    case 'NodeAffinityMismatch':
      return `unmatched Node affinity of IPPool ${pool} (node ${reason.node || '(none)'})`;
    case 'NamespaceNameMismatch':
      return `unmatched Namespace name of IPPool ${pool}: ${reason.namespace} not in [${reason.namespaceName.join(' ')}]`;
    case 'NamespaceAffinityMismatch':
      return `unmatched Namespace affinity of IPPool ${pool} (namespace ${reason.namespace})`;
    case 'PodAffinityMismatch':
      return `unmatched Pod affinity of IPPool ${pool}`;
    case 'MultusNameMismatch':
      return `the spec.multusName [${reason.multusName.join(' ')}] of IPPool ${pool} does not match the NIC's network ${reason.network ?? '(none)'}`;
    case 'MasterSubnetMismatch':
      return `IPPool ${pool}: ${reason.detail}`;
  }
};

/** A `DroppedPool` with its message. */
export const droppedPool = (pool: string, reason: DropReason): DroppedPool => ({
  pool,
  reason,
  message: dropMessage(pool, reason),
});
