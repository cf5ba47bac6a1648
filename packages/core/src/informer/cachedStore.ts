// A Store that reads from informers and writes to the server: get/list of a kind whose whole-kind informer
// has synced are answered from its cache (no request); everything else, and every write, goes to the
// wrapped store. Writes are recorded in the cache when they succeed (so this process reads its own writes
// at once). A Conflict marks the object: the next get is served from the cache only if the cache has since
// seen a newer version, otherwise from the server (and the answer refreshes the cache).
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { compileLabelSelector } from '../api/labelSelector.ts';
import type { KubeObject } from '../api/meta.ts';
import { mapAsync, mapErrAsync } from '../result/index.ts';
import {
  type DeleteOptions,
  type DeleteResult,
  type ListOptions,
  type ObjectList,
  type ObjectRef,
  type Store,
  type StoreError,
  storeInvalid,
  storeNotFound,
  type WatchHandle,
  type WatchListener,
  type WatchOptions,
} from '../store/index.ts';
import type { Informer } from './informer.ts';
import type { InformerSet } from './informerSet.ts';
import { isNewer, objectKey } from './objectCache.ts';

export interface CachedStoreOptions {
  /**
   * Kinds whose cache miss is asked of the server instead of answered NotFound (default: Pod, whose object
   * can be newer than the agent's cache when its first CNI ADD arrives).
   */
  readThroughKinds?: readonly string[];
}

/** Counters of what the cached store answered itself and what it passed on. */
export interface CachedStoreStats {
  cacheReads: number;
  serverReads: number;
  writes: number;
  conflicts: number;
}

export interface CachedStore extends Store {
  readonly stats: CachedStoreStats;
}

export const createCachedStore = (
  store: Store,
  informers: InformerSet,
  options: CachedStoreOptions = {},
): CachedStore => {
  const readThrough = new Set(options.readThroughKinds ?? ['Pod']);
  /** `kind/ns/name` -> the version a write of ours was refused at (Conflict). */
  const stale = new Map<string, string>();
  const stats: CachedStoreStats = { cacheReads: 0, serverReads: 0, writes: 0, conflicts: 0 };

  const cacheOf = (kind: string): Informer | undefined => {
    const inf = informers.whole(kind);
    return inf?.hasSynced() && inf.health().state !== 'stopped' ? inf : undefined;
  };
  const namespaceOf = (kind: string, ns: string | undefined): string | undefined =>
    store.kinds.lookup(kind).match(
      (info) => (info.namespaced ? ns : undefined),
      () => ns,
    );
  const staleKey = (kind: string, ns: string | undefined, name: string) => `${kind}/${objectKey(ns, name)}`;

  const fromServer = <T extends KubeObject>(ref: ObjectRef): ResultAsync<T, StoreError> => {
    stats.serverReads++;
    return mapAsync(store.get<T>(ref), (o) => {
      cacheOf(ref.kind)?.observe(o);
      return o;
    });
  };

  const recordWrite = <T extends KubeObject>(r: ResultAsync<T, StoreError>, sent: KubeObject) => {
    stats.writes++;
    const recorded = mapAsync(r, (o) => {
      cacheOf(o.kind)?.observe(o);
      stale.delete(staleKey(o.kind, o.metadata.namespace, o.metadata.name));
      return o;
    });
    return mapErrAsync(recorded, (e) => {
      if (e._tag === 'Conflict') {
        stats.conflicts++;
        const ns = namespaceOf(sent.kind, sent.metadata.namespace);
        stale.set(staleKey(sent.kind, ns, sent.metadata.name), sent.metadata.resourceVersion ?? '');
      }
      return e;
    });
  };

  return {
    kinds: store.kinds,
    stats,
    get: <T extends KubeObject = KubeObject>(ref: ObjectRef): ResultAsync<T, StoreError> => {
      const inf = cacheOf(ref.kind) as Informer<T> | undefined;
      if (inf === undefined) return fromServer<T>(ref);
      if (!ref.name) return errAsync(storeInvalid({ kind: ref.kind }, 'metadata.name is required'));
      const ns = namespaceOf(ref.kind, ref.namespace);
      const sk = staleKey(ref.kind, ns, ref.name);
      const refused = stale.get(sk);
      const cached = inf.get(ref.name, ns);
      if (refused !== undefined) {
        if (cached !== undefined && isNewer(cached.metadata.resourceVersion, refused)) {
          stale.delete(sk);
          stats.cacheReads++;
          return okAsync(cached);
        }
        stale.delete(sk);
        return fromServer<T>(ref);
      }
      if (cached !== undefined) {
        stats.cacheReads++;
        return okAsync(cached);
      }
      if (readThrough.has(ref.kind)) return fromServer<T>(ref);
      stats.cacheReads++;
      return errAsync(
        storeNotFound({ kind: ref.kind, name: ref.name, ...(ns === undefined ? {} : { namespace: ns }) }),
      );
    },
    list: <T extends KubeObject = KubeObject>(
      kind: string,
      opts: ListOptions = {},
    ): ResultAsync<ObjectList<T>, StoreError> => {
      const inf = cacheOf(kind) as Informer<T> | undefined;
      if (inf === undefined) {
        stats.serverReads++;
        return store.list<T>(kind, opts);
      }
      if (compileLabelSelector(opts.labelSelector).isErr()) return store.list<T>(kind, opts);
      stats.cacheReads++;
      const ns = namespaceOf(kind, opts.namespace || undefined);
      const items = inf.list({
        ...(ns === undefined ? {} : { namespace: ns }),
        ...(opts.labelSelector === undefined ? {} : { labelSelector: opts.labelSelector }),
      });
      return okAsync({ items, resourceVersion: inf.resourceVersion() });
    },
    create: <T extends KubeObject>(object: T) => recordWrite(store.create(object), object),
    update: <T extends KubeObject>(object: T) => recordWrite(store.update(object), object),
    updateStatus: <T extends KubeObject>(object: T) => recordWrite(store.updateStatus(object), object),
    delete: <T extends KubeObject = KubeObject>(
      ref: ObjectRef,
      opts?: DeleteOptions,
    ): ResultAsync<DeleteResult<T>, StoreError> => {
      stats.writes++;
      return mapAsync(store.delete<T>(ref, opts), (d) => {
        const inf = cacheOf(ref.kind);
        if (d.deleted) inf?.forget(d.object);
        else inf?.observe(d.object);
        return d;
      });
    },
    watch: <T extends KubeObject = KubeObject>(
      kind: string,
      opts: WatchOptions,
      listener: WatchListener<T>,
    ): ResultAsync<WatchHandle, StoreError> => store.watch<T>(kind, opts, listener),
  };
};
