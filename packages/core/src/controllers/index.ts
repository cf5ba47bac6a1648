// controllers/: the SpiderIPPool and SpiderSubnet status controllers (counts, controlled pools, finalizers),
// auto-pools, the NetworkAttachmentDefinition controller and the SpiderCoordinator status controller.

export type { AutoPoolIntent, AutoPoolSettings, SkipReason, WorkloadObject } from './autoPoolApp.ts';
export {
  AUTO_POOL_APP_KINDS,
  appReplicas,
  DEFAULT_AUTO_POOL_SETTINGS,
  jobPodCount,
  parseGoBool,
  readAutoPoolIntent,
} from './autoPoolApp.ts';
export type { AutoPoolControllerOptions } from './autoPoolController.ts';
export { runAutoPoolController } from './autoPoolController.ts';
export type { ApplicationRef, AutoPoolAction, AutoPoolChange } from './autoPoolDelete.ts';
export { deleteAutoPool, deleteAutoPools } from './autoPoolDelete.ts';
export type { AutoPoolControllerError, AutoPoolControllerErrorTag } from './autoPoolErrors.ts';
export type { AutoPoolTarget } from './autoPoolObject.ts';
export { admitAutoPool, newAutoPool, refreshedAutoPool } from './autoPoolObject.ts';
export type { AutoPoolPlan, AutoPoolPlanInput, AutoPoolScale } from './autoPoolPlan.ts';
export { lowestOf, planAutoPool } from './autoPoolPlan.ts';
export type { ApplicationReconcileOutcome, AutoPoolReconcileOptions } from './autoPoolReconcile.ts';
export { reconcileApplicationPools } from './autoPoolReconcile.ts';
export type { Reservation, ReserveInput } from './autoPoolSubnet.ts';
export { planReservation, releaseFromSubnet, reserveInSubnet } from './autoPoolSubnet.ts';
export type { ThirdPartyPoolsOutcome, ThirdPartySkipReason } from './autoPoolThirdParty.ts';
export {
  isThirdPartyController,
  readThirdPartyIntent,
  reconcileThirdPartyPools,
  withThirdPartyAutoPools,
} from './autoPoolThirdParty.ts';
export type {
  CoordinatorControllerOptions,
  CoordinatorReconcileOptions,
  CoordinatorReconcileOutcome,
} from './coordinatorController.ts';
export { reconcileCoordinator, runCoordinatorController } from './coordinatorController.ts';
export type { CiliumPodCIDR, ClusterCIDRs } from './coordinatorSources.ts';
export {
  cidrsFromCalicoPools,
  cidrsFromCiliumPools,
  cidrsFromControllerManager,
  cidrsFromKubeadmConfig,
  cidrsFromServiceCIDRs,
  ciliumPodCIDR,
  configMapData,
  podCIDRTypeOfCni,
} from './coordinatorSources.ts';
export type { CoordinatorDiscoveryOptions } from './coordinatorStatus.ts';
export { computeCoordinatorStatus, PHASE_NOT_READY, PHASE_SYNCED } from './coordinatorStatus.ts';
export type { ControllerError, PoolSubnetMismatch } from './errors.ts';
export { controllerStore, invalidPoolSpec, poolNotInSubnet, unreadableStatus } from './errors.ts';
export type { InformerLoopOptions, WatchSpec } from './informerLoop.ts';
export { startInformerLoop } from './informerLoop.ts';
export type { KeyedQueue } from './keyedQueue.ts';
export { createKeyedQueue } from './keyedQueue.ts';
export type { NadControllerOptions } from './nadController.ts';
export { runNadController } from './nadController.ts';
export type { NadControllerError } from './nadErrors.ts';
export { invalidMultusConfig, nadNotOwned, nadStore } from './nadErrors.ts';
export type { NadReconcileOptions, NadReconcileOutcome } from './nadReconcile.ts';
export { reconcileMultusConfig } from './nadReconcile.ts';
export type { PoolReconcileOutcome, PoolStatusCounts } from './poolStatus.ts';
export { computePoolStatus, reconcilePool } from './poolStatus.ts';
export type { AbortSignalLike, ControllersHandle, RunControllersOptions } from './runControllers.ts';
export { runControllers } from './runControllers.ts';
export type { SubnetReconcileOutcome } from './subnetReconcile.ts';
export { reconcileSubnet } from './subnetReconcile.ts';
export type { ComputedSubnetStatus, SubnetStatusOptions } from './subnetStatus.ts';
export { checkPoolInSubnet, computeSubnetStatus } from './subnetStatus.ts';
