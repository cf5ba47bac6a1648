// `reconcileApplicationPools`: the SpiderSubnet auto-pool controller for one application (reference §3.9,
// Spiderpool `SubnetAppController.syncHandler` + `ReconcileAutoIPPool`). For every NIC and family of the
// pod template's `ipam.spidernet.io/subnet(s)` annotation: find the app's auto-pool, reserve the desired
// number of addresses in the subnet status (CAS, lowest free first), then create or update the pool (webhook
// defaulting and validation applied). A pool write that loses a race (Conflict / AlreadyExists) starts that
// NIC/family over from fresh reads. When the application is gone, its reclaimable pools are deleted.
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import type { SpiderIPPool } from '../api/index.ts';
import { LABEL_IPPOOL_OWNER_APP_UID } from '../api/index.ts';
import { applicationKey } from '../ipam/index.ts';
import type { Store } from '../store/index.ts';
import {
  AUTO_POOL_APP_KINDS,
  type AutoPoolIntent,
  type AutoPoolSettings,
  DEFAULT_AUTO_POOL_SETTINGS,
  readAutoPoolIntent,
  type SkipReason,
  type WorkloadObject,
} from './autoPoolApp.ts';
import {
  type ApplicationRef,
  type AutoPoolChange,
  deleteAutoPools,
  dropOrphanEntries,
  isPoolOfApp,
  isReclaimed,
} from './autoPoolDelete.ts';
import { type AutoPoolControllerError, autoPoolStore } from './autoPoolErrors.ts';
import {
  type ItemContext,
  listPools,
  readReserved,
  reconcileAutoPoolItem,
  withoutUid,
} from './autoPoolItem.ts';

export interface AutoPoolReconcileOptions {
  /** Defaults: DEFAULT_AUTO_POOL_SETTINGS (fields given here override). */
  settings?: Partial<AutoPoolSettings>;
  /** Tries of one NIC/family when its pool write loses a race (default 8). */
  attempts?: number;
}

export type ApplicationReconcileOutcome =
  | { _tag: 'Skipped'; reason: SkipReason; pools: AutoPoolChange[] }
  | { _tag: 'Reconciled'; pools: AutoPoolChange[] }
  | { _tag: 'ApplicationGone'; pools: AutoPoolChange[] };

export const itemsOf = (intent: AutoPoolIntent, settings: AutoPoolSettings) =>
  intent.items.flatMap((it) =>
    ([4, 6] as const).flatMap((version) => {
      const subnet = version === 4 ? it.ipv4 : it.ipv6;
      const enabled = version === 4 ? settings.enableIPv4 : settings.enableIPv6;
      return subnet === undefined || !enabled ? [] : [{ subnet, ifName: it.interface, version }];
    }),
  );

export const sequence = <T>(
  xs: readonly T[],
  f: (x: T) => ResultAsync<AutoPoolChange, AutoPoolControllerError>,
): ResultAsync<AutoPoolChange[], AutoPoolControllerError> =>
  xs.reduce<ResultAsync<AutoPoolChange[], AutoPoolControllerError>>(
    (acc, x) => acc.andThen((done) => f(x).map((c) => [...done, c])),
    okAsync([]),
  );

const apiVersionOf = (kind: string): string => AUTO_POOL_APP_KINDS[kind] ?? '';

/** Reclaimable pools of `ref` (any UID, or `ref.uid`) except those of `keepUid`. */
const reclaimable = (pools: readonly SpiderIPPool[], ref: ApplicationRef, keepUid?: string) =>
  pools.filter(
    (p) =>
      isReclaimed(p) &&
      isPoolOfApp(p, ref, apiVersionOf(ref.kind)) &&
      (keepUid === undefined || p.metadata.labels?.[LABEL_IPPOOL_OWNER_APP_UID] !== keepUid),
  );

/**
 * Brings the auto-pools of one application in step with it. `appRef.kind` is one of Deployment, ReplicaSet,
 * StatefulSet, DaemonSet, Job, CronJob. Stops at the first NIC/family that fails.
 */
export const reconcileApplicationPools = (
  store: Store,
  appRef: ApplicationRef,
  opts: AutoPoolReconcileOptions = {},
): ResultAsync<ApplicationReconcileOutcome, AutoPoolControllerError> => {
  const settings: AutoPoolSettings = { ...DEFAULT_AUTO_POOL_SETTINGS, ...opts.settings };
  const attempts = opts.attempts ?? 8;
  return store
    .get<WorkloadObject>({ kind: appRef.kind, namespace: appRef.namespace, name: appRef.name })
    .map((a): WorkloadObject | undefined => a)
    .orElse((e) => (e._tag === 'NotFound' ? okAsync(undefined) : errAsync(autoPoolStore(e))))
    .andThen((app): ResultAsync<ApplicationReconcileOutcome, AutoPoolControllerError> => {
      if (app === undefined || app.metadata.deletionTimestamp !== undefined) {
        return listPools(store).andThen((pools) =>
          deleteAutoPools(store, reclaimable(pools, appRef)).andThen((done) => {
            const live = new Set(pools.map((p) => p.metadata.name));
            for (const c of done) if (c.action === 'deleted') live.delete(c.pool);
            const key = applicationKey({ ...appRef, apiVersion: apiVersionOf(appRef.kind) });
            return dropOrphanEntries(store, key, live).map(
              (orphans): ApplicationReconcileOutcome => ({
                _tag: 'ApplicationGone',
                pools: [...done, ...orphans],
              }),
            );
          }),
        );
      }
      const intent = readAutoPoolIntent(app, settings);
      if (intent.isErr()) return errAsync(intent.error);
      const uid = app.metadata.uid ?? '';
      const stale = (pools: readonly SpiderIPPool[]) => reclaimable(pools, withoutUid(appRef), uid);
      if (typeof intent.value === 'string') {
        const reason = intent.value;
        return listPools(store)
          .andThen((pools) => deleteAutoPools(store, stale(pools)))
          .map((done) => ({ _tag: 'Skipped', reason, pools: done }));
      }
      const ctxBase = { store, settings, intent: intent.value };
      return ResultAsync.combine([listPools(store), readReserved(store)] as const).andThen(
        ([pools, reserved]) => {
          const ctx: ItemContext = { ...ctxBase, reserved };
          return sequence(itemsOf(ctx.intent, settings), (item) =>
            reconcileAutoPoolItem(ctx, pools, item, attempts),
          ).andThen((changes) =>
            deleteAutoPools(store, stale(pools)).map(
              (gone): ApplicationReconcileOutcome => ({ _tag: 'Reconciled', pools: [...changes, ...gone] }),
            ),
          );
        },
      );
    });
};
