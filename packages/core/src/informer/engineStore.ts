// The engine's view of the cluster through informers: the kinds an IPAM ADD/DEL reads on every call (pools,
// reserved IPs, Namespaces, Nodes, Pods) are served from caches, so the hot path is the pool status write,
// the SpiderEndpoint GET and the SpiderEndpoint create. SpiderEndpoints are read from the server, one GET of
// the Pod's own endpoint per ADD/DEL: a whole-kind watch sent every agent every endpoint write in the cluster
// (N agents x every Pod start), which cost more than the GET (docs/adr/0034-endpoints-read-through.md).
// Owners (ReplicaSet, Job, StatefulSet, KubeVirt) are read from the server too.
import { KIND_POD, KIND_SPIDER_IPPOOL, KIND_SPIDER_RESERVED_IP } from '../api/constants.ts';
import type { Store } from '../store/index.ts';
import { type CachedStore, type CachedStoreOptions, createCachedStore } from './cachedStore.ts';
import type { InformerSet } from './informerSet.ts';

/** What the IPAM engine reads on every ADD/DEL from caches (SpiderEndpoints: from the server, ADR 0034). */
export const ENGINE_INFORMER_KINDS: readonly string[] = [
  KIND_SPIDER_IPPOOL,
  KIND_SPIDER_RESERVED_IP,
  'Namespace',
  'Node',
  KIND_POD,
];

export interface EngineStoreOptions extends CachedStoreOptions {
  /** Kinds to cache (default ENGINE_INFORMER_KINDS). */
  kinds?: readonly string[];
}

/**
 * Registers a whole-kind informer per engine kind in `informers` (start the set before serving) and returns
 * the Store to give the engine: reads from the caches, writes to `store`.
 */
export const createEngineStore = (
  store: Store,
  informers: InformerSet,
  options: EngineStoreOptions = {},
): CachedStore => {
  for (const kind of options.kinds ?? ENGINE_INFORMER_KINDS) informers.informer(kind);
  return createCachedStore(store, informers, options);
};
