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
export type { SelectCandidatesInput } from './candidates.ts';
export { collectCandidates, selectCandidates } from './candidates.ts';
export type { RawNic, RawVersionList } from './candidatesSource.ts';
export { gatherCandidates } from './candidatesSource.ts';
export type { IpamError, IpamErrorTag, NoEnabledVersionPools } from './errors.ts';
export {
  allPoolsExhausted,
  allPoolsFilteredOut,
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
export { comparePools, orderPools, poolPriority } from './order.ts';
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
