// Kubernetes kinds the operator-side controllers read or write besides Spiderpool's own: the Lease of leader
// election, and what the SpiderCoordinator controller reads to discover the cluster's Pod and Service CIDRs
// (kubeadm-config / cilium-config ConfigMaps, ServiceCIDR objects, Calico and Cilium IP pools).
import type { KindInfo } from './kinds.ts';

export const clusterKindInfos: readonly KindInfo[] = [
  {
    kind: 'Lease',
    apiVersion: 'coordination.k8s.io/v1',
    plural: 'leases',
    namespaced: true,
    statusSubresource: false,
  },
  { kind: 'ConfigMap', apiVersion: 'v1', plural: 'configmaps', namespaced: true, statusSubresource: false },
  {
    kind: 'ServiceCIDR',
    apiVersion: 'networking.k8s.io/v1',
    plural: 'servicecidrs',
    namespaced: false,
    statusSubresource: true,
  },
  // Calico's IPPool CRD (crd.projectcalico.org/v1, cluster-scoped; spec.cidr, spec.disabled).
  {
    kind: 'IPPool',
    apiVersion: 'crd.projectcalico.org/v1',
    plural: 'ippools',
    namespaced: false,
    statusSubresource: false,
  },
  // Cilium's multi-pool IPAM pools (cilium.io/v2alpha1; spec.ipv4.cidrs, spec.ipv6.cidrs).
  {
    kind: 'CiliumPodIPPool',
    apiVersion: 'cilium.io/v2alpha1',
    plural: 'ciliumpodippools',
    namespaced: false,
    statusSubresource: false,
  },
];
