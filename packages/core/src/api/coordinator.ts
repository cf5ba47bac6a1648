// SpiderCoordinator (spidercoordinator_types.go). CoordinatorSpec is shared with SpiderMultusConfig.spec.coordinator.

import type { ObjectMeta } from './meta.ts';
import type { Route } from './pools.ts';

export interface CoordinatorSpec {
  /** auto | underlay | overlay | disabled (CRD default auto). */
  mode?: string;
  /** auto | cluster | calico | cilium | none; required on SpiderCoordinator. */
  podCIDRType?: string;
  hijackCIDR?: string[];
  policyRoutes?: Route[];
  /** `xx:xx`, first byte even. */
  podMACPrefix?: string;
  tunePodRoutes?: boolean;
  /** Note the JSON name: `podDefaultRouteNIC` here, `podDefaultRouteNic` in the CNI conf. */
  podDefaultRouteNIC?: string;
  hostRuleTable?: number;
  podRPFilter?: number;
  txQueueLen?: number;
  vethLinkAddress?: string;
  vethMTU?: number;
}

export interface CoordinatorStatus {
  /** "Synced" | "NotReady". */
  phase: string;
  reason?: string;
  overlayPodCIDR: string[];
  serviceCIDR: string[];
}

export interface SpiderCoordinator {
  apiVersion: string;
  kind: 'SpiderCoordinator';
  metadata: ObjectMeta;
  spec: CoordinatorSpec;
  status?: CoordinatorStatus;
}
