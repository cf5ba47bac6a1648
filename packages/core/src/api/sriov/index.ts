// sriovnetwork.openshift.io/v1: SriovNetworkNodePolicy / SriovNetworkNodeState types, the pfNames syntax
// and the operator's policy merge (policies -> per-PF node spec).
export type { PfNameRange, PfNameSyntaxError } from './pfName.ts';
export { formatVfRange, parsePfName, parseVfRange, pfNameOf, vfRangesOverlap } from './pfName.ts';
export type { RefusedPolicy, RenderedNodeSpec } from './render.ts';
export {
  nicSelectorIsEmpty,
  nicSelects,
  policySelectsNode,
  renderNodeSpec,
  sortPoliciesForApply,
  vfGroupFor,
} from './render.ts';
export type {
  SriovBlockedEviction,
  SriovDeviceType,
  SriovInterfaceExt,
  SriovNetworkNicSelector,
  SriovNetworkNodePolicy,
  SriovNetworkNodePolicySpec,
  SriovNetworkNodeState,
  SriovNetworkNodeStateSpec,
  SriovNetworkNodeStateStatus,
  SriovSpecInterface,
  SriovSyncStatus,
  SriovVfGroup,
  SriovVirtualFunction,
} from './types.ts';
export {
  KIND_SRIOV_NODE_POLICY,
  KIND_SRIOV_NODE_STATE,
  SRIOV_API_GROUP,
  SRIOV_API_VERSION,
  SRIOV_DEVICE_TYPES,
  SRIOV_ESWITCH_MODES,
  SRIOV_GROUP_VERSION,
  SRIOV_LINK_TYPES,
  SRIOV_OPERATOR_NAMESPACE,
  SRIOV_SYNC_STATUSES,
} from './types.ts';
