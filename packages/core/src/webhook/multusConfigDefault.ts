// SpiderMultusConfig mutating webhook (pkg/multuscniconfig/multusconfig_mutate.go), pure and idempotent.

import {
  ANNO_NETWORK_RESOURCE_INJECT,
  ANNO_RDMA_RESOURCE_INJECT,
  VLAN_MODE_MANUAL,
} from '../api/constants.ts';
import type { CoordinatorSpec } from '../api/coordinator.ts';
import type {
  BondConfig,
  MultusCNIConfigSpec,
  SpiderMultusConfig,
  SpiderpoolPools,
} from '../api/multusConfig.ts';

export interface MultusConfigDefaultOptions {
  /**
   * Also apply the CRD structural defaults the apiserver adds around the webhook (`enableCoordinator: true`,
   * `disableIPAM: false`, coordinator `tunePodRoutes: true`, `hostRuleTable: 500`, `txQueueLen: 0`, ...).
   * Off by default: the result is then exactly the webhook's output, which is what Spiderpool's literal NAD
   * strings were produced from. Turn it on to reproduce what a real cluster stores (the coordinator plugin
   * then carries `"txQueueLen":0`).
   */
  readonly apiserverDefaults?: boolean;
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

const emptyPools = (): SpiderpoolPools => ({ ipv4: [], ipv6: [] });

function defaultBond(bond: BondConfig | undefined): BondConfig | undefined {
  if (bond === undefined) return undefined;
  return bond.options === undefined ? { ...bond, options: '' } : bond;
}

function defaultVlanBacked<
  T extends {
    vlanID?: number;
    mtu?: number;
    rdmaResourceName?: string;
    bond?: BondConfig;
    ippools?: SpiderpoolPools;
  },
>(c: T): void {
  c.vlanID ??= 0;
  const bond = defaultBond(c.bond);
  if (bond !== undefined) c.bond = bond;
  c.mtu ??= 0;
  c.rdmaResourceName ??= '';
  c.ippools ??= emptyPools();
}

/** Coordinator defaults of the SMC webhook (quirk 12: tunePodRoutes false when a block without it is given). */
export function defaultSmcCoordinator(c: CoordinatorSpec | undefined): CoordinatorSpec {
  if (c === undefined) {
    return {
      mode: 'auto',
      hijackCIDR: [],
      policyRoutes: [],
      vethLinkAddress: '',
      podMACPrefix: '',
      podDefaultRouteNIC: '',
      podRPFilter: 0,
      tunePodRoutes: true,
    };
  }
  c.mode ??= 'auto';
  c.hijackCIDR ??= [];
  c.policyRoutes ??= [];
  c.podMACPrefix ??= '';
  c.podDefaultRouteNIC ??= '';
  c.tunePodRoutes ??= false;
  c.txQueueLen ??= 0;
  c.podRPFilter ??= 0;
  return c;
}

function defaultPerType(spec: MultusCNIConfigSpec): void {
  switch (spec.cniType) {
    case 'macvlan':
      if (spec.macvlan) defaultVlanBacked(spec.macvlan);
      break;
    case 'ipvlan':
      if (spec.ipvlan) defaultVlanBacked(spec.ipvlan);
      break;
    case 'vlan': {
      const c = spec.vlan;
      if (!c) break;
      c.vlanMode ??= VLAN_MODE_MANUAL;
      if (c.vlanMode === VLAN_MODE_MANUAL) c.vlanID ??= 0;
      c.rdmaResourceName ??= '';
      c.mtu ??= 0;
      const bond = defaultBond(c.bond);
      if (bond !== undefined) c.bond = bond;
      c.ippools ??= emptyPools();
      break;
    }
    case 'sriov': {
      const c = spec.sriov;
      if (!c) break;
      c.vlanID ??= 0;
      c.mtu ??= 0;
      c.minTxRateMbps ??= 0;
      c.maxTxRateMbps ??= 0;
      c.rdmaIsolation ??= false;
      c.resourceName ??= '';
      c.ippools ??= { ...emptyPools(), matchMasterSubnet: false };
      c.ippools.matchMasterSubnet ??= false;
      break;
    }
    case 'ib-sriov': {
      const c = spec.ibsriov;
      if (!c) break;
      c.pkey ??= '';
      c.enableIbKubernetes ??= false;
      c.rdmaIsolation ??= true;
      c.resourceName ??= '';
      c.linkState ??= 'enable';
      c.ippools ??= emptyPools();
      break;
    }
    case 'ipoib':
      if (spec.ipoib) spec.ipoib.ippools ??= emptyPools();
      break;
    case 'ovs':
      if (spec.ovs) {
        spec.ovs.vlan ??= 0;
        spec.ovs.ippools ??= emptyPools();
      }
      break;
    case 'custom':
      spec.customCNI ??= '';
      break;
  }
}

function applyApiserverDefaults(spec: MultusCNIConfigSpec): void {
  spec.enableCoordinator ??= true;
  spec.disableIPAM ??= false;
  const c = spec.coordinator;
  if (c !== undefined) {
    c.mode ??= 'auto';
    c.tunePodRoutes ??= true;
    c.hostRuleTable ??= 500;
    c.podRPFilter ??= 0;
    c.txQueueLen ??= 0;
  }
}

/** Returns a new, defaulted SpiderMultusConfig; the input is not modified. `f(f(x))` equals `f(x)`. */
export function defaultMultusConfig(
  obj: SpiderMultusConfig,
  opts: MultusConfigDefaultOptions = {},
): SpiderMultusConfig {
  const out = clone(obj);
  const spec = out.spec;
  spec.cniType ??= 'custom';
  defaultPerType(spec);
  if (spec.cniType === 'custom') {
    delete spec.coordinator;
    spec.enableCoordinator = false;
  } else {
    spec.coordinator = defaultSmcCoordinator(spec.coordinator);
  }
  spec.chainCNIJsonData ??= [];
  for (const k of [ANNO_RDMA_RESOURCE_INJECT, ANNO_NETWORK_RESOURCE_INJECT]) {
    const v = out.metadata.annotations?.[k];
    if (v === undefined) continue;
    out.metadata.labels = { ...(out.metadata.labels ?? {}), [k]: v };
  }
  if (opts.apiserverDefaults === true) applyApiserverDefaults(spec);
  return out;
}
