// Auto-pool deletion with the application (reference §3.8 C, Spiderpool `deleteAutoPools` plus the pool
// controller's finalizer): a pool labelled `ippool-reclaim: "true"` whose application is gone (or was
// recreated with another UID) is deleted. The delete marks it terminating (agents stop allocating from it);
// once it holds no record its finalizer is removed (re-checked inside the CAS), it disappears, and then its
// entry is dropped from the SpiderSubnet's controlledIPPools. A pool still holding records stays terminating
// ('deletePending') until a later reconcile finds it empty.
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { SpiderIPPool, SpiderSubnet } from '../api/index.ts';
import {
  decodeControlledIPPools,
  KIND_SPIDER_IPPOOL,
  KIND_SPIDER_SUBNET,
  LABEL_IPPOOL_OWNER_APP_GV,
  LABEL_IPPOOL_OWNER_APP_KIND,
  LABEL_IPPOOL_OWNER_APP_NAME,
  LABEL_IPPOOL_OWNER_APP_NAMESPACE,
  LABEL_IPPOOL_OWNER_APP_UID,
  LABEL_IPPOOL_OWNER_SUBNET,
  LABEL_IPPOOL_RECLAIM,
  SPIDER_FINALIZER,
} from '../api/index.ts';
import { applicationLabelGV } from '../ipam/index.ts';
import { modifyObject, type Store } from '../store/index.ts';
import { type AutoPoolControllerError, autoPoolStore } from './autoPoolErrors.ts';
import { releaseFromSubnet } from './autoPoolSubnet.ts';

/** What happened to one auto-pool. */
export type AutoPoolAction =
  | 'created'
  | 'scaledUp'
  | 'scaledDown'
  | 'updated'
  | 'unchanged'
  | 'deleted'
  | 'deletePending';

export interface AutoPoolChange {
  pool: string;
  subnet: string;
  action: AutoPoolAction;
  /** The pool's ranges after the change (empty for deleted pools). */
  ips: string[];
}

/** The application whose pools are meant, as far as it is known. */
export interface ApplicationRef {
  kind: string;
  namespace: string;
  name: string;
  /** When known (e.g. from a DELETED event): only pools of this UID. */
  uid?: string;
}

/** Whether `pool` is an auto-pool of the application `ref` names (any UID unless `ref.uid` is set). */
export const isPoolOfApp = (pool: SpiderIPPool, ref: ApplicationRef, apiVersion: string): boolean => {
  const l = pool.metadata.labels ?? {};
  return (
    l[LABEL_IPPOOL_OWNER_APP_GV] === applicationLabelGV(apiVersion) &&
    l[LABEL_IPPOOL_OWNER_APP_KIND] === ref.kind &&
    l[LABEL_IPPOOL_OWNER_APP_NAMESPACE] === ref.namespace &&
    l[LABEL_IPPOOL_OWNER_APP_NAME] === ref.name &&
    (ref.uid === undefined || l[LABEL_IPPOOL_OWNER_APP_UID] === ref.uid)
  );
};

export const isReclaimed = (pool: SpiderIPPool): boolean =>
  pool.metadata.labels?.[LABEL_IPPOOL_RECLAIM] === 'true';

const hasRecords = (pool: SpiderIPPool): boolean => pool.status?.allocatedIPs !== undefined;

/** Removes the finalizer of a terminating pool without records; true when the pool is gone afterwards. */
const finish = (store: Store, name: string): ResultAsync<boolean, AutoPoolControllerError> => {
  let gone = false;
  return modifyObject<SpiderIPPool>(store, { kind: KIND_SPIDER_IPPOOL, name }, (current) => {
    gone = false;
    const finalizers = current.metadata.finalizers ?? [];
    if (current.metadata.deletionTimestamp === undefined || hasRecords(current)) return undefined;
    if (!finalizers.includes(SPIDER_FINALIZER)) return undefined;
    const rest = finalizers.filter((f) => f !== SPIDER_FINALIZER);
    gone = rest.length === 0;
    return { ...current, metadata: { ...current.metadata, finalizers: rest } };
  })
    .map(() => gone)
    .orElse((e) => (e._tag === 'NotFound' ? okAsync(true) : errAsync(autoPoolStore(e))));
};

/** Deletes one auto-pool; drops its subnet entry once it is gone. */
export const deleteAutoPool = (
  store: Store,
  pool: SpiderIPPool,
): ResultAsync<AutoPoolChange, AutoPoolControllerError> => {
  const name = pool.metadata.name;
  const subnet = pool.metadata.labels?.[LABEL_IPPOOL_OWNER_SUBNET] ?? '';
  const change = (action: AutoPoolAction): AutoPoolChange => ({
    pool: name,
    subnet,
    action,
    ips: action === 'deleted' ? [] : (pool.spec.ips ?? []),
  });
  const marked: ResultAsync<boolean, AutoPoolControllerError> =
    pool.metadata.deletionTimestamp !== undefined
      ? okAsync(false)
      : store
          .delete<SpiderIPPool>(
            { kind: KIND_SPIDER_IPPOOL, name },
            pool.metadata.uid === undefined ? {} : { preconditions: { uid: pool.metadata.uid } },
          )
          .map((r) => r.deleted)
          .orElse((e) => (e._tag === 'NotFound' ? okAsync(true) : errAsync(autoPoolStore(e))));
  return marked
    .andThen((gone) => (gone ? okAsync(true) : finish(store, name)))
    .andThen((gone) =>
      gone
        ? releaseFromSubnet(store, subnet, [name]).map(() => change('deleted'))
        : okAsync(change('deletePending')),
    );
};

/** Deletes the given pools one after the other (stops at the first error). */
export const deleteAutoPools = (
  store: Store,
  pools: readonly SpiderIPPool[],
): ResultAsync<AutoPoolChange[], AutoPoolControllerError> =>
  pools.reduce<ResultAsync<AutoPoolChange[], AutoPoolControllerError>>(
    (acc, pool) => acc.andThen((done) => deleteAutoPool(store, pool).map((c) => [...done, c])),
    okAsync([]),
  );

/**
 * Drops, from every subnet, entries recorded for `application` whose pool is not in `live` (left behind when
 * a pool went away without its entry, e.g. a subnet reconcile racing the delete). Only for a gone app.
 */
export const dropOrphanEntries = (
  store: Store,
  application: string,
  live: ReadonlySet<string>,
): ResultAsync<AutoPoolChange[], AutoPoolControllerError> =>
  store
    .list<SpiderSubnet>(KIND_SPIDER_SUBNET)
    .mapErr(autoPoolStore)
    .andThen((subnets) => {
      const work = subnets.items.flatMap((s) => {
        const entries = decodeControlledIPPools(s.status?.controlledIPPools);
        if (entries.isErr()) return [];
        const names = [...entries.value]
          .filter(([pool, e]) => e.application === application && !live.has(pool))
          .map(([pool]) => pool);
        return names.length === 0 ? [] : [{ subnet: s.metadata.name, names }];
      });
      return work.reduce<ResultAsync<AutoPoolChange[], AutoPoolControllerError>>(
        (acc, w) =>
          acc.andThen((done) =>
            releaseFromSubnet(store, w.subnet, w.names).map(() => [
              ...done,
              ...w.names.map(
                (pool): AutoPoolChange => ({ pool, subnet: w.subnet, action: 'deleted', ips: [] }),
              ),
            ]),
          ),
        okAsync([]),
      );
    });
