// Multus NetworkAttachmentDefinition (k8s.cni.cncf.io/v1) and the minimal core/v1 kinds the IPAM engine reads.

import type { ObjectMeta } from './meta.ts';

export interface NetworkAttachmentDefinitionSpec {
  /** CNI conf list JSON; "" for a custom SMC with an empty customCNI (Go's field has no omitempty). */
  config?: string;
}

export interface NetworkAttachmentDefinition {
  apiVersion: string;
  kind: 'NetworkAttachmentDefinition';
  metadata: ObjectMeta;
  spec?: NetworkAttachmentDefinitionSpec;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface PodIP {
  ip: string;
}

/** core/v1 `RestartPolicy`. */
export type PodRestartPolicy = 'Always' | 'OnFailure' | 'Never';

export interface PodSpec {
  nodeName?: string;
  /** Absent means `Always` (the API server default). Read by the IPAM pod-alive rule. */
  restartPolicy?: PodRestartPolicy;
  hostNetwork?: boolean;
  terminationGracePeriodSeconds?: number;
}

export interface PodStatus {
  phase?: PodPhase;
  /** A brief CamelCase reason, e.g. `Evicted` for a Pod the kubelet evicted. */
  reason?: string;
  podIPs?: PodIP[];
}

/** The parts of a core/v1 Pod Spiderpool looks at (metadata carries ownerReferences and annotations). */
export interface Pod {
  apiVersion: string;
  kind: 'Pod';
  metadata: ObjectMeta;
  spec?: PodSpec;
  status?: PodStatus;
}

export interface Namespace {
  apiVersion: string;
  kind: 'Namespace';
  metadata: ObjectMeta;
}

export interface Node {
  apiVersion: string;
  kind: 'Node';
  metadata: ObjectMeta;
}
