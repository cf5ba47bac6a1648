export type { IpamError, IpamErrorTag } from './errors.ts';
export {
  allPoolsExhausted,
  allPoolsFilteredOut,
  badAnnotation,
  badCniConfig,
  corruptPoolStatus,
  duplicatePool,
  endpointMismatch,
  missingDefaultNetwork,
  noPoolSelectionRule,
  podNotAlive,
  podNotFound,
  poolExhausted,
  poolRecordCapExceeded,
  retriesExhausted,
  storeFailed,
} from './errors.ts';
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
