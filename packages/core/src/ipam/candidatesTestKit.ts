// Builders for selection tests (pools, Pods, Namespaces, Nodes, inputs). Not exported from the barrel.
import type { IPPoolSpec, Namespace, Node, Pod, SpiderIPPool } from '../api/index.ts';
import type { SelectCandidatesInput } from './candidates.ts';
import { DEFAULT_IPAM_SETTINGS } from './types.ts';

export const mkPool = (
  name: string,
  spec: Partial<IPPoolSpec> = {},
  meta: Partial<SpiderIPPool['metadata']> = {},
): SpiderIPPool => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: { name, ...meta },
  spec: { subnet: '10.20.0.0/16', ipVersion: 4, ...spec },
});

export const mkPool6 = (name: string, spec: Partial<IPPoolSpec> = {}): SpiderIPPool =>
  mkPool(name, { subnet: 'fd00::/64', ipVersion: 6, ...spec });

export const mkPod = (
  annotations: Record<string, string> = {},
  meta: Partial<Pod['metadata']> = {},
  nodeName = 'worker1',
): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'sriov-deploy-6d4b8-abcde', namespace: 'default', uid: 'uid-1', annotations, ...meta },
  spec: { nodeName },
});

export const mkNamespace = (
  annotations: Record<string, string> = {},
  labels: Record<string, string> = {},
  name = 'default',
): Namespace => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, annotations, labels } });

export const mkNode = (labels: Record<string, string> = {}, name = 'worker1'): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels },
});

/** The seed: `ippool-test`, default, multusName kube-system/sriov-test. */
export const seedPool = (): SpiderIPPool =>
  mkPool('ippool-test', {
    subnet: '10.20.0.0/16',
    ips: ['10.20.168.190-10.20.168.199'],
    gateway: '10.20.0.1',
    default: true,
    multusName: ['kube-system/sriov-test'],
  });

export const mkInput = (over: Partial<SelectCandidatesInput> = {}): SelectCandidatesInput => ({
  pod: mkPod(),
  namespace: mkNamespace(),
  node: mkNode(),
  ifName: 'eth0',
  ipamConfig: {},
  pools: [],
  settings: { ...DEFAULT_IPAM_SETTINGS, multusClusterNetwork: 'kube-system/macvlan-default' },
  ...over,
});
