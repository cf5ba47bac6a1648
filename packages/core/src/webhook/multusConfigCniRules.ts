// Per-cniType rules of the SpiderMultusConfig validating webhook (validateCNIConfig in Spiderpool).

import type {
  BondConfig,
  MultusCNIConfigSpec,
  SpiderMultusConfig,
  SpiderpoolPools,
} from '../api/multusConfig.ts';
import { cniConfError } from './cniNetConf.ts';
import { validateCoordinatorSpec } from './coordinatorSpec.ts';
import type { FieldError } from './fieldError.ts';
import { forbidden, invalid, required } from './fieldError.ts';

const F = {
  cniType: 'spec.cniType',
  macvlan: 'spec.macvlanConfig',
  ipvlan: 'spec.ipvlanConfig',
  vlan: 'spec.vlan',
  sriov: 'spec.sriovConfig',
  ibsriov: 'spec.ibsriovConfig',
  ipoib: 'spec.ipoibConfig',
  ovs: 'spec.ovsConfig',
  custom: 'spec.customCniTypeConfig',
  chain: 'spec.chainCNIJsonData',
} as const;

type BlockKey = 'macvlan' | 'ipvlan' | 'vlan' | 'sriov' | 'ibsriov' | 'ipoib' | 'ovs' | 'customCNI';
const BLOCK_OF: Record<string, BlockKey> = {
  macvlan: 'macvlan',
  ipvlan: 'ipvlan',
  vlan: 'vlan',
  sriov: 'sriov',
  'ib-sriov': 'ibsriov',
  ipoib: 'ipoib',
  ovs: 'ovs',
  custom: 'customCNI',
};

/** Is a config block other than the cniType's own set? */
const otherBlockSet = (spec: MultusCNIConfigSpec, own: BlockKey): boolean =>
  (Object.values(BLOCK_OF) as BlockKey[]).some((k) => k !== own && spec[k] !== undefined);

const onlyOwn = (cniType: string, path: string): FieldError =>
  forbidden(F.cniType, `the cniType ${cniType} only supports ${path}, please remove other CNI configs`);

function vlanIDError(path: string, vlanID: number | undefined): FieldError | undefined {
  if (vlanID === undefined || (vlanID >= 0 && vlanID <= 4094)) return undefined;
  return invalid(path, vlanID, `invalid vlanId ${vlanID}, please make sure vlanId in range [0,4094]`);
}

function mastersError(master: readonly string[], bond: BondConfig | undefined): string | undefined {
  if (master.length === 0) return "master can't be empty";
  if (master.length >= 2) {
    if (bond === undefined) return 'the bond property is nil with multiple Interfaces';
    if (bond.name === '') return "bond name can't be empty";
  }
  return undefined;
}

function vlanModeError(mode: string | undefined, vlanID: number | undefined): string | undefined {
  if (mode === undefined) return 'vlanMode must not be nil';
  if (mode === 'manual')
    return vlanID === undefined ? 'vlanId must not be nil when vlanMode is manual' : undefined;
  if (mode === 'auto')
    return vlanID !== undefined ? 'vlanId must not be specified when vlanMode is auto' : undefined;
  return `invalid vlanMode ${mode}, supported values are manual and auto`;
}

const noPools = (p: SpiderpoolPools | undefined): boolean =>
  p === undefined || (p.ipv4 ?? []).length + (p.ipv6 ?? []).length === 0;

function injectError(
  smc: SpiderMultusConfig,
  inject: InjectFlags,
  resourceName: string,
  pools: SpiderpoolPools | undefined,
): string | undefined {
  const id = `${smc.metadata.namespace ?? ''}/${smc.metadata.name}`;
  if (inject.rdma) {
    if (resourceName === '') return `rdmaResourceName can not empty for spidermultusconfig ${id}`;
    if (noPools(pools)) return `no any ippools configured for spidermultusconfig ${id}`;
  }
  if (inject.network && resourceName !== '' && noPools(pools)) {
    return `no any ippools configured for spidermultusconfig ${id}`;
  }
  return undefined;
}

export interface InjectFlags {
  readonly rdma: boolean;
  readonly network: boolean;
}

type VlanBacked = 'macvlan' | 'ipvlan' | 'vlan';

function vlanBackedError(
  smc: SpiderMultusConfig,
  kind: VlanBacked,
  inject: InjectFlags,
): FieldError | undefined {
  const spec = smc.spec;
  const c = spec[kind];
  const path = F[kind];
  if (c === undefined) return required(path, `no ${path} specified`);
  if (kind === 'vlan') {
    const m = vlanModeError(spec.vlan?.vlanMode, c.vlanID);
    if (m !== undefined) return invalid(path, c, m);
  }
  const v = vlanIDError(path, c.vlanID);
  if (v !== undefined) return v;
  if (c.mtu !== undefined && c.mtu < 0) return invalid(path, c.mtu, 'MTU must be greater than or equal to 0');
  if (c.ippools?.matchMasterSubnet === true) {
    return invalid(path, c, `MatchMasterSubnet feature is not supported for ${kind}`);
  }
  const m = mastersError(c.master, c.bond);
  if (m !== undefined) return invalid(path, c, m);
  if (otherBlockSet(spec, kind)) return onlyOwn(kind, path);
  const i = injectError(smc, inject, c.rdmaResourceName ?? '', c.ippools);
  return i === undefined ? undefined : invalid(path, c, i);
}

function typeError(smc: SpiderMultusConfig, inject: InjectFlags): FieldError | undefined {
  const spec = smc.spec;
  const cniType = spec.cniType;
  if (cniType === undefined) return invalid(F.cniType, null, 'CniType must not be nil');
  switch (cniType) {
    case 'macvlan':
    case 'ipvlan':
    case 'vlan':
      return vlanBackedError(smc, cniType, inject);
    case 'sriov': {
      const c = spec.sriov;
      if (c === undefined) return required(F.sriov, `no ${F.sriov} specified`);
      const v = vlanIDError(F.sriov, c.vlanID);
      if (v !== undefined) return v;
      if (c.mtu !== undefined && c.mtu < 0)
        return invalid(F.sriov, c.mtu, 'MTU must be greater than or equal to 0');
      if (
        c.minTxRateMbps !== undefined &&
        c.maxTxRateMbps !== undefined &&
        c.minTxRateMbps > c.maxTxRateMbps
      ) {
        return invalid(F.sriov, c.minTxRateMbps, 'minTxRateMbps must be less than maxTxRateMbps');
      }
      if ((c.resourceName ?? '') === '') return required(F.sriov, `no ${F.sriov}[resourceName] specified`);
      if (otherBlockSet(spec, 'sriov')) return onlyOwn(cniType, F.sriov);
      const i = injectError(smc, inject, c.resourceName ?? '', c.ippools);
      return i === undefined ? undefined : invalid(F.sriov, c, i);
    }
    case 'ib-sriov': {
      const c = spec.ibsriov;
      if (c === undefined) return required(F.ibsriov, `no ${F.ibsriov} specified`);
      if ((c.resourceName ?? '') === '')
        return required(F.ibsriov, `no ${F.ibsriov}[resourceName] specified`);
      if (otherBlockSet(spec, 'ibsriov')) return onlyOwn(cniType, F.sriov);
      const i = injectError(smc, inject, c.resourceName ?? '', c.ippools);
      return i === undefined ? undefined : invalid(F.ibsriov, c, i);
    }
    case 'ipoib': {
      const c = spec.ipoib;
      if (c === undefined) return required(F.ipoib, `no ${F.ipoib} specified`);
      if ((c.master ?? '') === '') return required(F.ipoib, `no ${F.ipoib}[master] specified`);
      if (otherBlockSet(spec, 'ipoib')) return onlyOwn(cniType, F.sriov);
      const i = injectError(smc, inject, c.master ?? '', c.ippools);
      return i === undefined ? undefined : invalid(F.ipoib, c, i);
    }
    case 'ovs': {
      if (inject.rdma || inject.network) {
        return forbidden(
          F.cniType,
          `the cniType ${cniType} does not support RDMA resource or network resource injected`,
        );
      }
      const c = spec.ovs;
      if (c === undefined) return required(F.ovs, `no ${F.ovs} specified`);
      const v = vlanIDError(F.ovs, c.vlan);
      if (v !== undefined) return v;
      for (const t of c.trunk ?? []) {
        if (t.minID !== undefined && t.minID > 4094)
          return invalid(F.ovs, t, 'incorrect trunk minID parameter');
        if (t.maxID !== undefined) {
          if (t.maxID > 4094) return invalid(F.ovs, t, 'incorrect trunk maxID parameter');
          if (t.maxID < (t.minID ?? 0))
            return invalid(F.ovs, t, 'minID is greater than maxID in trunk parameter');
        }
        if (t.id !== undefined && t.id > 4096) return invalid(F.ovs, t, 'incorrect trunk id parameter');
      }
      if (otherBlockSet(spec, 'ovs')) return onlyOwn(cniType, F.sriov);
      return undefined;
    }
    case 'custom': {
      if (inject.rdma || inject.network) {
        return forbidden(
          F.cniType,
          `the cniType ${cniType} does not support RDMA resource or network resource injected`,
        );
      }
      if (otherBlockSet(spec, 'customCNI')) return onlyOwn(cniType, F.custom);
      const raw = spec.customCNI ?? '';
      if (raw !== '') {
        try {
          JSON.parse(raw);
        } catch {
          return forbidden(F.custom, "customCniConfig isn't a valid JSON encoding");
        }
      }
      return undefined;
    }
    default:
      // The CRD enum rejects other values before the webhook runs.
      return invalid(F.cniType, cniType, 'unsupported cniType');
  }
}

/** The per-type rules, then the coordinator block, then each chained CNI conf. */
export function validateCniTypeConfig(smc: SpiderMultusConfig, inject: InjectFlags): FieldError | undefined {
  const e = typeError(smc, inject);
  if (e !== undefined) return e;
  if (smc.spec.coordinator !== undefined) {
    const c = validateCoordinatorSpec(smc.spec.coordinator, false);
    if (c !== undefined) return c;
  }
  for (const raw of smc.spec.chainCNIJsonData ?? []) {
    const m = cniConfError(raw);
    if (m !== undefined) return forbidden(F.chain, `invalid ${raw}: ${m}`);
  }
  return undefined;
}
