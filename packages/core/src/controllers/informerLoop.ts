// What the watch loops of controllers/ run on: one informer per watched kind (shared from the host's
// InformerSet when given, else a set owned by the loop), so a dropped watch, an expired resourceVersion or
// an API server that went away is reported (`onWatchError`) and recovered from (resume, or relist with the
// differences delivered) instead of ending the loop for good. Start is all or none: if one informer cannot
// start, the loop's informers are stopped and the error returned.
import { okAsync, type ResultAsync } from 'neverthrow';
import type { KubeObject } from '../api/index.ts';
import type { InformerError } from '../informer/errors.ts';
import { createInformerSet, type InformerSet } from '../informer/informerSet.ts';
import type { InformerEvent, InformerSleep, InformerTiming } from '../informer/types.ts';
import type { Store } from '../store/index.ts';
import type { AbortSignalLike, ControllersHandle } from './watchLoop.ts';

export interface InformerLoopOptions {
  signal: AbortSignalLike;
  /**
   * Informers shared with the rest of the process (the engine's cached store, webhooks). Absent: the loop
   * creates its own over `store`, with `sleep`/`random`/`backoff`/`onWatchError` below.
   */
  informers?: InformerSet;
  /**
   * Injected time for reconnect backoff. Without it (and without `informers`) a failed watch is retried at
   * once, up to 10 consecutive failures, then the loop reports InformerGaveUp: hosts pass a real sleep.
   */
  sleep?: InformerSleep;
  random?: () => number;
  backoff?: InformerTiming['backoff'];
  /** Deadline of the first list of each kind (default 30 s). */
  startTimeoutMs?: number;
  /** Every list/watch failure and recovery step of the loop's own informers. */
  onWatchError?: (error: InformerError) => void;
}

export interface WatchSpec {
  kind: string;
  listener: (event: InformerEvent<KubeObject>) => void;
}

const NO_SLEEP_MAX_FAILURES = 10;

const ownSet = (store: Store, o: InformerLoopOptions): InformerSet =>
  createInformerSet(store, {
    sleep: o.sleep ?? (() => Promise.resolve()),
    ...(o.sleep === undefined
      ? { maxFailures: NO_SLEEP_MAX_FAILURES, startTimeoutMs: Number.POSITIVE_INFINITY }
      : {}),
    ...(o.random === undefined ? {} : { random: o.random }),
    ...(o.backoff === undefined ? {} : { backoff: o.backoff }),
    ...(o.startTimeoutMs === undefined ? {} : { startTimeoutMs: o.startTimeoutMs }),
    ...(o.onWatchError === undefined ? {} : { onError: o.onWatchError }),
  });

export const startInformerLoop = (
  store: Store,
  specs: readonly WatchSpec[],
  options: InformerLoopOptions,
  running: ReadonlyMap<string, Promise<void>>,
): ResultAsync<ControllersHandle, InformerError> => {
  const owned = options.informers === undefined;
  const set = options.informers ?? ownSet(store, options);
  // replay: informers the host started earlier have already delivered their first list
  const unsubscribe = specs.map((s) => set.informer(s.kind).subscribe(s.listener, { replay: true }));
  const close = (): void => {
    for (const u of unsubscribe) u();
    if (owned) set.stop();
  };
  return set
    .start()
    .mapErr((e) => {
      close();
      return e;
    })
    .andThen(() => {
      if (options.signal.aborted) close();
      else options.signal.addEventListener('abort', close, { once: true });
      return okAsync<ControllersHandle, InformerError>({
        idle: async () => {
          while (running.size > 0) await Promise.all([...running.values()]);
        },
      });
    });
};
