// sriovnetwork.openshift.io/v1 SriovNetworkNodePolicy and SriovNetworkNodeState, field names and JSON casing
// as sriov-network-operator's api/v1 (note `totalvfs`, `Vfs`, `Vlan`), so objects a real operator wrote are
// read unchanged. Only the fields users rely on are typed; the rest stays as sent (index signature-free,
// unknown fields are kept by the Store because objects are stored as given).
import type { ObjectMeta } from '../meta.ts';

export const SRIOV_API_GROUP = 'sriovnetwork.openshift.io';
export const SRIOV_API_VERSION = 'v1';
export const SRIOV_GROUP_VERSION = `${SRIOV_API_GROUP}/${SRIOV_API_VERSION}`;
export const KIND_SRIOV_NODE_POLICY = 'SriovNetworkNodePolicy';
export const KIND_SRIOV_NODE_STATE = 'SriovNetworkNodeState';
/** The operator's namespace: node states live here and only policies here are respected. */
export const SRIOV_OPERATOR_NAMESPACE = 'sriov-network-operator';

export const SRIOV_DEVICE_TYPES = ['netdevice', 'vfio-pci'] as const;
export type SriovDeviceType = (typeof SRIOV_DEVICE_TYPES)[number];
export const SRIOV_LINK_TYPES = ['eth', 'ETH', 'ib', 'IB'] as const;
export const SRIOV_ESWITCH_MODES = ['legacy', 'switchdev'] as const;
export const SRIOV_SYNC_STATUSES = ['InProgress', 'Succeeded', 'Failed'] as const;
export type SriovSyncStatus = (typeof SRIOV_SYNC_STATUSES)[number];

export interface SriovNetworkNicSelector {
  /** Vendor hex id without `0x` (`15b3`, `8086`). */
  vendor?: string;
  /** PF device hex id (`1017`). */
  deviceID?: string;
  /** PF PCI addresses. */
  rootDevices?: string[];
  /** PF names, optionally with one VF range: `enp4s0f0np0#0-3`. */
  pfNames?: string[];
  netFilter?: string;
}

export interface SriovNetworkNodePolicySpec {
  resourceName: string;
  nodeSelector?: Record<string, string>;
  /** 0 (highest) … 99 (lowest); the mutating webhook defaults it to 99. */
  priority?: number;
  mtu?: number;
  numVfs: number;
  nicSelector: SriovNetworkNicSelector;
  deviceType?: SriovDeviceType;
  isRdma?: boolean;
  needVhostNet?: boolean;
  linkType?: string;
  eSwitchMode?: string;
  vdpaType?: string;
  excludeTopology?: boolean;
  externallyManaged?: boolean;
}

export interface SriovNetworkNodePolicy {
  apiVersion: string;
  kind: 'SriovNetworkNodePolicy';
  metadata: ObjectMeta;
  spec: SriovNetworkNodePolicySpec;
}

/** One partition of a PF in the rendered node spec (`vfRange` is `first-last`, inclusive). */
export interface SriovVfGroup {
  resourceName: string;
  deviceType?: string;
  vfRange: string;
  policyName: string;
  mtu?: number;
  isRdma?: boolean;
  vdpaType?: string;
}

/** The desired configuration of one PF (SriovNetworkNodeState.spec.interfaces[]). */
export interface SriovSpecInterface {
  pciAddress: string;
  numVfs?: number;
  mtu?: number;
  name?: string;
  linkType?: string;
  eSwitchMode?: string;
  vfGroups?: SriovVfGroup[];
  externallyManaged?: boolean;
}

export interface SriovVirtualFunction {
  name?: string;
  mac?: string;
  assigned?: string;
  driver?: string;
  pciAddress: string;
  vendor?: string;
  deviceID?: string;
  Vlan?: number;
  mtu?: number;
  vfID: number;
  representorName?: string;
  guid?: string;
}

/** What is on the node for one PF (SriovNetworkNodeState.status.interfaces[]). */
export interface SriovInterfaceExt {
  name?: string;
  mac?: string;
  driver?: string;
  pciAddress: string;
  vendor?: string;
  deviceID?: string;
  mtu?: number;
  numVfs?: number;
  linkSpeed?: string;
  linkType?: string;
  linkAdminState?: string;
  eSwitchMode?: string;
  totalvfs?: number;
  Vfs?: SriovVirtualFunction[];
}

/** A Pod eviction the drain could not do (spiderpool-ts addition, under status; see ADR 0016). */
export interface SriovBlockedEviction {
  pod: string;
  namespace: string;
  reason: string;
}

export interface SriovNetworkNodeStateStatus {
  interfaces?: SriovInterfaceExt[];
  syncStatus?: SriovSyncStatus;
  lastSyncError?: string;
  blockedEvictions?: SriovBlockedEviction[];
}

export interface SriovNetworkNodeStateSpec {
  interfaces?: SriovSpecInterface[];
}

export interface SriovNetworkNodeState {
  apiVersion: string;
  kind: 'SriovNetworkNodeState';
  metadata: ObjectMeta;
  spec?: SriovNetworkNodeStateSpec;
  status?: SriovNetworkNodeStateStatus;
}
