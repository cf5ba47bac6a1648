// The SpiderCoordinator status as Spiderpool computes it (updatePodAndServerCIDR), read through the Store:
// the cluster's own CIDRs from kubeadm-config, else the kube-controller-manager Pod (neither: NotReady);
// overlayPodCIDR by podCIDRType (cluster: the cluster Pod CIDR; calico: Calico IPPools; cilium: cilium-config /
// CiliumPodIPPools; none: []); serviceCIDR from ServiceCIDR objects, else the cluster's. `auto` resolves
// from the default CNI's name when the host gives it (Spiderpool reads /etc/cni/net.d on its own node);
// without it, from the cluster (DEVIATION, ADR 0020): cilium-config present -> cilium, Calico IPPools -> calico,
// else none. A kind the store does not serve (or an API server without that CRD) reads as absent; only an
// unreachable store is an error (the reconcile is retried).
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { CoordinatorStatus, KubeObject, SpiderCoordinator } from '../api/index.ts';
import type { Store, StoreError } from '../store/index.ts';
import {
  type ClusterCIDRs,
  cidrsFromCalicoPools,
  cidrsFromCiliumPools,
  cidrsFromControllerManager,
  cidrsFromKubeadmConfig,
  cidrsFromServiceCIDRs,
  ciliumPodCIDR,
  podCIDRTypeOfCni,
} from './coordinatorSources.ts';

export const PHASE_SYNCED = 'Synced';
export const PHASE_NOT_READY = 'NotReady';

export interface CoordinatorDiscoveryOptions {
  /** The default CNI's name on the controller's node (first conf of /etc/cni/net.d), for podCIDRType auto. */
  defaultCniName?: string;
  /** `namespace/name` of Cilium's ConfigMap (SPIDERPOOL_CILIUM_CONFIGMAP_NAMESPACE_NAME; kube-system/cilium-config). */
  ciliumConfigMap?: string;
}

const absentIfUnserved = <T>(r: ResultAsync<T, StoreError>): ResultAsync<T | undefined, StoreError> =>
  r
    .map((v): T | undefined => v)
    .orElse((e) => (e._tag === 'NotFound' || e._tag === 'Invalid' ? okAsync(undefined) : errAsync(e)));

const getOptional = (store: Store, kind: string, namespace: string, name: string) =>
  absentIfUnserved(store.get<KubeObject>({ kind, namespace, name }));

const listOptional = (store: Store, kind: string, options: Parameters<Store['list']>[1] = {}) =>
  absentIfUnserved(store.list<KubeObject>(kind, options).map((l) => l.items));

const notReady = (reason: string): CoordinatorStatus => ({
  phase: PHASE_NOT_READY,
  reason,
  overlayPodCIDR: [],
  serviceCIDR: [],
});

const splitRef = (ref: string): { namespace: string; name: string } => {
  const slash = ref.indexOf('/');
  return slash < 0
    ? { namespace: 'kube-system', name: ref }
    : { namespace: ref.slice(0, slash), name: ref.slice(slash + 1) };
};

const clusterCIDRs = (store: Store): ResultAsync<ClusterCIDRs | undefined, StoreError> =>
  getOptional(store, 'ConfigMap', 'kube-system', 'kubeadm-config').andThen((cm) => {
    if (cm !== undefined) return okAsync(cidrsFromKubeadmConfig(cm));
    return listOptional(store, 'Pod', {
      namespace: 'kube-system',
      labelSelector: { matchLabels: { component: 'kube-controller-manager' } },
    }).map((pods) => {
      const kcm = pods?.[0];
      return kcm === undefined ? undefined : cidrsFromControllerManager(kcm);
    });
  });

type PodCIDRType = 'cluster' | 'calico' | 'cilium' | 'none';

const resolveType = (
  store: Store,
  declared: string,
  options: CoordinatorDiscoveryOptions,
): ResultAsync<PodCIDRType | { unsupported: string }, StoreError> => {
  if (declared === 'cluster' || declared === 'calico' || declared === 'cilium' || declared === 'none') {
    return okAsync(declared);
  }
  if (declared !== 'auto') return okAsync({ unsupported: declared });
  if (options.defaultCniName !== undefined) return okAsync(podCIDRTypeOfCni(options.defaultCniName));
  const cilium = splitRef(options.ciliumConfigMap ?? 'kube-system/cilium-config');
  return getOptional(store, 'ConfigMap', cilium.namespace, cilium.name).andThen((cm) =>
    cm !== undefined
      ? okAsync<PodCIDRType, StoreError>('cilium')
      : listOptional(store, 'IPPool').map(
          (pools): PodCIDRType => (pools !== undefined && pools.length > 0 ? 'calico' : 'none'),
        ),
  );
};

const overlayCIDRs = (
  store: Store,
  type: PodCIDRType,
  k8s: ClusterCIDRs,
  options: CoordinatorDiscoveryOptions,
): ResultAsync<string[] | { notReady: string }, StoreError> => {
  switch (type) {
    case 'cluster':
      return okAsync(k8s.podCIDR);
    case 'none':
      return okAsync([]);
    case 'calico':
      return listOptional(store, 'IPPool').map((pools) =>
        pools === undefined
          ? {
              notReady:
                'Calico IPPools (crd.projectcalico.org/v1) are not served: Calico needs to be installed first',
            }
          : cidrsFromCalicoPools(pools),
      );
    case 'cilium': {
      const ref = splitRef(options.ciliumConfigMap ?? 'kube-system/cilium-config');
      return getOptional(store, 'ConfigMap', ref.namespace, ref.name).andThen(
        (cm): ResultAsync<string[] | { notReady: string }, StoreError> => {
          if (cm === undefined) {
            return okAsync({
              notReady: `configmaps "${ref.name}" not found: Cilium needs to be installed first`,
            });
          }
          const mode = ciliumPodCIDR(cm);
          switch (mode._tag) {
            case 'CIDRs':
              return okAsync(mode.cidrs);
            case 'Kubernetes':
              return okAsync(k8s.podCIDR);
            case 'MultiPool':
              return listOptional(store, 'CiliumPodIPPool').map((pools) => cidrsFromCiliumPools(pools ?? []));
            case 'InvalidCIDR':
              return okAsync({ notReady: `invalid CIDR address in ${mode.key}: ${mode.value}` });
            case 'Unsupported':
              return okAsync({ notReady: `unsupported CIlium IPAM mode: ${mode.ipam}` });
          }
        },
      );
    }
  }
};

/** The status `coordinator` should have now. Err only when the store cannot be read. */
export const computeCoordinatorStatus = (
  store: Store,
  coordinator: SpiderCoordinator,
  options: CoordinatorDiscoveryOptions = {},
): ResultAsync<CoordinatorStatus, StoreError> =>
  resolveType(store, coordinator.spec.podCIDRType ?? 'auto', options).andThen((type) => {
    if (typeof type !== 'string') return okAsync(notReady(`unsupported podCIDRType ${type.unsupported}`));
    return clusterCIDRs(store).andThen((k8s) => {
      if (k8s === undefined) {
        return okAsync(notReady('No kube-controller-manager pod found, unable to get clusterCIDR'));
      }
      return overlayCIDRs(store, type, k8s, options).andThen((overlay) => {
        if (!Array.isArray(overlay)) return okAsync(notReady(overlay.notReady));
        return listOptional(store, 'ServiceCIDR').map((items): CoordinatorStatus => {
          const fromObjects = items === undefined ? [] : cidrsFromServiceCIDRs(items);
          return {
            phase: PHASE_SYNCED,
            overlayPodCIDR: overlay,
            serviceCIDR: fromObjects.length > 0 ? fromObjects : k8s.serviceCIDR,
          };
        });
      });
    });
  });
