// SpiderEndpoint (spiderendpoint_types.go): one per Pod (or KubeVirt VM), status only, no status subresource.

import type { ObjectMeta } from './meta.ts';
import type { Route } from './pools.ts';

export interface IPAllocationDetail {
  /** NIC name; may be "" transiently in multi-NIC-no-name mode. */
  interface: string;
  /** IP plus the pool subnet's prefix length, e.g. `172.31.199.193/20`. */
  ipv4?: string;
  ipv6?: string;
  ipv4Pool?: string;
  ipv6Pool?: string;
  /** 0..4094; always 0 today. */
  vlan?: number;
  ipv4Gateway?: string;
  ipv6Gateway?: string;
  cleanGateway?: boolean;
  routes?: Route[];
  mac?: string;
}

export interface PodIPAllocation {
  uid: string;
  node: string;
  ips: IPAllocationDetail[];
}

export interface WorkloadEndpointStatus {
  current: PodIPAllocation;
  ownerControllerType: string;
  ownerControllerName: string;
}

export interface SpiderEndpoint {
  apiVersion: string;
  kind: 'SpiderEndpoint';
  metadata: ObjectMeta;
  status: WorkloadEndpointStatus;
}
