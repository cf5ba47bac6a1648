// The Eviction API as a port: evict one Pod the way `POST pods/<name>/eviction` (policy/v1 Eviction) does,
// PodDisruptionBudgets respected. KubernetesStore implements it with the real subresource; over any other
// Store, `createStoreEvictor` runs the same budget check and deletes.
import type { ResultAsync } from 'neverthrow';
import type { LabelSelector, ObjectMeta } from '../api/meta.ts';
import type { StoreError } from '../store/errors.ts';

/** policy/v1 PodDisruptionBudget (the fields the eviction check reads). */
export interface PodDisruptionBudget {
  apiVersion: string;
  kind: 'PodDisruptionBudget';
  metadata: ObjectMeta;
  spec?: {
    /** An integer or a percentage string (`"50%"`). */
    minAvailable?: number | string;
    maxUnavailable?: number | string;
    selector?: LabelSelector;
  };
  status?: {
    disruptionsAllowed?: number;
    currentHealthy?: number;
    desiredHealthy?: number;
    expectedPods?: number;
  };
}

export interface EvictionBlocked {
  _tag: 'EvictionBlocked';
  namespace: string;
  pod: string;
  /** The budget that blocks it (empty when the server did not say). */
  budget: string;
  /** The server's / check's words, e.g. `The disruption budget web needs 2 healthy pods and has 2 currently`. */
  reason: string;
  message: string;
}

export type EvictionError = EvictionBlocked | StoreError;

export interface PodRef {
  namespace: string;
  name: string;
}

export interface PodEvictor {
  /** Ok when the Pod was evicted (or was already gone); Err EvictionBlocked when a budget forbids it. */
  evict(pod: PodRef): ResultAsync<void, EvictionError>;
}

export const evictionBlocked = (pod: PodRef, budget: string, reason: string): EvictionBlocked => ({
  _tag: 'EvictionBlocked',
  namespace: pod.namespace,
  pod: pod.name,
  budget,
  reason,
  message: `cannot evict pod ${pod.namespace}/${pod.name}: ${reason}`,
});
