// The SR-IOV node config daemon (one per node, the role of sriov-network-config-daemon): reconcile passes
// run one at a time, triggered by a watch of the policies, a watch of this Node (its labels select
// policies), and a periodic resync; a trigger during a pass runs one more pass after it. A watch that ends
// with an ERROR is re-opened after `rewatchMs`. `stop()` closes the watches and the timer and waits for the
// running pass.
import {
  KIND_SRIOV_NODE_POLICY,
  type KubeObject,
  type WatchEvent,
  type WatchHandle,
} from '@spiderpool-ts/core';
import { errAsync, type ResultAsync } from 'neverthrow';
import { type DaemonError, storeFailed } from './errors.ts';
import { type ResolvedOptions, resolveOptions, type SriovConfigDaemonOptions } from './options.ts';
import { type ReconcileOutcome, reconcileOnce } from './reconcile.ts';

export interface SriovConfigDaemon {
  /** Runs a pass now (after the running one) and resolves with its outcome. */
  reconcileNow(): Promise<ReconcileOutcome>;
  /** Resolves when no pass is running or queued. */
  idle(): Promise<void>;
  /** The last finished pass. */
  readonly last: ReconcileOutcome | undefined;
  stop(): Promise<void>;
}

const REWATCH_MS = 1_000;

export const startSriovConfigDaemon = (
  options: SriovConfigDaemonOptions,
): ResultAsync<SriovConfigDaemon, DaemonError> => {
  const o: ResolvedOptions = resolveOptions(options);
  let stopped = false;
  let last: ReconcileOutcome | undefined;
  let chain: Promise<void> = Promise.resolve();
  let queued: Promise<ReconcileOutcome> | undefined;
  const handles = new Map<string, WatchHandle>();
  const timers = new Set<NodeJS.Timeout>();

  const pass = async (): Promise<ReconcileOutcome> => {
    const r = await reconcileOnce(o);
    const outcome: ReconcileOutcome = r.isOk()
      ? r.value
      : { syncStatus: 'Failed', lastSyncError: r.error.message, changes: [], evicted: [], refused: [] };
    last = outcome;
    o.onPass(outcome);
    return outcome;
  };

  /** Coalesces triggers: at most one pass queued behind the running one. */
  const trigger = (): Promise<ReconcileOutcome> => {
    if (queued) return queued;
    const next = chain.then(() => {
      queued = undefined;
      return pass();
    });
    queued = next;
    chain = next.then(() => undefined);
    return next;
  };

  const later = (fn: () => void, ms: number): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopped) fn();
    }, ms);
    timers.add(t);
  };

  const watch = (
    key: string,
    kind: string,
    namespace: string | undefined,
    relevant: (o: KubeObject) => boolean,
  ) =>
    o.store
      .watch(kind, namespace ? { namespace } : {}, (e: WatchEvent<KubeObject>) => {
        if (stopped) return;
        if (e.type === 'ERROR') {
          handles.get(key)?.close();
          handles.delete(key);
          later(() => void open(key, kind, namespace, relevant), REWATCH_MS);
          return;
        }
        if (e.type !== 'BOOKMARK' && relevant(e.object)) void trigger();
      })
      .mapErr((e) => storeFailed(`watch ${kind}`, e));

  const open = (
    key: string,
    kind: string,
    namespace: string | undefined,
    relevant: (o: KubeObject) => boolean,
  ) =>
    watch(key, kind, namespace, relevant).map((h): boolean => {
      if (stopped) h.close();
      else handles.set(key, h);
      return !stopped;
    });

  // Only a change of this Node's labels matters (they select policies); the daemon's own cordon/uncordon
  // must not trigger a pass, or a blocked drain would cordon and uncordon in a loop.
  let seenLabels: string | undefined;
  const nodeLabelsChanged = (n: KubeObject): boolean => {
    if (n.metadata.name !== o.nodeName) return false;
    const labels = JSON.stringify(Object.entries(n.metadata.labels ?? {}).sort());
    const changed = labels !== seenLabels;
    seenLabels = labels;
    return changed;
  };

  const resync = (): void => {
    void trigger();
    later(resync, o.resyncMs);
  };

  return open('policies', KIND_SRIOV_NODE_POLICY, o.namespace, () => true)
    .andThen(() => open('node', 'Node', undefined, nodeLabelsChanged))
    .map((): SriovConfigDaemon => {
      later(resync, o.resyncMs);
      void trigger();
      return {
        reconcileNow: trigger,
        idle: async () => {
          for (;;) {
            const c = chain;
            await c;
            if (c === chain && !queued) return;
          }
        },
        get last() {
          return last;
        },
        stop: async () => {
          stopped = true;
          for (const h of handles.values()) h.close();
          handles.clear();
          for (const t of timers) clearTimeout(t);
          timers.clear();
          await chain;
        },
      };
    })
    .orElse((e) => {
      stopped = true;
      for (const h of handles.values()) h.close();
      handles.clear();
      return errAsync(e);
    });
};
