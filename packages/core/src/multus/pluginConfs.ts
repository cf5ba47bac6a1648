// CNI plugin confs as Spiderpool writes them (pkg/multuscniconfig/utils.go structs). Each builder returns a
// GoStruct with Go's field order; `undefined` fields are omitted (omitempty on nil pointer, "" or empty
// slice), pointer-to-zero values are kept.

import type { CoordinatorSpec } from '../api/coordinator.ts';
import type { GoJsonValue, GoStruct } from '../api/goJson.ts';
import { goStruct, omitEmptySlice, omitEmptyString, omitZero } from '../api/goJson.ts';
import type {
  BondConfig,
  OvsTrunk,
  SpiderIBSriovCniConfig,
  SpiderIpoibCniConfig,
  SpiderMacvlanCniConfig,
  SpiderOvsCniConfig,
  SpiderpoolPools,
  SpiderSRIOVCniConfig,
  SpiderVlanCniConfig,
} from '../api/multusConfig.ts';

/** spiderpool IPAM section; `withMatchMasterSubnet` only for sriov (the others have it commented out). */
export function ipamConf(pools: SpiderpoolPools | undefined, withMatchMasterSubnet: boolean): GoStruct {
  return goStruct([
    ['type', 'spiderpool'],
    ['default_ipv4_ippool', omitEmptySlice(pools?.ipv4)],
    ['default_ipv6_ippool', omitEmptySlice(pools?.ipv6)],
    ['match_master_subnet', withMatchMasterSubnet && pools?.matchMasterSubnet === true ? true : undefined],
  ]);
}

const ipam = (disableIPAM: boolean, pools: SpiderpoolPools | undefined, mms = false): GoStruct | undefined =>
  disableIPAM ? undefined : ipamConf(pools, mms);

/** Single master as is, several masters -> the bond name; `.vlanID` appended when asked and non-zero. */
export function masterName(master: readonly string[], bond: BondConfig | undefined, vlanID?: number): string {
  const base = master.length === 1 ? (master[0] ?? '') : (bond?.name ?? '');
  return vlanID !== undefined && vlanID !== 0 ? `${base}.${vlanID}` : base;
}

export const macvlanConf = (c: SpiderMacvlanCniConfig, disableIPAM: boolean): GoStruct =>
  goStruct([
    ['type', 'macvlan'],
    ['master', masterName(c.master, c.bond, c.vlanID)],
    ['mode', 'bridge'],
    ['mtu', c.mtu],
    ['ipam', ipam(disableIPAM, c.ippools)],
  ]);

export const ipvlanConf = (c: SpiderMacvlanCniConfig, disableIPAM: boolean): GoStruct =>
  goStruct([
    ['type', 'ipvlan'],
    ['master', masterName(c.master, c.bond, c.vlanID)],
    ['mtu', c.mtu],
    ['ipam', ipam(disableIPAM, c.ippools)],
  ]);

export const vlanConf = (c: SpiderVlanCniConfig, disableIPAM: boolean): GoStruct =>
  goStruct([
    ['type', 'vlan'],
    ['master', masterName(c.master, c.bond)],
    ['vlanMode', c.vlanMode],
    ['vlanId', c.vlanMode === 'manual' ? c.vlanID : undefined],
    ['mtu', c.mtu],
    ['ipam', ipam(disableIPAM, c.ippools)],
  ]);

export const sriovConf = (c: SpiderSRIOVCniConfig, disableIPAM: boolean): GoStruct =>
  goStruct([
    ['vlan', c.vlanID],
    ['min_tx_rate', c.minTxRateMbps],
    ['max_tx_rate', c.maxTxRateMbps],
    ['type', 'sriov'],
    ['ipam', ipam(disableIPAM, c.ippools, true)],
  ]);

export const ibSriovConf = (c: SpiderIBSriovCniConfig, disableIPAM: boolean): GoStruct =>
  goStruct([
    ['type', 'ib-sriov'],
    ['pkey', c.pkey],
    ['link_state', c.linkState],
    ['rdmaIsolation', c.rdmaIsolation],
    ['ibKubernetesEnabled', c.enableIbKubernetes],
    ['ipam', ipam(disableIPAM, c.ippools)],
  ]);

export const ipoibConf = (c: SpiderIpoibCniConfig, disableIPAM: boolean): GoStruct =>
  goStruct([
    ['type', 'ipoib'],
    ['master', omitEmptyString(c.master)],
    ['ipam', ipam(disableIPAM, c.ippools)],
  ]);

const trunkConf = (t: OvsTrunk): GoStruct =>
  goStruct([
    ['minID', t.minID],
    ['maxID', t.maxID],
    ['id', t.id],
  ]);

export const ovsConf = (c: SpiderOvsCniConfig, disableIPAM: boolean): GoStruct =>
  goStruct([
    ['vlan', c.vlan],
    ['type', 'ovs'],
    ['bridge', c.bridge],
    ['deviceID', omitEmptyString(c.deviceID)],
    ['ipam', ipam(disableIPAM, c.ippools)],
    ['trunk', omitEmptySlice((c.trunk ?? []).map(trunkConf))],
  ]);

const bondConf = (b: BondConfig): GoStruct =>
  goStruct([
    ['name', b.name],
    ['mode', b.mode],
    ['options', b.options],
  ]);

/** The ifacer plugin that creates the VLAN sub-interface and/or bond before the main plugin. */
export const ifacerConf = (
  master: readonly string[],
  vlanID: number,
  bond: BondConfig | undefined,
): GoStruct =>
  goStruct([
    ['vlanID', omitZero(vlanID)],
    ['type', 'ifacer'],
    ['interfaces', omitEmptySlice(master)],
    ['bond', bond === undefined ? undefined : bondConf(bond)],
  ]);

export const rdmaConf = (): GoStruct => goStruct([['type', 'rdma']]);

export const tuningConf = (mtu: number): GoStruct =>
  goStruct([
    ['type', 'tuning'],
    ['mtu', omitZero(mtu)],
  ]);

/**
 * The coordinator plugin. Only some CoordinatorSpec fields reach the NAD (quirk 16); `podRPFilter` only when
 * `podCIDRType` is set (quirk 11); `hostRuleTable` never.
 */
export function coordinatorConf(spec: CoordinatorSpec | undefined): GoStruct {
  const s = spec ?? {};
  const routes: GoJsonValue[] = (s.policyRoutes ?? []).map((r) =>
    goStruct([
      ['dst', r.dst],
      ['gw', r.gw],
    ]),
  );
  return goStruct([
    ['txQueueLen', s.txQueueLen],
    ['vethLinkAddress', omitEmptyString(s.vethLinkAddress)],
    ['vethMTU', s.vethMTU],
    ['tunePodRoutes', s.tunePodRoutes],
    ['podMACPrefix', omitEmptyString(s.podMACPrefix)],
    ['mode', omitEmptyString(s.mode)],
    ['type', 'coordinator'],
    ['podDefaultRouteNic', omitEmptyString(s.podDefaultRouteNIC)],
    ['podRPFilter', s.podCIDRType !== undefined ? s.podRPFilter : undefined],
    ['hijackCIDR', omitEmptySlice(s.hijackCIDR)],
    ['policyRoutes', omitEmptySlice(routes)],
  ]);
}
