// GC settings: the spiderpool-controller env SPIDERPOOL_GC_* and the configmap flags the scan-all pass
// reads (reference §3.8), with Spiderpool's code defaults (not the stale doc table).

export interface GcSettings {
  /** SPIDERPOOL_GC_IP_ENABLED (true): master switch; false keeps every record. */
  readonly enabled: boolean;
  /** SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_READY_NODE_ENABLED (true). */
  readonly statelessTerminatingPodOnReadyNode: boolean;
  /** SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_NOT_READY_NODE_ENABLED (true). */
  readonly statelessTerminatingPodOnNotReadyNode: boolean;
  /** SPIDERPOOL_GC_ENABLE_STATELESS_RUNNING_POD_ON_EMPTY_POD_STATUS_IPS (false). */
  readonly statelessRunningPodOnEmptyPodStatusIPs: boolean;
  /** SPIDERPOOL_GC_ADDITIONAL_GRACE_DELAY in seconds (0), added to the Pod's deletion grace period. */
  readonly additionalGraceDelaySeconds: number;
  /** configmap `enableCleanOutdatedEndpoint` (false): delete SpiderEndpoints no pool record refers to. */
  readonly enableCleanOutdatedEndpoint: boolean;
  /** configmap `enableStatefulSet` (true): StatefulSet Pods are static-IP Pods. */
  readonly enableStatefulSet: boolean;
  /** configmap `enableKubevirtStaticIP` (true): KubeVirt VMI Pods are static-IP Pods. */
  readonly enableKubevirtStaticIP: boolean;
  /** SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION in seconds (600): period of a scan-all loop, for hosts. */
  readonly intervalSeconds: number;
}

export const DEFAULT_GC_SETTINGS: GcSettings = {
  enabled: true,
  statelessTerminatingPodOnReadyNode: true,
  statelessTerminatingPodOnNotReadyNode: true,
  statelessRunningPodOnEmptyPodStatusIPs: false,
  additionalGraceDelaySeconds: 0,
  enableCleanOutdatedEndpoint: false,
  enableStatefulSet: true,
  enableKubevirtStaticIP: true,
  intervalSeconds: 600,
};
