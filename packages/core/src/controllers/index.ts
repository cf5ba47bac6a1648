// controllers/: the SpiderIPPool and SpiderSubnet status controllers (counts, controlled pools, finalizers).
export type { ControllerError, PoolSubnetMismatch } from './errors.ts';
export { controllerStore, invalidPoolSpec, poolNotInSubnet, unreadableStatus } from './errors.ts';
export type { PoolReconcileOutcome, PoolStatusCounts } from './poolStatus.ts';
export { computePoolStatus, reconcilePool } from './poolStatus.ts';
export type { AbortSignalLike, ControllersHandle, RunControllersOptions } from './runControllers.ts';
export { runControllers } from './runControllers.ts';
export type { SubnetReconcileOutcome } from './subnetReconcile.ts';
export { reconcileSubnet } from './subnetReconcile.ts';
export type { ComputedSubnetStatus, SubnetStatusOptions } from './subnetStatus.ts';
export { checkPoolInSubnet, computeSubnetStatus } from './subnetStatus.ts';
