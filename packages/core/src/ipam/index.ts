// Selection (E1): annotations, NIC networks, filtering, ordering, candidates, top controller.
export type {
  NamespaceDefaultPools,
  PodIPPoolAnnotation,
  PodIPPoolsItem,
} from './annotations.ts';
export {
  isMultipleNicWithNoName,
  normalizePodIPPools,
  parseNamespaceDefaultPools,
  parsePodIPPoolAnnotation,
  parsePodIPPoolsAnnotation,
} from './annotations.ts';
export type { GroupedRoutes, NicSubnet, PodRoute } from './annotationsRoutes.ts';
export { groupPodRoutes, parsePodRoutesAnnotation, podRoutes } from './annotationsRoutes.ts';
export type { PodSubnetAnnotation, SubnetItem } from './annotationsSubnet.ts';
export { parsePodSubnetAnnotation } from './annotationsSubnet.ts';
export type { AutoPoolApp, AutoPoolError, AutoPoolLabelInput, PoolIPNumber } from './autoPool.ts';
export {
  applicationKey,
  applicationKeyFromPoolLabels,
  applicationLabelGV,
  autoPoolLabels,
  autoPoolName,
  autoPoolPodAffinity,
  parseApplicationKey,
  parsePoolIPNumber,
} from './autoPool.ts';
export type { SelectCandidatesInput } from './candidates.ts';
export { collectCandidates, selectCandidates } from './candidates.ts';
export type { RawNic, RawVersionList } from './candidatesSource.ts';
export { gatherCandidates } from './candidatesSource.ts';
export type { SubnetCandidateInput, SubnetVersionPools } from './candidatesSubnet.ts';
export { findAutoPools, subnetCandidates } from './candidatesSubnet.ts';
export { buildEndpoint, mergeDetails } from './endpoint.ts';
// Allocation engine (E2): the engine, its results, explain, the allocator cache and the CAS pool writer.
export type { IpamEngine, IpamEngineOptions, IpamEngineStats } from './engine.ts';
export { createIpamEngine } from './engine.ts';
export type { EngineHooks } from './engineContext.ts';
export type { AutoPoolNotReady, IpamError, IpamErrorTag, NoEnabledVersionPools } from './errors.ts';
export {
  allPoolsExhausted,
  allPoolsFilteredOut,
  autoPoolNotReady,
  badAnnotation,
  badCniConfig,
  corruptPoolStatus,
  duplicatePool,
  endpointMismatch,
  missingDefaultNetwork,
  noEnabledVersionPools,
  noPoolSelectionRule,
  podNotAlive,
  podNotFound,
  poolExhausted,
  poolRecordCapExceeded,
  retriesExhausted,
  storeFailed,
} from './errors.ts';
export type { ExplainNic, ExplainPool, ExplainVersion, Explanation } from './explain.ts';
export type { FilterContext } from './filter.ts';
export {
  dropMessage,
  droppedPool,
  filterPool,
  isAutoCreatedPool,
  matchesAutoPoolAffinity,
  poolIPVersion,
} from './filter.ts';
export type { NetworkSelection } from './networks.ts';
export { isFirstNic, parseNetworkSelections, qualifyMultusName, resolveNicNetwork } from './networks.ts';
export type { RankedPool } from './order.ts';
export { comparePools, orderPools, orderPoolsRotated, poolPriority, stableHash } from './order.ts';
export type { PoolRecords } from './poolAllocator.ts';
export { PoolAllocator } from './poolAllocator.ts';
export type { PoolCacheStats } from './poolCache.ts';
export { PoolAllocatorCache } from './poolCache.ts';
export type { IndexSpace } from './poolIndexSpace.ts';
export { createIndexSpace } from './poolIndexSpace.ts';
export type { OpOutcome, PoolOp } from './poolOps.ts';
export { applyPoolOp } from './poolOps.ts';
export type { PoolWriterDeps, PoolWriterStats } from './poolWriter.ts';
export { DEFAULT_CONTENDED_LINGER_MS, PoolWriter } from './poolWriter.ts';
export { releaseEndpointIPs } from './releaseFlow.ts';
export type { ReservedSets } from './reservedIPs.ts';
export { assembleReservedIPs, EMPTY_RESERVED, reservedFor } from './reservedIPs.ts';
export type { IpamAddResult } from './result.ts';
export { fromEndpointDetail, toAddResult, toEndpointDetail } from './result.ts';
export type { RetryPolicy, Sleep } from './retry.ts';
export { backoffDelay, DEFAULT_RETRY_POLICY, noSleep, SPIDERPOOL_RETRY_POLICY } from './retry.ts';
export type { OwnerLookup, TopController, TopControllerSource } from './topController.ts';
export {
  controllerOf,
  isPodAlive,
  K8S_API_VERSIONS,
  K8S_KINDS,
  ownerLookupFromObjects,
  podNotAliveReason,
  topController,
} from './topController.ts';
export type {
  AllocatedIP,
  CandidateSource,
  DroppedPool,
  DropReason,
  IpamCniConfig,
  IpamRequest,
  IpamSettings,
  NicCandidates,
  VersionCandidates,
} from './types.ts';
export { DEFAULT_IPAM_SETTINGS } from './types.ts';
export type { KubevirtObjectLike, StatefulSetLike } from './workloadValidity.ts';
export {
  isValidStatefulSetPod,
  isValidVMPod,
  isVMIControlledByVM,
  statefulSetPodOrdinal,
} from './workloadValidity.ts';
