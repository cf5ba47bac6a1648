// The subset of Kubernetes apimachinery types that the Spiderpool CRDs use (metav1).
// Field names and optionality follow the Kubernetes JSON encoding, so objects read from a cluster fit as-is.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  /** Absent (or "") for cluster-scoped kinds. */
  namespace?: string;
  uid?: string;
  /** Opaque; the Store sets it on every write and compares it on update (compare-and-swap). */
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  /** RFC 3339. Set by the Store when an object with finalizers is deleted. */
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
}

export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  key: string;
  operator: LabelSelectorOperator;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** Every object a Store holds: a typed kind plus metadata. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}
