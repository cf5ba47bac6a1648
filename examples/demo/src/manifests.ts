// The seed's manifests (shared/seed, Spiderpool's SR-IOV quick start), as objects and as the YAML files the
// demo hands to `kubectl apply` / `kubectl create`, and what a Spiderpool + sriov-network-operator install
// puts into a cluster before the walkthrough starts (namespaces, the SpiderCoordinator `default`, the
// kubeadm-config the coordinator controller reads the service CIDR from).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '@spiderpool-ts/core';
import { toYaml } from '@spiderpool-ts/k8s';

const SP = 'spiderpool.spidernet.io/v2beta1';
export const SEED_RESOURCE = 'spidernet.io/sriov_netdevice';
export const SEED_NODES = ['master-11', 'worker-12'] as const;
export const CLUSTER_IP = '10.43.54.100';
export const SRIOV_NS = 'sriov-network-operator';

type Obj = KubeObject & Record<string, unknown>;

/** The seed's service CIDR holds 10.43.54.100 (a k3s/RKE2 cluster: 10.43.0.0/16, Pods 10.42.0.0/16). */
const CLUSTER_CONFIGURATION = `apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
networking:
  podSubnet: 10.42.0.0/16
  serviceSubnet: 10.43.0.0/16
`;

export const installObjects = (): Obj[] => [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SRIOV_NS } },
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kubeadm-config', namespace: 'kube-system' },
    data: { ClusterConfiguration: CLUSTER_CONFIGURATION },
  },
  {
    apiVersion: SP,
    kind: 'SpiderCoordinator',
    metadata: { name: 'default' },
    spec: { mode: 'auto', podCIDRType: 'cluster', tunePodRoutes: true, hostRuleTable: 500, podRPFilter: 0 },
  },
];

/** What kubelet registers for a node. */
export const nodeObject = (name: string): Obj => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name,
    labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
  },
  status: {
    capacity: { cpu: '24', memory: '16247944Ki', pods: '110' },
    allocatable: { cpu: '24', memory: '16247944Ki', pods: '110' },
  },
});

export const seedPolicy = (): Obj => ({
  apiVersion: 'sriovnetwork.openshift.io/v1',
  kind: 'SriovNetworkNodePolicy',
  metadata: { name: 'policy1', namespace: SRIOV_NS },
  spec: {
    deviceType: 'netdevice',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    nicSelector: { pfNames: ['enp4s0f0np0'] },
    numVfs: 8,
    resourceName: 'sriov_netdevice',
  },
});

/** The seed's pool; `multusName` as the seed writes it (a scalar) or as the CRD types it (a list). */
export const seedPool = (multusName: 'scalar' | 'list'): Obj => ({
  apiVersion: SP,
  kind: 'SpiderIPPool',
  metadata: { name: 'ippool-test' },
  spec: {
    default: true,
    ips: ['10.20.168.190-10.20.168.199'],
    subnet: '10.20.0.0/16',
    gateway: '10.20.0.1',
    multusName: multusName === 'scalar' ? 'kube-system/sriov-test' : ['kube-system/sriov-test'],
  },
});

export const seedMultusConfig = (): Obj => ({
  apiVersion: SP,
  kind: 'SpiderMultusConfig',
  metadata: { name: 'sriov-test', namespace: 'kube-system' },
  spec: { cniType: 'sriov', sriov: { resourceName: SEED_RESOURCE } },
});

export const POD_TEMPLATE = {
  metadata: {
    annotations: { 'v1.multus-cni.io/default-network': 'kube-system/sriov-test' },
    labels: { app: 'sriov-deploy' },
  },
  spec: {
    containers: [
      {
        name: 'sriov-deploy',
        image: 'nginx',
        imagePullPolicy: 'IfNotPresent',
        ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
        resources: { requests: { [SEED_RESOURCE]: '1' }, limits: { [SEED_RESOURCE]: '1' } },
      },
    ],
  },
};

export const seedDeployment = (): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'sriov-deploy', namespace: 'default' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'sriov-deploy' } }, template: POD_TEMPLATE },
});

export const seedService = (): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'sriov-deploy-svc', namespace: 'default', labels: { app: 'sriov-deploy' } },
  spec: {
    type: 'ClusterIP',
    ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    selector: { app: 'sriov-deploy' },
  },
});

/** Writes `objects` as one YAML file (documents separated by `---`); returns its path. */
export const writeManifest = (dir: string, name: string, objects: readonly Obj[]): string => {
  const path = join(dir, name);
  writeFileSync(path, objects.map((o) => `---\n${toYaml(o)}`).join(''));
  return path;
};
