// The manifests the walkthrough applies: namespaces, nodes, SpiderIPPools and the Pods a Deployment's
// ReplicaSet creates.
import {
  type Namespace,
  type Node,
  type Pod,
  SPIDERPOOL_GROUP_VERSION,
  type SpiderIPPool,
} from '@spiderpool-ts/core';

export const namespace = (name: string): Namespace => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});

export const node = (name: string): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' } },
});

export const spiderPool = (name: string, spec: SpiderIPPool['spec']): SpiderIPPool => ({
  apiVersion: SPIDERPOOL_GROUP_VERSION,
  kind: 'SpiderIPPool',
  metadata: { name },
  spec,
});

export interface ReplicaSetRef {
  name: string;
  uid: string;
  hash: string;
}

/** A Pod of a Deployment's ReplicaSet, scheduled to `nodeName`, as the ReplicaSet controller creates it. */
export const deploymentPod = (
  ns: string,
  rs: ReplicaSetRef,
  suffix: string,
  spec: { nodeName: string; annotations: Record<string, string>; labels: Record<string, string> },
): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    namespace: ns,
    name: `${rs.name}-${suffix}`,
    labels: { ...spec.labels, 'pod-template-hash': rs.hash },
    annotations: spec.annotations,
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: rs.name,
        uid: rs.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  },
  spec: { nodeName: spec.nodeName },
  status: { phase: 'Pending' },
});
