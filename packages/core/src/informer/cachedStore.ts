// A Store that reads from informers and writes to the server: get/list of a kind whose whole-kind informer
// has synced are answered from its cache (no request); everything else, and every write, goes to the
// wrapped store. Writes are recorded in the cache when they succeed (so this process reads its own writes
// at once). A Conflict marks the object: the next get is never answered with the version that was refused.
// It is served from the cache once the cache has seen a newer version: at once if it has, else after waiting
// (at most `conflictWaitMs`, through the informer set's injected sleep, only while the watch is live) for the
// watch to deliver one; when none arrives in time, from the server (and the answer refreshes the cache).
// Waiting saves the GET of the whole object, whose newer version is on its way down the watch anyway
// (docs/adr/0030-pool-contention.md).
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
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
import { isNewer, keyOf, objectKey } from './objectCache.ts';
import { createStopSignal } from './stopSignal.ts';

/** How long a get after a Conflict waits for the watch to bring a newer version (ms) by default. */
export const DEFAULT_CONFLICT_WAIT_MS = 50;

export interface CachedStoreOptions {
  /**
   * Kinds whose cache miss is asked of the server instead of answered NotFound (default: Pod, whose object
   * can be newer than the agent's cache when its first CNI ADD arrives).
   */
  readThroughKinds?: readonly string[];
  /**
   * Most a get after a Conflict waits for the cache to show a version other than the refused one before it
   * reads from the server instead (default DEFAULT_CONFLICT_WAIT_MS; 0: read from the server at once).
   */
  conflictWaitMs?: number;
}

/** Counters of what the cached store answered itself and what it passed on. */
export interface CachedStoreStats {
  cacheReads: number;
  serverReads: number;
  writes: number;
  conflicts: number;
  /** Gets after a Conflict that waited for the watch (the cache still held the refused version). */
  conflictWaits: number;
  /** ... of which the watch delivered a newer version in time (no server read). */
  conflictWaitsSeen: number;
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
  const stats: CachedStoreStats = {
    cacheReads: 0,
    serverReads: 0,
    writes: 0,
    conflicts: 0,
    conflictWaits: 0,
    conflictWaitsSeen: 0,
  };
  const waitMs = Math.max(0, options.conflictWaitMs ?? DEFAULT_CONFLICT_WAIT_MS);

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

  /** Resolves true as soon as `inf` holds a version of the object newer than `refused`, false at the deadline. */
  const newerArrives = <T extends KubeObject>(
    inf: Informer<T>,
    key: string,
    refused: string,
  ): Promise<boolean> =>
    new Promise((resolve) => {
      const signal = createStopSignal();
      let unsubscribe = (): void => {};
      const finish = (seen: boolean): void => {
        unsubscribe();
        signal.abort();
        resolve(seen);
      };
      unsubscribe = inf.subscribe((ev) => {
        if (keyOf(ev.object) === key && isNewer(ev.object.metadata.resourceVersion, refused)) finish(true);
      });
      const deadline = (): void => finish(false);
      void informers.sleep(waitMs, signal).then(deadline, deadline);
    });

  /** A get of an object whose last write was refused at version `refused`. */
  const afterConflict = <T extends KubeObject>(
    inf: Informer<T>,
    ref: ObjectRef & { name: string },
    ns: string | undefined,
    refused: string,
  ): ResultAsync<T, StoreError> => {
    const cachedNewer = (): T | undefined => {
      const cached = inf.get(ref.name, ns);
      return cached !== undefined && isNewer(cached.metadata.resourceVersion, refused) ? cached : undefined;
    };
    const now = cachedNewer();
    if (now !== undefined) {
      stats.cacheReads++;
      return okAsync(now);
    }
    if (waitMs === 0 || inf.health().state !== 'watching') return fromServer<T>(ref);
    stats.conflictWaits++;
    const waited = newerArrives(inf, objectKey(ns, ref.name), refused);
    return ResultAsync.fromSafePromise(waited).andThen((seen) => {
      const fresh = seen ? cachedNewer() : undefined;
      if (fresh === undefined) return fromServer<T>(ref);
      stats.conflictWaitsSeen++;
      stats.cacheReads++;
      return okAsync(fresh);
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
      if (refused !== undefined) {
        stale.delete(sk);
        return afterConflict(inf, { ...ref, name: ref.name }, ns, refused);
      }
      const cached = inf.get(ref.name, ns);
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
