// The reader port the webhooks see the cluster through (pools for overlap checks, subnets for containment,
// SpiderMultusConfigs and Namespaces for the Pod webhook, NADs for the SMC name check). The default reads a
// Store (KubernetesStore: a LIST per review); an informer cache plugs in by implementing `list`.
import type { KubeObject, Store, StoreError } from '@spiderpool-ts/core';
import { okAsync, type ResultAsync } from 'neverthrow';

export interface AdmissionLister {
  /** Every object of `kind` (of one namespace when given), as the API server or a cache has them. */
  list(kind: string, namespace?: string): ResultAsync<readonly KubeObject[], StoreError>;
}

/** A lister over any Store (KubernetesStore, MemoryStore). */
export const storeLister = (store: Store): AdmissionLister => ({
  list: (kind, namespace) =>
    store.list(kind, namespace === undefined ? {} : { namespace }).map((l) => l.items),
});

/** A lister over fixed objects (tests, a one-shot CLI). */
export const staticLister = (objects: readonly KubeObject[]): AdmissionLister => ({
  list: (kind, namespace) =>
    okAsync(
      objects.filter(
        (o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace),
      ),
    ),
});
