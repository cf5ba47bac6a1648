// Step two of an auto-pool change: the SpiderIPPool object itself (reference §1.1). A new pool gets the
// application labels, the `ipam.spidernet.io/ippool-ip-number` annotation, the app podAffinity, the subnet
// as controller owner, the finalizer, the subnet's gateway and routes and the reserved `ips`; an existing pool
// gets its `ips`, app-UID / reclaim labels and ip-number annotation refreshed. Either way the object goes
// through the SpiderIPPool mutating and validating webhooks before it is written. Pure.
import { err, ok, type Result } from 'neverthrow';
import type { SpiderIPPool, SpiderSubnet } from '../api/index.ts';
import {
  ANNO_SUBNET_POOL_IP_NUMBER,
  LABEL_IPPOOL_OWNER_APP_UID,
  LABEL_IPPOOL_RECLAIM,
  SPIDER_FINALIZER,
  SPIDERPOOL_GROUP_VERSION,
} from '../api/index.ts';
import { cidrToLabelValue, type IPVersion } from '../ip/index.ts';
import { autoPoolLabels, autoPoolPodAffinity } from '../ipam/index.ts';
import type { IPPoolWebhookContext } from '../webhook/index.ts';
import {
  DEFAULT_CLUSTER_SETTINGS,
  defaultIPPool,
  subnetControllerRef,
  validateIPPoolCreate,
  validateIPPoolUpdate,
} from '../webhook/index.ts';
import type { AutoPoolIntent, AutoPoolSettings } from './autoPoolApp.ts';
import { type AutoPoolControllerError, autoPoolRejected, invalidSubnetSpec } from './autoPoolErrors.ts';

export interface AutoPoolTarget {
  intent: AutoPoolIntent;
  /** The subnet as stored after the reservation (its status lists the pool). */
  subnet: SpiderSubnet;
  version: IPVersion;
  ifName: string;
  name: string;
  /** The reserved ranges. */
  ips: string[];
}

/** A new auto-created pool, before webhook defaulting. */
export const newAutoPool = (t: AutoPoolTarget): Result<SpiderIPPool, AutoPoolControllerError> => {
  const cidrLabel = cidrToLabelValue(t.version, t.subnet.spec.subnet);
  if (cidrLabel.isErr()) return err(invalidSubnetSpec(t.subnet.metadata.name, cidrLabel.error.message));
  const pool: SpiderIPPool = {
    apiVersion: SPIDERPOOL_GROUP_VERSION,
    kind: 'SpiderIPPool',
    metadata: {
      name: t.name,
      labels: autoPoolLabels({
        app: t.intent.app,
        subnet: t.subnet.metadata.name,
        version: t.version,
        ifName: t.ifName,
        reclaim: t.intent.reclaim,
        cidrLabel: cidrLabel.value,
      }),
      annotations: { [ANNO_SUBNET_POOL_IP_NUMBER]: t.intent.ipNumberText },
      ownerReferences: [subnetControllerRef(t.subnet)],
      finalizers: [SPIDER_FINALIZER],
    },
    spec: {
      ipVersion: t.version,
      subnet: t.subnet.spec.subnet,
      ips: t.ips,
      podAffinity: autoPoolPodAffinity(t.intent.app),
    },
  };
  if (t.subnet.spec.gateway !== undefined) pool.spec.gateway = t.subnet.spec.gateway;
  if (t.subnet.spec.routes !== undefined) pool.spec.routes = t.subnet.spec.routes.map((r) => ({ ...r }));
  return ok(pool);
};

/** The existing pool with the target's ips, app UID, reclaim label and ip-number annotation. */
export const refreshedAutoPool = (pool: SpiderIPPool, t: AutoPoolTarget): SpiderIPPool => ({
  ...pool,
  metadata: {
    ...pool.metadata,
    labels: {
      ...pool.metadata.labels,
      [LABEL_IPPOOL_OWNER_APP_UID]: t.intent.app.uid,
      [LABEL_IPPOOL_RECLAIM]: t.intent.reclaim ? 'true' : 'false',
    },
    annotations: { ...pool.metadata.annotations, [ANNO_SUBNET_POOL_IP_NUMBER]: t.intent.ipNumberText },
  },
  spec: { ...pool.spec, ips: t.ips },
});

/** The webhook context of an auto-pool write: the pools as listed and the subnet as just written. */
export const autoPoolWebhookContext = (
  settings: AutoPoolSettings,
  pools: readonly SpiderIPPool[],
  subnet: SpiderSubnet,
): IPPoolWebhookContext => ({
  settings: {
    ...DEFAULT_CLUSTER_SETTINGS,
    enableIPv4: settings.enableIPv4,
    enableIPv6: settings.enableIPv6,
    enableSpiderSubnet: settings.enableSpiderSubnet,
  },
  pools,
  subnets: [subnet],
});

/** Mutating then validating webhook; `old` present for an update. */
export const admitAutoPool = (
  pool: SpiderIPPool,
  old: SpiderIPPool | undefined,
  ctx: IPPoolWebhookContext,
): Result<SpiderIPPool, AutoPoolControllerError> => {
  const defaulted = defaultIPPool(pool, ctx);
  const others = ctx.pools.filter((p) => p.metadata.name !== pool.metadata.name);
  const errors =
    old === undefined
      ? validateIPPoolCreate(defaulted, { ...ctx, pools: others })
      : validateIPPoolUpdate(old, defaulted, ctx);
  return errors.length === 0 ? ok(defaulted) : err(autoPoolRejected(pool.metadata.name, errors));
};

const sameStrings = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

const sameRecord = (
  a: Readonly<Record<string, string>> | undefined,
  b: Readonly<Record<string, string>> | undefined,
): boolean => {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => a?.[k] === b?.[k]);
};

/** Whether the write would change what the controller manages (ips, labels, annotations). */
export const autoPoolChanged = (before: SpiderIPPool, after: SpiderIPPool): boolean =>
  !sameStrings(before.spec.ips, after.spec.ips) ||
  !sameRecord(before.metadata.labels, after.metadata.labels) ||
  !sameRecord(before.metadata.annotations, after.metadata.annotations);
