// Builders for the pool, subnet and reserved-IP webhook tests (not exported from the barrel).

import type { ObjectMeta } from '../api/meta.ts';
import type {
  IPPoolSpec,
  ReservedIPSpec,
  SpiderIPPool,
  SpiderReservedIP,
  SpiderSubnet,
  SubnetSpec,
} from '../api/pools.ts';
import type { ClusterSettings } from './clusterSettings.ts';
import { DEFAULT_CLUSTER_SETTINGS } from './clusterSettings.ts';
import type { FieldError } from './fieldError.ts';
import { defaultIPPool } from './ippoolDefault.ts';
import type { PoolWebhookContext } from './ippoolSpecRules.ts';

export const API = 'spiderpool.spidernet.io/v2beta1';

export const pool = (name: string, spec: IPPoolSpec, meta: Partial<ObjectMeta> = {}): SpiderIPPool => ({
  apiVersion: API,
  kind: 'SpiderIPPool',
  metadata: { name, ...meta },
  spec,
});

export const subnet = (name: string, spec: SubnetSpec, meta: Partial<ObjectMeta> = {}): SpiderSubnet => ({
  apiVersion: API,
  kind: 'SpiderSubnet',
  metadata: { name, uid: `uid-${name}`, ...meta },
  spec,
});

export const reservedIP = (
  name: string,
  spec: ReservedIPSpec,
  meta: Partial<ObjectMeta> = {},
): SpiderReservedIP => ({
  apiVersion: API,
  kind: 'SpiderReservedIP',
  metadata: { name, ...meta },
  spec,
});

export const context = (
  over: { settings?: Partial<ClusterSettings>; pools?: SpiderIPPool[]; subnets?: SpiderSubnet[] } = {},
): PoolWebhookContext => ({
  settings: { ...DEFAULT_CLUSTER_SETTINGS, ...(over.settings ?? {}) },
  pools: over.pools ?? [],
  subnets: over.subnets ?? [],
});

/** A stored pool: defaulted without any subnet in sight. */
export const stored = (p: SpiderIPPool): SpiderIPPool =>
  defaultIPPool(p, { settings: { enableSpiderSubnet: false }, subnets: [] });

/** `type field: detail` of each error, short enough for `toEqual`. */
export const brief = (errs: readonly FieldError[]): string[] =>
  errs.map((e) => `${e.type} ${e.field}: ${e.detail}`);
