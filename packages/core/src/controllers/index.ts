// controllers/: the SpiderIPPool and SpiderSubnet status controllers (counts, controlled pools, finalizers).

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
export type { ControllerError, PoolSubnetMismatch } from './errors.ts';
export { controllerStore, invalidPoolSpec, poolNotInSubnet, unreadableStatus } from './errors.ts';
export type { InformerLoopOptions, WatchSpec } from './informerLoop.ts';
export { startInformerLoop } from './informerLoop.ts';
export type { PoolReconcileOutcome, PoolStatusCounts } from './poolStatus.ts';
export { computePoolStatus, reconcilePool } from './poolStatus.ts';
export type { AbortSignalLike, ControllersHandle, RunControllersOptions } from './runControllers.ts';
export { runControllers } from './runControllers.ts';
export type { SubnetReconcileOutcome } from './subnetReconcile.ts';
export { reconcileSubnet } from './subnetReconcile.ts';
export type { ComputedSubnetStatus, SubnetStatusOptions } from './subnetStatus.ts';
export { checkPoolInSubnet, computeSubnetStatus } from './subnetStatus.ts';
