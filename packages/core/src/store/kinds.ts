// The kind registry: for every kind a Store serves, its apiVersion, REST plural, scope and whether status is
// a subresource. It decides namespace handling and what update/updateStatus may change; unknown kind ->
// Invalid. Strings are Spiderpool's own (charts/spiderpool/crds) and the Kubernetes core API's.
import { err, ok, type Result } from 'neverthrow';
import { clusterKindInfos } from './clusterKinds.ts';
import { type Invalid, invalid } from './errors.ts';

export interface KindInfo {
  kind: string;
  /** `group/version`, or just `version` for the core group. */
  apiVersion: string;
  /** REST resource name, e.g. `spiderippools`. */
  plural: string;
  namespaced: boolean;
  /**
   * true: `update` keeps the stored status and `updateStatus` changes only status, generation tracks spec.
   * false: status is an ordinary field written by `update`; `updateStatus` is Invalid.
   */
  statusSubresource: boolean;
}

export interface KindRegistry {
  readonly kinds: readonly KindInfo[];
  lookup(kind: string): Result<KindInfo, Invalid>;
}

const SPIDERPOOL = 'spiderpool.spidernet.io/v2beta1';

/**
 * Every Spiderpool v2beta1 kind, Multus' NetworkAttachmentDefinition, the core/workload kinds IPAM reads, and
 * the cluster kinds of the operator controllers (clusterKinds.ts: Lease, ConfigMap, ServiceCIDR, Calico/Cilium pools).
 */
export const defaultKindInfos: readonly KindInfo[] = [
  {
    kind: 'SpiderIPPool',
    apiVersion: SPIDERPOOL,
    plural: 'spiderippools',
    namespaced: false,
    statusSubresource: true,
  },
  {
    kind: 'SpiderSubnet',
    apiVersion: SPIDERPOOL,
    plural: 'spidersubnets',
    namespaced: false,
    statusSubresource: true,
  },
  {
    kind: 'SpiderEndpoint',
    apiVersion: SPIDERPOOL,
    plural: 'spiderendpoints',
    namespaced: true,
    statusSubresource: false,
  },
  {
    kind: 'SpiderReservedIP',
    apiVersion: SPIDERPOOL,
    plural: 'spiderreservedips',
    namespaced: false,
    statusSubresource: false,
  },
  {
    kind: 'SpiderMultusConfig',
    apiVersion: SPIDERPOOL,
    plural: 'spidermultusconfigs',
    namespaced: true,
    statusSubresource: false,
  },
  {
    kind: 'SpiderCoordinator',
    apiVersion: SPIDERPOOL,
    plural: 'spidercoordinators',
    namespaced: false,
    statusSubresource: true,
  },
  // spiderpool-ts's own kind (its own group, ADR 0029): the blocks of a pool in the blocks format. Status
  // is an ordinary field: one update writes a block's records.
  {
    kind: 'SpiderIPBlock',
    apiVersion: 'spiderpool-ts.io/v1alpha1',
    plural: 'spideripblocks',
    namespaced: false,
    statusSubresource: false,
  },
  {
    kind: 'NetworkAttachmentDefinition',
    apiVersion: 'k8s.cni.cncf.io/v1',
    plural: 'network-attachment-definitions',
    namespaced: true,
    statusSubresource: false,
  },
  // sriov-network-operator's node policy and node state (sriovnetwork.openshift.io/v1), both with a status
  // subresource as its kubebuilder markers declare, and the PodDisruptionBudget the node drain respects.
  {
    kind: 'SriovNetworkNodePolicy',
    apiVersion: 'sriovnetwork.openshift.io/v1',
    plural: 'sriovnetworknodepolicies',
    namespaced: true,
    statusSubresource: true,
  },
  {
    kind: 'SriovNetworkNodeState',
    apiVersion: 'sriovnetwork.openshift.io/v1',
    plural: 'sriovnetworknodestates',
    namespaced: true,
    statusSubresource: true,
  },
  {
    kind: 'PodDisruptionBudget',
    apiVersion: 'policy/v1',
    plural: 'poddisruptionbudgets',
    namespaced: true,
    statusSubresource: true,
  },
  { kind: 'Pod', apiVersion: 'v1', plural: 'pods', namespaced: true, statusSubresource: true },
  { kind: 'Namespace', apiVersion: 'v1', plural: 'namespaces', namespaced: false, statusSubresource: true },
  { kind: 'Node', apiVersion: 'v1', plural: 'nodes', namespaced: false, statusSubresource: true },
  // Workload kinds the IPAM engine and GC read to find a Pod's top controller and whether a StatefulSet /
  // KubeVirt Pod is still valid (its ordinal, its VM).
  {
    kind: 'ReplicaSet',
    apiVersion: 'apps/v1',
    plural: 'replicasets',
    namespaced: true,
    statusSubresource: true,
  },
  {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    plural: 'deployments',
    namespaced: true,
    statusSubresource: true,
  },
  {
    kind: 'StatefulSet',
    apiVersion: 'apps/v1',
    plural: 'statefulsets',
    namespaced: true,
    statusSubresource: true,
  },
  {
    kind: 'DaemonSet',
    apiVersion: 'apps/v1',
    plural: 'daemonsets',
    namespaced: true,
    statusSubresource: true,
  },
  { kind: 'Job', apiVersion: 'batch/v1', plural: 'jobs', namespaced: true, statusSubresource: true },
  { kind: 'CronJob', apiVersion: 'batch/v1', plural: 'cronjobs', namespaced: true, statusSubresource: true },
  {
    kind: 'VirtualMachine',
    apiVersion: 'kubevirt.io/v1',
    plural: 'virtualmachines',
    namespaced: true,
    statusSubresource: true,
  },
  {
    kind: 'VirtualMachineInstance',
    apiVersion: 'kubevirt.io/v1',
    plural: 'virtualmachineinstances',
    namespaced: true,
    statusSubresource: true,
  },
  ...clusterKindInfos,
];

/** A registry over the given kinds. Throws (programmer error) on a kind listed twice. */
export const createKindRegistry = (infos: readonly KindInfo[]): KindRegistry => {
  const byKind = new Map<string, KindInfo>();
  for (const info of infos) {
    if (byKind.has(info.kind)) throw new Error(`kind ${info.kind} registered twice`);
    byKind.set(info.kind, { ...info });
  }
  const kinds = [...byKind.values()];
  return {
    kinds,
    lookup: (kind) => {
      const info = byKind.get(kind);
      return info ? ok(info) : err(invalid({ kind }, `unknown kind "${kind}"`));
    },
  };
};

/** The registry every Store uses unless told otherwise. */
export const defaultKinds: KindRegistry = createKindRegistry(defaultKindInfos);
