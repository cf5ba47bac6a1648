// SpiderMultusConfig (spidermultus_types.go). JSON names as in Spiderpool; note `ibsriov` (not ib-sriov) and
// `customCNI`. `chainCNIJsonData` is not omitempty in Go, but the apiserver drops null, so it is optional here.

import type { CoordinatorSpec } from './coordinator.ts';
import type { ObjectMeta } from './meta.ts';

export interface BondConfig {
  name: string;
  /** 0..6. */
  mode: number;
  options?: string;
}

export interface SpiderpoolPools {
  /** Only meaningful for sriov. */
  matchMasterSubnet?: boolean;
  ipv4?: string[];
  ipv6?: string[];
}

interface VlanBackedConfig {
  master: string[];
  mtu?: number;
  vlanID?: number;
  bond?: BondConfig;
  rdmaResourceName?: string;
  ippools?: SpiderpoolPools;
}

export type SpiderMacvlanCniConfig = VlanBackedConfig;
export type SpiderIPvlanCniConfig = VlanBackedConfig;

export interface SpiderVlanCniConfig extends VlanBackedConfig {
  /** manual | auto (default manual). */
  vlanMode?: string;
}

export interface SpiderSRIOVCniConfig {
  resourceName?: string;
  vlanID?: number;
  mtu?: number;
  minTxRateMbps?: number;
  maxTxRateMbps?: number;
  rdmaIsolation?: boolean;
  ippools?: SpiderpoolPools;
}

export interface SpiderIBSriovCniConfig {
  resourceName?: string;
  pkey?: string;
  /** auto | enable | disable (default enable). */
  linkState?: string;
  rdmaIsolation?: boolean;
  enableIbKubernetes?: boolean;
  ippools?: SpiderpoolPools;
}

export interface SpiderIpoibCniConfig {
  master?: string;
  ippools?: SpiderpoolPools;
}

export interface OvsTrunk {
  minID?: number;
  maxID?: number;
  id?: number;
}

export interface SpiderOvsCniConfig {
  bridge: string;
  vlan?: number;
  trunk?: OvsTrunk[];
  deviceID?: string;
  ippools?: SpiderpoolPools;
}

export interface MultusCNIConfigSpec {
  /** macvlan | ipvlan | vlan | sriov | ovs | ib-sriov | ipoib | custom (default custom). */
  cniType?: string;
  macvlan?: SpiderMacvlanCniConfig;
  ipvlan?: SpiderIPvlanCniConfig;
  vlan?: SpiderVlanCniConfig;
  sriov?: SpiderSRIOVCniConfig;
  ovs?: SpiderOvsCniConfig;
  ibsriov?: SpiderIBSriovCniConfig;
  ipoib?: SpiderIpoibCniConfig;
  /** CRD default true (forced false for custom). */
  enableCoordinator?: boolean;
  disableIPAM?: boolean;
  coordinator?: CoordinatorSpec;
  chainCNIJsonData?: string[];
  customCNI?: string;
}

export interface SpiderMultusConfig {
  apiVersion: string;
  kind: 'SpiderMultusConfig';
  metadata: ObjectMeta;
  spec: MultusCNIConfigSpec;
}
