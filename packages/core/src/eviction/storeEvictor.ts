// Eviction over any Store: read the Pod, the namespace's budgets and Pods, apply `evictionVerdict`, then
// delete the Pod with its uid as precondition (so a Pod re-created under the same name is not hit).
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { Pod } from '../api/nad.ts';
import type { Store } from '../store/port.ts';
import { evictionVerdict } from './disruption.ts';
import {
  type EvictionError,
  evictionBlocked,
  type PodDisruptionBudget,
  type PodEvictor,
  type PodRef,
} from './types.ts';

export const evictViaStore = (store: Store, ref: PodRef): ResultAsync<void, EvictionError> =>
  store
    .get<Pod>({ kind: 'Pod', namespace: ref.namespace, name: ref.name })
    .andThen((pod) =>
      store
        .list<PodDisruptionBudget>('PodDisruptionBudget', { namespace: ref.namespace })
        .andThen((pdbs) =>
          store.list<Pod>('Pod', { namespace: ref.namespace }).map((pods) => ({ pod, pdbs, pods })),
        ),
    )
    .andThen(({ pod, pdbs, pods }): ResultAsync<void, EvictionError> => {
      const verdict = evictionVerdict(pod, pdbs.items, pods.items);
      if (!verdict.allowed) return errAsync(evictionBlocked(ref, verdict.budget, verdict.reason));
      const uid = pod.metadata.uid;
      return store
        .delete(
          { kind: 'Pod', namespace: ref.namespace, name: ref.name },
          uid ? { preconditions: { uid } } : {},
        )
        .map(() => undefined);
    })
    .orElse((e) => (e._tag === 'NotFound' ? okAsync(undefined) : errAsync(e)));

/** A PodEvictor over a Store (MemoryStore, the emulator's store, or any other implementation). */
export const createStoreEvictor = (store: Store): PodEvictor => ({
  evict: (ref) => evictViaStore(store, ref),
});

/** Whether a value (e.g. a KubernetesStore) implements PodEvictor itself. */
export const isPodEvictor = (v: unknown): v is PodEvictor =>
  typeof v === 'object' && v !== null && typeof (v as { evict?: unknown }).evict === 'function';
