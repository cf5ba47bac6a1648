// The SR-IOV node config daemon: policies -> VFs on this node, SriovNetworkNodeState, drain via eviction.
export type { SriovConfigDaemon } from './daemon.ts';
export { startSriovConfigDaemon } from './daemon.ts';
export type { DaemonError } from './errors.ts';
export type { NodeFindings } from './nodeStatus.ts';
export { readNodeInterfaces } from './nodeStatus.ts';
export type { SriovConfigDaemonOptions } from './options.ts';
export type { PfChange, Plan } from './plan.ts';
export { planChanges } from './plan.ts';
export type { PodUse } from './podUsage.ts';
export { podsUsingResources } from './podUsage.ts';
export type { ReconcileOutcome } from './reconcile.ts';
