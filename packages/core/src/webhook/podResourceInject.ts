// The Pod mutating webhook of Spiderpool >= 1.0 (pkg/podmanager/pod_webhook.go + utils.go), pure.
//
// A Pod (or its Namespace) annotated `cni.spidernet.io/rdma-resource-inject: <v>` or
// `cni.spidernet.io/network-resource-inject: <v>` gets the SpiderMultusConfigs labelled `<annotation>: <v>`
// (the SMC webhook copies that annotation into a label) as its Multus networks, and one of each of their
// device-plugin resources as a limit of its first container (the API server copies limits of extended
// resources into requests). The rdma annotation is looked at first; the first one present decides.
// SMCs are ordered by master (bond name when bonded) or SR-IOV resource name, then `namespace/name`.

import { err, ok, type Result } from 'neverthrow';
import {
  ANNO_MULTUS_NETWORKS,
  ANNO_NETWORK_RESOURCE_INJECT,
  ANNO_RDMA_RESOURCE_INJECT,
} from '../api/constants.ts';
import type { KubeObject } from '../api/meta.ts';
import type { SpiderMultusConfig, SpiderpoolPools } from '../api/multusConfig.ts';

/** What the Pod webhook reads besides the Pod: every SpiderMultusConfig and the Pod's Namespace annotations. */
export interface PodResourceInjectContext {
  readonly multusConfigs: readonly SpiderMultusConfig[];
  /** Annotations of the Pod's Namespace (a Namespace annotation applies when the Pod has none). */
  readonly namespaceAnnotations?: Readonly<Record<string, string>> | undefined;
}

export type PodInjectError =
  | {
      readonly _tag: 'NoMultusConfig';
      readonly annotation: string;
      readonly value: string;
      readonly message: string;
    }
  | {
      readonly _tag: 'UnusableMultusConfig';
      readonly multusConfig: string;
      readonly message: string;
    }
  | {
      readonly _tag: 'MalformedPod';
      readonly field: string;
      readonly value: unknown;
      readonly message: string;
    };

export interface PodInjectResult<T extends KubeObject> {
  readonly pod: T;
  /** The annotation that triggered the injection, or undefined when the Pod asked for none. */
  readonly annotation: string | undefined;
}

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The annotation value of the Pod, else of its Namespace. */
const effectiveValue = (
  pod: KubeObject,
  ctx: PodResourceInjectContext,
  annotation: string,
): string | undefined => pod.metadata.annotations?.[annotation] ?? ctx.namespaceAnnotations?.[annotation];

/** `getMultusConfigSortKey`. */
const sortKey = (smc: SpiderMultusConfig): string => {
  const s = smc.spec;
  const vlanBacked = s.cniType === 'macvlan' ? s.macvlan : s.cniType === 'ipvlan' ? s.ipvlan : undefined;
  const backed = s.cniType === 'vlan' ? s.vlan : vlanBacked;
  if (backed !== undefined) {
    if (backed.master.length >= 2 && backed.bond !== undefined) return backed.bond.name;
    return backed.master[0] ?? '';
  }
  if (s.cniType === 'sriov') return s.sriov?.resourceName ?? '';
  return '';
};

const fullName = (smc: SpiderMultusConfig): string => `${smc.metadata.namespace ?? ''}/${smc.metadata.name}`;

/** `multuscniconfig.ResourceName`: the device-plugin resource a Pod of this SMC needs, or ''. */
export const multusConfigResourceName = (smc: SpiderMultusConfig): string => {
  const s = smc.spec;
  switch (s.cniType) {
    case 'macvlan':
      return s.macvlan?.rdmaResourceName ?? '';
    case 'ipvlan':
      return s.ipvlan?.rdmaResourceName ?? '';
    case 'vlan':
      return s.vlan?.rdmaResourceName ?? '';
    case 'sriov':
      return s.sriov?.resourceName ?? '';
    case 'ib-sriov':
      return s.ibsriov?.resourceName ?? '';
    default:
      return '';
  }
};

/** The resource name and pools `doValidateInjectResource` checks, or the error for an unsupported SMC. */
const injectSource = (
  smc: SpiderMultusConfig,
): { resource: string; pools: SpiderpoolPools | undefined } | string => {
  const s = smc.spec;
  if (s.cniType === undefined) return 'cniType is nil';
  const missing = (what: string) => `${what} config is nil`;
  switch (s.cniType) {
    case 'macvlan':
    case 'ipvlan':
    case 'vlan': {
      const c = s.cniType === 'macvlan' ? s.macvlan : s.cniType === 'ipvlan' ? s.ipvlan : s.vlan;
      if (c === undefined) return missing(s.cniType);
      return { resource: c.rdmaResourceName ?? '', pools: c.ippools };
    }
    case 'sriov':
      return s.sriov === undefined
        ? missing('sriov')
        : { resource: s.sriov.resourceName ?? '', pools: s.sriov.ippools };
    case 'ib-sriov':
      return s.ibsriov === undefined
        ? missing('ib-sriov')
        : { resource: s.ibsriov.resourceName ?? '', pools: s.ibsriov.ippools };
    case 'ipoib':
      return s.ipoib === undefined
        ? missing('ipoib')
        : { resource: s.ipoib.master ?? '', pools: s.ipoib.ippools };
    default:
      return `RDMA resource injection does not support cniType: ${s.cniType}`;
  }
};

/** `ValidateRdmaResouce` (rdma: a resource is required) / `ValidateNetworkResouce` (only with a resource). */
const checkInjectable = (smc: SpiderMultusConfig, requireResource: boolean): string | undefined => {
  const src = injectSource(smc);
  if (typeof src === 'string') return src;
  const ns = smc.metadata.namespace ?? '';
  const name = smc.metadata.name;
  if (src.resource === '') {
    return requireResource
      ? `rdmaResourceName can not empty for spidermultusconfig ${ns}/${name}`
      : undefined;
  }
  const pools = (src.pools?.ipv4?.length ?? 0) + (src.pools?.ipv6?.length ?? 0);
  return pools === 0 ? `no any ippools configured for spidermultusconfig ${ns}/${name}` : undefined;
};

const compareSmc = (a: SpiderMultusConfig, b: SpiderMultusConfig): number => {
  const ka = sortKey(a);
  const kb = sortKey(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  const na = fullName(a);
  const nb = fullName(b);
  return na < nb ? -1 : na > nb ? 1 : 0;
};

const malformed = (field: string, value: unknown, why: string): PodInjectError => ({
  _tag: 'MalformedPod',
  field,
  value,
  message: `${field}: ${why}`,
});

/** The containers array of a Pod from the wire, checked enough to be edited. */
const containersOf = (pod: KubeObject): Result<Json[], PodInjectError> => {
  const spec = (pod as KubeObject & { spec?: unknown }).spec;
  if (!isRecord(spec) || !Array.isArray(spec.containers) || spec.containers.length === 0) {
    return err(
      malformed('spec.containers', isRecord(spec) ? spec.containers : spec, 'a Pod needs a container'),
    );
  }
  for (const [i, c] of spec.containers.entries()) {
    if (!isRecord(c)) return err(malformed(`spec.containers[${i}]`, c, 'must be an object'));
    const res = c.resources;
    if (res !== undefined && (!isRecord(res) || (res.limits !== undefined && !isRecord(res.limits)))) {
      return err(malformed(`spec.containers[${i}].resources`, res, 'must be an object of resource lists'));
    }
  }
  return ok(spec.containers as Json[]);
};

const limitsOf = (c: Json): Json | undefined => {
  const res = c.resources;
  return isRecord(res) && isRecord(res.limits) ? res.limits : undefined;
};

/** `InjectRdmaResourceToPod`: a limit of 1 on the first container for each resource no container limits. */
const injectResources = (containers: Json[], resources: readonly string[]): void => {
  const first = containers[0];
  if (first === undefined) return;
  for (const r of resources) {
    if (containers.some((c) => limitsOf(c)?.[r] !== undefined)) continue;
    const res = isRecord(first.resources) ? first.resources : {};
    res.limits = { ...(limitsOf(first) ?? {}), [r]: '1' };
    first.resources = res;
  }
};

const cloneJson = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/**
 * The Pod as Spiderpool's Pod webhook leaves it; the input is not modified. A Pod without either
 * annotation (on itself or its Namespace) is returned as is. Errors are the webhook's denials.
 */
export function injectPodNetworkResources<T extends KubeObject>(
  pod: T,
  ctx: PodResourceInjectContext,
): Result<PodInjectResult<T>, PodInjectError> {
  for (const annotation of [ANNO_RDMA_RESOURCE_INJECT, ANNO_NETWORK_RESOURCE_INJECT]) {
    const value = effectiveValue(pod, ctx, annotation);
    if (value === undefined) continue;
    const selected = ctx.multusConfigs
      .filter((smc) => smc.metadata.labels?.[annotation] === value)
      .sort(compareSmc);
    if (selected.length === 0) {
      return err({
        _tag: 'NoMultusConfig',
        annotation,
        value,
        message: `no spidermultusconfigs with annotation: ${annotation}:${value} found`,
      });
    }
    const out = cloneJson(pod);
    const containers = containersOf(out);
    if (containers.isErr()) return err(containers.error);
    const resources: string[] = [];
    for (const smc of selected) {
      const why = checkInjectable(smc, annotation === ANNO_RDMA_RESOURCE_INJECT);
      if (why !== undefined)
        return err({ _tag: 'UnusableMultusConfig', multusConfig: fullName(smc), message: why });
      const r = multusConfigResourceName(smc);
      if (r !== '' && !resources.includes(r)) resources.push(r);
    }
    out.metadata.annotations = {
      ...(out.metadata.annotations ?? {}),
      [ANNO_MULTUS_NETWORKS]: selected.map(fullName).join(','),
    };
    injectResources(containers.value, resources);
    return ok({ pod: out, annotation });
  }
  return ok({ pod, annotation: undefined });
}
