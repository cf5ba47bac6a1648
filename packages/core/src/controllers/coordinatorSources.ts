// Where the SpiderCoordinator controller finds the cluster's Pod and Service CIDRs, as pure parsers of the
// objects Spiderpool reads (pkg/coordinatormanager/coordinator_informer.go):
// - kube-system/kubeadm-config: `podSubnet:` / `serviceSubnet:` lines of ClusterConfiguration;
// - the kube-controller-manager Pod (label component=kube-controller-manager): `--cluster-cidr=`,
//   `--service-cluster-ip-range=` in the first container's command, then args;
// - Calico IPPools (crd.projectcalico.org/v1): spec.cidr of pools not deleting and not disabled;
// - Cilium's cilium-config ConfigMap: `ipam` cluster-pool -> cluster-pool-ipv4/ipv6-cidr, multi-pool ->
//   CiliumPodIPPools spec.ipv4/ipv6.cidrs, kubernetes -> the cluster Pod CIDR;
// - ServiceCIDR objects (networking.k8s.io/v1): spec.cidrs.
// Comma-separated lists; entries that are not CIDRs are skipped, the text of valid ones is kept as written.
import type { KubeObject } from '../api/index.ts';
import { parseCIDR } from '../ip/index.ts';

export interface ClusterCIDRs {
  podCIDR: string[];
  serviceCIDR: string[];
}

const cidrList = (text: string | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && parseCIDR(s).isOk());

const record = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** `data` of a ConfigMap, string values only. */
export const configMapData = (cm: KubeObject): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record((cm as { data?: unknown }).data))) {
    if (typeof v === 'string') out[k] = v;
  }
  return out;
};

const firstMatch = (text: string, key: string): string | undefined => {
  for (const line of text.split('\n')) {
    const at = line.indexOf(`${key}: `);
    if (at >= 0) return line.slice(at + key.length + 2).trim();
  }
  return undefined;
};

/** kubeadm-config: ClusterConfiguration `networking.podSubnet` / `networking.serviceSubnet`. */
export const cidrsFromKubeadmConfig = (cm: KubeObject): ClusterCIDRs => {
  const data = configMapData(cm);
  const texts = data.ClusterConfiguration !== undefined ? [data.ClusterConfiguration] : Object.values(data);
  let pod: string | undefined;
  let service: string | undefined;
  for (const t of texts) {
    pod ??= firstMatch(t, 'podSubnet');
    service ??= firstMatch(t, 'serviceSubnet');
  }
  return { podCIDR: cidrList(pod), serviceCIDR: cidrList(service) };
};

const flagValue = (lines: readonly string[], flag: string): string | undefined => {
  for (const l of lines) {
    const at = l.indexOf(`${flag}=`);
    if (at >= 0) return l.slice(at + flag.length + 1).trim();
  }
  return undefined;
};

/** kube-controller-manager Pod: `--cluster-cidr` and `--service-cluster-ip-range` of its first container. */
export const cidrsFromControllerManager = (pod: KubeObject): ClusterCIDRs => {
  const containers = (record((pod as { spec?: unknown }).spec).containers ?? []) as unknown[];
  const c = record(Array.isArray(containers) ? containers[0] : undefined);
  const lines = [...strings(c.command), ...strings(c.args)];
  return {
    podCIDR: cidrList(flagValue(lines, '--cluster-cidr')),
    serviceCIDR: cidrList(flagValue(lines, '--service-cluster-ip-range')),
  };
};

const byCreation = <T extends KubeObject>(items: readonly T[]): T[] =>
  [...items].sort((a, b) =>
    (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
  );

const live = (o: KubeObject): boolean => o.metadata.deletionTimestamp === undefined;

/** Calico IPPools: spec.cidr of live, enabled pools, oldest first. */
export const cidrsFromCalicoPools = (pools: readonly KubeObject[]): string[] =>
  byCreation(pools)
    .filter(live)
    .map((p) => record((p as { spec?: unknown }).spec))
    .filter((s) => s.disabled !== true && typeof s.cidr === 'string')
    .map((s) => s.cidr as string);

/** CiliumPodIPPools: spec.ipv4.cidrs then spec.ipv6.cidrs of each live pool, oldest first. */
export const cidrsFromCiliumPools = (pools: readonly KubeObject[]): string[] =>
  byCreation(pools)
    .filter(live)
    .flatMap((p) => {
      const s = record((p as { spec?: unknown }).spec);
      return [...strings(record(s.ipv4).cidrs), ...strings(record(s.ipv6).cidrs)];
    });

/** ServiceCIDR objects: spec.cidrs of live objects, oldest first. */
export const cidrsFromServiceCIDRs = (items: readonly KubeObject[]): string[] =>
  byCreation(items)
    .filter(live)
    .flatMap((o) => strings(record((o as { spec?: unknown }).spec).cidrs));

export type CiliumPodCIDR =
  | { _tag: 'CIDRs'; cidrs: string[] }
  | { _tag: 'MultiPool' }
  | { _tag: 'Kubernetes' }
  | { _tag: 'Unsupported'; ipam: string }
  | { _tag: 'InvalidCIDR'; key: string; value: string };

/** What cilium-config says about Pod CIDRs (its `ipam` mode). */
export const ciliumPodCIDR = (cm: KubeObject): CiliumPodCIDR => {
  const data = configMapData(cm);
  const ipam = data.ipam ?? '';
  switch (ipam) {
    case 'cluster-pool':
    case 'cluster-pool-v2beta': {
      const cidrs: string[] = [];
      for (const key of ['cluster-pool-ipv4-cidr', 'cluster-pool-ipv6-cidr']) {
        const v = data[key];
        if (v === undefined) continue;
        const t = v.trim();
        if (parseCIDR(t).isErr()) return { _tag: 'InvalidCIDR', key, value: v };
        cidrs.push(t);
      }
      return { _tag: 'CIDRs', cidrs };
    }
    case 'multi-pool':
      return { _tag: 'MultiPool' };
    case 'kubernetes':
      return { _tag: 'Kubernetes' };
    default:
      return { _tag: 'Unsupported', ipam };
  }
};

/** Spiderpool's `fetchType`: the default CNI's name (first conf in /etc/cni/net.d) -> podCIDRType. */
export const podCIDRTypeOfCni = (cniName: string): 'calico' | 'cilium' | 'cluster' | 'none' => {
  switch (cniName) {
    case 'calico':
    case 'k8s-pod-network':
      return 'calico';
    case 'cilium':
      return 'cilium';
    case 'flannel':
      return 'cluster';
    default:
      return 'none';
  }
};
