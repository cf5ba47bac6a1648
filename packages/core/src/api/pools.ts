// SpiderIPPool, SpiderSubnet and SpiderReservedIP (spiderippool_types.go, spidersubnet_types.go,
// spiderreservedip_types.go). Go pointer fields are optional properties; JSON names are Spiderpool's.

import type { LabelSelector, ObjectMeta } from './meta.ts';

export type IPVersion = 4 | 6;

export interface Route {
  dst: string;
  gw: string;
}

export interface IPPoolSpec {
  /** Enum 4|6; inferred from `subnet` by the mutating webhook; immutable. */
  ipVersion?: number;
  /** Required; canonical CIDR; immutable. */
  subnet: string;
  /** IP ranges `a` or `a-b`; merged and sorted by the webhook. */
  ips?: string[];
  excludeIPs?: string[];
  gateway?: string;
  routes?: Route[];
  podAffinity?: LabelSelector;
  namespaceAffinity?: LabelSelector;
  namespaceName?: string[];
  nodeAffinity?: LabelSelector;
  nodeName?: string[];
  /** `ns/name` or `name`. */
  multusName?: string[];
  /** CRD default false. */
  default?: boolean;
  /** CRD default false. */
  disable?: boolean;
}

export interface IPPoolStatus {
  /** JSON map ip -> {pod, podUid}; omitted when empty. See `encodeAllocatedIPs`. */
  allocatedIPs?: string;
  totalIPCount?: number;
  allocatedIPCount?: number;
}

export interface SpiderIPPool {
  apiVersion: string;
  kind: 'SpiderIPPool';
  metadata: ObjectMeta;
  spec: IPPoolSpec;
  status?: IPPoolStatus;
}

export interface SubnetSpec {
  ipVersion?: number;
  subnet: string;
  ips?: string[];
  excludeIPs?: string[];
  gateway?: string;
  routes?: Route[];
}

export interface SubnetStatus {
  /** JSON map poolName -> {ips, application?}. See `encodeControlledIPPools`. */
  controlledIPPools?: string;
  totalIPCount?: number;
  allocatedIPCount?: number;
}

export interface SpiderSubnet {
  apiVersion: string;
  kind: 'SpiderSubnet';
  metadata: ObjectMeta;
  spec: SubnetSpec;
  status?: SubnetStatus;
}

export interface ReservedIPSpec {
  /** Inferred from `ips[0]` by the webhook. */
  ipVersion?: number;
  ips?: string[];
}

export interface SpiderReservedIP {
  apiVersion: string;
  kind: 'SpiderReservedIP';
  metadata: ObjectMeta;
  spec: ReservedIPSpec;
}
