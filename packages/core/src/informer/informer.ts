// One informer: list + watch cache of one kind (optionally one namespace / label selector) over any Store.
// A supervisor loop keeps it current: the watch ends (ERROR, dropped stream, server gone) -> report, wait
// with capped exponential backoff and jitter, resume from the last version; 410 Gone -> list again and
// deliver the differences, so nothing is lost. `start()` resolves once the first list is in the cache, or
// fails with a typed error at its deadline. Pure: time comes in as `sleep`/`random`.
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { compileLabelSelector } from '../api/labelSelector.ts';
import type { KubeObject } from '../api/meta.ts';
import { backoffDelay, type RetryPolicy } from '../ipam/retry.ts';
import {
  type Store,
  type StoreError,
  storeInvalid,
  type WatchEvent,
  type WatchHandle,
} from '../store/index.ts';
import { gaveUp, type InformerError, listFailed, startFailed, startTimeout, watchFailed } from './errors.ts';
import { keyOf, ObjectCache, objectKey } from './objectCache.ts';
import { createStopSignal, type StopSignal } from './stopSignal.ts';
import type {
  InformerEvent,
  InformerHealth,
  InformerListener,
  InformerOptions,
  InformerScope,
  InformerState,
} from './types.ts';

export const DEFAULT_INFORMER_BACKOFF: RetryPolicy = {
  attempts: Number.POSITIVE_INFINITY,
  baseMs: 1000,
  factor: 2,
  capMs: 30_000,
  jitter: 0.5,
};
export const DEFAULT_START_TIMEOUT_MS = 30_000;

export interface Informer<T extends KubeObject = KubeObject> {
  readonly kind: string;
  readonly scope: Readonly<InformerScope>;
  /** Lists (retrying Unavailable with backoff) and starts watching; Err at the deadline or on a refused request. */
  start(): ResultAsync<void, InformerError>;
  /** Stops the watch and every timer; idempotent. */
  stop(): void;
  hasSynced(): boolean;
  /** A copy of the cached object, or undefined. */
  get(name: string, namespace?: string): T | undefined;
  /** Copies of the cached objects (sorted by namespace, then name), optionally narrowed. */
  list(filter?: InformerScope): T[];
  /** The version the cache reflects (the last list or event). */
  resourceVersion(): string;
  /**
   * Receives every cache change; returns the unsubscribe function. Listeners must not throw. `replay`: a
   * listener joining a synced informer first gets every cached object as ADDED (before that, the first
   * list delivers them anyway), as a new watch from version 0 would.
   */
  subscribe(listener: InformerListener<T>, options?: { replay?: boolean }): () => void;
  health(): InformerHealth;
  /** Records an object this process wrote (kept if newer than the cached copy). */
  observe(object: T): void;
  /** Records an object this process deleted. */
  forget(object: T): void;
}

/** Start failures no retry can fix soon: the request itself is wrong, or the credentials are refused. */
const fatalAtStart = (e: StoreError): boolean =>
  e._tag === 'Invalid' || e._tag === 'NotFound' || e._tag === 'Unauthorized';

const sortKey = (o: KubeObject): string => `${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`;

export const createInformer = <T extends KubeObject = KubeObject>(
  store: Store,
  options: InformerOptions,
): Informer<T> => {
  const { kind } = options;
  const scope: InformerScope = {
    ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    ...(options.labelSelector === undefined ? {} : { labelSelector: options.labelSelector }),
  };
  const policy: RetryPolicy = { ...DEFAULT_INFORMER_BACKOFF, ...options.backoff };
  const random = options.random ?? (() => 0.5);
  const cache = new ObjectCache<T>();
  const listeners = new Set<InformerListener<T>>();
  const stopSignal: StopSignal = createStopSignal();
  let state: InformerState = 'new';
  let synced = false;
  let rv = '';
  let relists = 0;
  let reconnects = 0;
  let failures = 0;
  let lastError: InformerError | undefined;
  let watch: WatchHandle | undefined;
  let started: ResultAsync<void, InformerError> | undefined;
  /** Ends the current watchOnce (stop() resolves it). */
  let endWatch: (e: StoreError | undefined) => void = () => {};

  const emit = (ev: InformerEvent<T>): void => {
    for (const l of [...listeners]) l(ev);
  };
  const report = (e: InformerError): void => {
    lastError = e;
    options.onError?.(e);
  };
  const sleep = (ms: number): Promise<void> =>
    stopSignal.aborted ? Promise.resolve() : options.sleep(ms, stopSignal);
  const delay = (attempt: number): number => backoffDelay(policy, attempt, random);
  /** Counts a failure; false when the informer gives up. */
  const fail = (cause: StoreError): boolean => {
    failures++;
    if (options.maxFailures !== undefined && failures >= options.maxFailures) {
      report(gaveUp(kind, failures, cause));
      stop();
      return false;
    }
    return true;
  };

  const stoppedError = (): InformerError =>
    startFailed(kind, storeInvalid({ kind }, 'the informer was stopped'));

  const list = () =>
    store.list<T>(kind, {
      ...(scope.namespace === undefined ? {} : { namespace: scope.namespace }),
      ...(scope.labelSelector === undefined ? {} : { labelSelector: scope.labelSelector }),
    });

  const applyList = (items: readonly T[], version: string): void => {
    const events = cache.replace(items);
    rv = version;
    failures = 0;
    synced = true;
    for (const ev of events) emit(ev);
  };

  /** Watches from `from`; resolves with the error that ended the watch (undefined when stopped). */
  const watchOnce = (from: string): Promise<StoreError | undefined> =>
    new Promise((resolve) => {
      let done = false;
      const end = (e: StoreError | undefined): void => {
        if (done) return;
        done = true;
        watch?.close();
        watch = undefined;
        resolve(e);
      };
      const onEvent = (ev: WatchEvent<T>): void => {
        if (done || stopSignal.aborted) return;
        if (ev.type === 'ERROR') {
          end(ev.error);
          return;
        }
        failures = 0;
        if (state === 'recovering') state = 'watching';
        if (ev.type === 'BOOKMARK') {
          if (ev.resourceVersion) rv = ev.resourceVersion;
          return;
        }
        if (ev.object.metadata.resourceVersion) rv = ev.object.metadata.resourceVersion;
        emit(cache.apply(ev.type, ev.object));
      };
      endWatch = end;
      void store.watch<T>(kind, { ...scope, resourceVersion: from }, onEvent).then((r) => {
        if (r.isErr()) return end(r.error);
        if (done) r.value.close();
        else watch = r.value;
      });
    });

  /** The supervisor: watch, and on every end report, back off and resume or relist, until stopped. */
  const supervise = async (): Promise<void> => {
    let relist = false;
    while (!stopSignal.aborted) {
      if (relist) {
        const listed = await list();
        if (stopSignal.aborted) return;
        if (listed.isErr()) {
          if (!fail(listed.error)) return;
          const wait = delay(failures);
          report(listFailed(kind, listed.error, failures, wait));
          await sleep(wait);
          continue;
        }
        relists++;
        applyList(listed.value.items, listed.value.resourceVersion);
        relist = false;
      }
      state = 'watching';
      const ended = await watchOnce(rv);
      if (ended === undefined || stopSignal.aborted) return;
      state = 'recovering';
      if (!fail(ended)) return;
      relist = ended._tag === 'Gone';
      // A first Gone relists at once (as client-go does); repeated failures back off.
      const wait = relist && failures === 1 ? 0 : delay(failures);
      report(watchFailed(kind, ended, failures, { inMs: wait, relist }));
      if (wait > 0) await sleep(wait);
      if (!relist) reconnects++;
    }
  };

  const resyncLoop = async (ms: number): Promise<void> => {
    while (!stopSignal.aborted) {
      await sleep(ms);
      if (stopSignal.aborted) return;
      for (const object of [...cache.values()])
        emit({ type: 'MODIFIED', object, previous: object, resync: true });
    }
  };

  /** The first list, retried (Unavailable, Gone) with backoff until it succeeds or the informer stops. */
  const firstList = async (): Promise<{ ok: true } | { ok: false; error: InformerError }> => {
    for (;;) {
      const listed = await list();
      if (stopSignal.aborted) return { ok: false, error: stoppedError() };
      if (listed.isOk()) {
        applyList(listed.value.items, listed.value.resourceVersion);
        return { ok: true };
      }
      if (fatalAtStart(listed.error)) return { ok: false, error: startFailed(kind, listed.error) };
      if (!fail(listed.error)) return { ok: false, error: lastError ?? startFailed(kind, listed.error) };
      const wait = delay(failures);
      report(listFailed(kind, listed.error, failures, wait));
      await sleep(wait);
    }
  };

  const start = (): ResultAsync<void, InformerError> => {
    if (started !== undefined) return started;
    if (stopSignal.aborted) return errAsync(stoppedError());
    state = 'starting';
    const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const deadline = createStopSignal();
    // No deadline (Infinity) only for hosts without a clock; everything else fails at the deadline.
    const timer = Number.isFinite(timeoutMs)
      ? options.sleep(timeoutMs, deadline).then(() => 'timeout' as const)
      : new Promise<never>(() => {});
    const run = async (): Promise<ResultAsync<void, InformerError>> => {
      const first = await Promise.race([firstList(), timer]);
      deadline.abort();
      if (first === 'timeout') {
        const cause = lastError !== undefined && 'cause' in lastError ? lastError.cause : undefined;
        const e = startTimeout(kind, timeoutMs, cause);
        report(e);
        stop();
        return errAsync(e);
      }
      if (!first.ok) {
        stop();
        return errAsync(first.error);
      }
      void supervise();
      if (options.resyncMs !== undefined && options.resyncMs > 0) void resyncLoop(options.resyncMs);
      return okAsync(undefined);
    };
    started = ResultAsync.fromSafePromise(run()).andThen((r) => r);
    return started;
  };

  const stop = (): void => {
    if (stopSignal.aborted) return;
    state = 'stopped';
    stopSignal.abort();
    endWatch(undefined);
  };

  const matches = (filter: InformerScope | undefined) => {
    const sel = compileLabelSelector(filter?.labelSelector);
    const test = sel.isOk() ? sel.value : () => false;
    return (o: T): boolean =>
      (filter?.namespace === undefined || o.metadata.namespace === filter.namespace) &&
      test(o.metadata.labels ?? {});
  };

  return {
    kind,
    scope,
    start,
    stop,
    hasSynced: () => synced,
    get: (name, namespace) => cache.get(objectKey(namespace, name)),
    list: (filter) => {
      const keep = matches(filter);
      const out: T[] = [];
      for (const o of cache.values()) if (keep(o)) out.push(o);
      out.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
      return out.map((o) => cache.get(keyOf(o)) as T);
    },
    resourceVersion: () => rv,
    subscribe: (l, opts) => {
      if (opts?.replay === true && synced)
        for (const object of [...cache.values()]) l({ type: 'ADDED', object });
      listeners.add(l);
      return () => listeners.delete(l);
    },
    health: () => ({
      kind,
      state,
      synced,
      objects: cache.size,
      resourceVersion: rv,
      relists,
      reconnects,
      consecutiveFailures: failures,
      ...(lastError === undefined ? {} : { lastError }),
    }),
    observe: (o) => {
      cache.observe(o);
    },
    forget: (o) => cache.forget(o),
  };
};
