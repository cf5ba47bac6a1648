// SpiderMultusConfig -> NetworkAttachmentDefinition, following Spiderpool's generateNetAttachDef
// (pkg/multuscniconfig/multusconfig_informer.go). `spec.config` is byte-identical to Spiderpool's output.

import type { Result } from 'neverthrow';
import { err, ok } from 'neverthrow';
import {
  ANNO_CNI_CONFIG_NAME,
  ANNO_NAD_RESOURCE_NAME,
  ANNO_SMC_CNI_VERSION,
  ANNO_SMC_CR_NAME,
  DEFAULT_CNI_VERSION,
  KIND_SPIDER_MULTUS_CONFIG,
  NAD_API_VERSION,
  OVS_CNI_RESOURCE_PREFIX,
  SPIDERPOOL_GROUP_VERSION,
} from '../api/constants.ts';
import type { GoJsonValue } from '../api/goJson.ts';
import { fromParsedJson, goMarshal } from '../api/goJson.ts';
import type { ObjectMeta } from '../api/meta.ts';
import type { MultusCNIConfigSpec, SpiderMultusConfig } from '../api/multusConfig.ts';
import type { NetworkAttachmentDefinition } from '../api/nad.ts';
import type { MultusError } from './errors.ts';
import { invalidChainCNIJson, invalidCustomCNI, missingCniConfig, unknownCniType } from './errors.ts';
import {
  coordinatorConf,
  ibSriovConf,
  ifacerConf,
  ipoibConf,
  ipvlanConf,
  macvlanConf,
  ovsConf,
  rdmaConf,
  sriovConf,
  tuningConf,
  vlanConf,
} from './pluginConfs.ts';

/** NAD name: the `multus.spidernet.io/cr-name` annotation, else the SpiderMultusConfig's name. */
export function netAttachDefName(smc: SpiderMultusConfig): string {
  return smc.metadata.annotations?.[ANNO_SMC_CR_NAME] ?? smc.metadata.name;
}

function parseChain(spec: MultusCNIConfigSpec): Result<GoJsonValue[], MultusError> {
  const out: GoJsonValue[] = [];
  for (const [i, raw] of (spec.chainCNIJsonData ?? []).entries()) {
    let v: GoJsonValue | undefined;
    try {
      v = fromParsedJson(JSON.parse(raw));
    } catch (e) {
      return err(invalidChainCNIJson(i, raw, e));
    }
    if (v === undefined) return err(invalidChainCNIJson(i, raw, 'not JSON'));
    out.push(v);
  }
  return ok(out);
}

interface Built {
  readonly plugins?: GoJsonValue[];
  readonly customConfig?: string;
  readonly resourceName?: string;
}

function buildPlugins(spec: MultusCNIConfigSpec, chain: GoJsonValue[]): Result<Built, MultusError> {
  const cniType = spec.cniType ?? 'custom';
  const noIPAM = spec.disableIPAM === true;
  const tail =
    cniType !== 'custom' && spec.enableCoordinator !== false
      ? [...chain, coordinatorConf(spec.coordinator)]
      : chain;
  switch (cniType) {
    case 'macvlan':
    case 'ipvlan': {
      const c = cniType === 'macvlan' ? spec.macvlan : spec.ipvlan;
      if (c === undefined) return err(missingCniConfig(cniType, cniType));
      const main = cniType === 'macvlan' ? macvlanConf(c, noIPAM) : ipvlanConf(c, noIPAM);
      const vlanID = c.vlanID ?? 0;
      const ifacer = vlanID !== 0 || c.master.length >= 2 ? [ifacerConf(c.master, vlanID, c.bond)] : [];
      return ok({ plugins: [...ifacer, main, ...tail] });
    }
    case 'vlan': {
      const c = spec.vlan;
      if (c === undefined) return err(missingCniConfig(cniType, 'vlan'));
      const ifacer = c.master.length >= 2 ? [ifacerConf(c.master, 0, c.bond)] : [];
      return ok({ plugins: [...ifacer, vlanConf(c, noIPAM), ...tail] });
    }
    case 'sriov': {
      const c = spec.sriov;
      if (c === undefined) return err(missingCniConfig(cniType, 'sriov'));
      const rdma = c.rdmaIsolation === true ? [rdmaConf()] : [];
      const tuning = c.mtu !== undefined && c.mtu > 0 ? [tuningConf(c.mtu)] : [];
      return ok({
        plugins: [sriovConf(c, noIPAM), ...rdma, ...tail, ...tuning],
        resourceName: c.resourceName ?? '',
      });
    }
    case 'ib-sriov': {
      const c = spec.ibsriov;
      if (c === undefined) return err(missingCniConfig(cniType, 'ibsriov'));
      return ok({ plugins: [ibSriovConf(c, noIPAM), ...tail], resourceName: c.resourceName ?? '' });
    }
    case 'ipoib': {
      const c = spec.ipoib;
      if (c === undefined) return err(missingCniConfig(cniType, 'ipoib'));
      return ok({ plugins: [ipoibConf(c, noIPAM), ...tail] });
    }
    case 'ovs': {
      const c = spec.ovs;
      if (c === undefined) return err(missingCniConfig(cniType, 'ovs'));
      const built: Built = { plugins: [ovsConf(c, noIPAM), ...tail] };
      const deviceID = c.deviceID ?? '';
      return ok(
        deviceID !== '' ? { ...built, resourceName: `${OVS_CNI_RESOURCE_PREFIX}/${c.bridge}` } : built,
      );
    }
    case 'custom': {
      const custom = spec.customCNI ?? '';
      if (custom === '') return ok({});
      try {
        JSON.parse(custom);
      } catch (e) {
        return err(invalidCustomCNI(custom, e));
      }
      return ok({ customConfig: custom });
    }
    default:
      return err(unknownCniType(cniType));
  }
}

/**
 * The CNI conf list string: Go marshals `map{name, cniVersion, plugins}`, so keys come out sorted.
 * Exported for callers that only need `spec.config`.
 */
export function marshalCniConfList(
  name: string,
  cniVersion: string,
  plugins: readonly GoJsonValue[],
): string {
  return goMarshal({ cniVersion, name, plugins });
}

/**
 * Builds the NAD for a (defaulted) SpiderMultusConfig. Fields a webhook default would fill are read with
 * Spiderpool's defaults (`enableCoordinator` true, vlanID 0...), so a raw object works too.
 * The ownerReference's `uid` is the SMC's `metadata.uid` ("" when absent).
 */
export function generateNetAttachDef(
  smc: SpiderMultusConfig,
): Result<NetworkAttachmentDefinition, MultusError> {
  const spec = smc.spec;
  const annotations: Record<string, string> = { ...(smc.metadata.annotations ?? {}) };
  const name = netAttachDefName(smc);
  const cniVersion = annotations[ANNO_SMC_CNI_VERSION] ?? DEFAULT_CNI_VERSION;
  const confName = annotations[ANNO_CNI_CONFIG_NAME] || name;
  return parseChain(spec)
    .andThen((chain) => buildPlugins(spec, chain))
    .map((built) => {
      if (built.resourceName !== undefined) annotations[ANNO_NAD_RESOURCE_NAME] = built.resourceName;
      const config =
        built.plugins !== undefined
          ? marshalCniConfList(confName, cniVersion, built.plugins)
          : built.customConfig;
      const metadata: ObjectMeta = {
        name,
        annotations,
        ownerReferences: [
          {
            apiVersion: SPIDERPOOL_GROUP_VERSION,
            kind: KIND_SPIDER_MULTUS_CONFIG,
            name: smc.metadata.name,
            uid: smc.metadata.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      };
      if (smc.metadata.namespace !== undefined) metadata.namespace = smc.metadata.namespace;
      return {
        apiVersion: NAD_API_VERSION,
        kind: 'NetworkAttachmentDefinition' as const,
        metadata,
        // Go's NAD spec has `config` without omitempty: an empty custom SMC yields config "".
        spec: { config: config ?? '' },
      };
    });
}
