// The SpiderCoordinator controller: keeps `default`'s status (phase, reason, overlayPodCIDR, serviceCIDR) in
// step with the cluster (coordinatorStatus.ts). Reconciles on a change of the coordinator or of any source
// (ConfigMaps and the kube-controller-manager Pod in kube-system, ServiceCIDRs, Calico/Cilium pools), and
// every resyncSeconds. Sources the store does not serve are skipped (reported once through onError).
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import type { CoordinatorStatus, KubeObject, SpiderCoordinator } from '../api/index.ts';
import { KIND_SPIDER_COORDINATOR } from '../api/index.ts';
import {
  equalJson,
  type Store,
  type StoreError,
  type WatchHandle,
  type WatchOptions,
} from '../store/index.ts';
import { type CoordinatorDiscoveryOptions, computeCoordinatorStatus } from './coordinatorStatus.ts';
import { createKeyedQueue } from './keyedQueue.ts';
import type { AbortSignalLike, ControllersHandle } from './watchLoop.ts';

export type CoordinatorReconcileOutcome = 'updated' | 'unchanged' | 'absent';

export interface CoordinatorReconcileOptions extends CoordinatorDiscoveryOptions {
  /** The SpiderCoordinator to keep (default `default`). */
  name?: string;
  /** CAS attempts on Conflict (default 5). */
  attempts?: number;
}

/** One reconcile: compute the status and write it (CAS) when it differs. */
export const reconcileCoordinator = (
  store: Store,
  options: CoordinatorReconcileOptions = {},
): ResultAsync<{ outcome: CoordinatorReconcileOutcome; status?: CoordinatorStatus }, StoreError> => {
  const ref = { kind: KIND_SPIDER_COORDINATOR, name: options.name ?? 'default' };
  const attempts = options.attempts ?? 5;
  const attempt = (
    n: number,
  ): ResultAsync<{ outcome: CoordinatorReconcileOutcome; status?: CoordinatorStatus }, StoreError> =>
    store
      .get<SpiderCoordinator>(ref)
      .map((c): SpiderCoordinator | undefined => c)
      .orElse((e) => (e._tag === 'NotFound' ? okAsync(undefined) : errAsync(e)))
      .andThen((c) => {
        if (c === undefined || c.metadata.deletionTimestamp !== undefined) {
          return okAsync({ outcome: 'absent' as const });
        }
        return computeCoordinatorStatus(store, c, options).andThen((status) => {
          if (equalJson(c.status ?? {}, status)) return okAsync({ outcome: 'unchanged' as const, status });
          return store
            .updateStatus<SpiderCoordinator>({ ...c, status })
            .map(() => ({ outcome: 'updated' as const, status }))
            .orElse((e) => (e._tag === 'Conflict' && n < attempts ? attempt(n + 1) : errAsync(e)));
        });
      });
  return attempt(1);
};

export interface CoordinatorControllerOptions extends CoordinatorReconcileOptions {
  signal: AbortSignalLike;
  /** Waits `ms`, resolving early on abort; drives the resync. */
  sleep: (ms: number, signal: AbortSignalLike) => Promise<void>;
  /** Periodic reconcile (default 60 s): catches changes of sources that could not be watched. */
  resyncSeconds?: number;
  onReconciled?: (outcome: CoordinatorReconcileOutcome, status: CoordinatorStatus | undefined) => void;
  onError?: (error: StoreError) => void;
}

export const runCoordinatorController = (
  store: Store,
  options: CoordinatorControllerOptions,
): ResultAsync<ControllersHandle, StoreError> => {
  const name = options.name ?? 'default';
  const queue = createKeyedQueue<string>(options.signal, async () => {
    const r = await reconcileCoordinator(store, options);
    if (r.isErr()) options.onError?.(r.error);
    else options.onReconciled?.(r.value.outcome, r.value.status);
  });
  const wake = (ev: { type: string }): void => {
    if (ev.type !== 'BOOKMARK' && ev.type !== 'ERROR') queue.enqueue(name);
  };
  const sources: [string, WatchOptions][] = [
    ['ConfigMap', {}],
    [
      'Pod',
      { namespace: 'kube-system', labelSelector: { matchLabels: { component: 'kube-controller-manager' } } },
    ],
    ['ServiceCIDR', {}],
    ['IPPool', {}],
    ['CiliumPodIPPool', {}],
  ];
  const main = store.watch<KubeObject>(KIND_SPIDER_COORDINATOR, {}, wake);
  const optional = sources.map(([kind, o]) =>
    store
      .watch<KubeObject>(kind, o, wake)
      .map((h): WatchHandle | undefined => h)
      .orElse((e) => {
        options.onError?.(e);
        return okAsync(undefined);
      }),
  );
  return main.andThen((mainHandle) =>
    ResultAsync.combine(optional).map((hs) => {
      const handles = [mainHandle, ...hs.filter((h): h is WatchHandle => h !== undefined)];
      const close = () => {
        for (const h of handles) h.close();
      };
      if (options.signal.aborted) close();
      else options.signal.addEventListener('abort', close, { once: true });
      void (async () => {
        while (!options.signal.aborted) {
          queue.enqueue(name);
          await options.sleep((options.resyncSeconds ?? 60) * 1000, options.signal);
        }
      })();
      return {
        idle: async () => {
          while (queue.running.size > 0) await Promise.all([...queue.running.values()]);
        },
      };
    }),
  );
};
