// `reconcileApplicationPools`: the SpiderSubnet auto-pool controller for one application (reference §3.9,
// Spiderpool `SubnetAppController.syncHandler` + `ReconcileAutoIPPool`). For every NIC and family of the
// pod template's `ipam.spidernet.io/subnet(s)` annotation: find the app's auto-pool, reserve the desired
// number of addresses in the subnet status (CAS, lowest free first), then create or update the pool (webhook
// defaulting and validation applied). A pool write that loses a race (Conflict / AlreadyExists) starts that
// NIC/family over from fresh reads. When the application is gone, its reclaimable pools are deleted.
import { errAsync, ok, okAsync, type Result, ResultAsync } from 'neverthrow';
import type { SpiderIPPool, SpiderReservedIP } from '../api/index.ts';
import {
  decodeAllocatedIPs,
  KIND_SPIDER_IPPOOL,
  KIND_SPIDER_RESERVED_IP,
  LABEL_IPPOOL_INTERFACE,
  LABEL_IPPOOL_IP_VERSION,
  LABEL_IPPOOL_OWNER_APP_UID,
  LABEL_IPPOOL_OWNER_SUBNET,
  LABEL_VALUE_IPV4,
  LABEL_VALUE_IPV6,
} from '../api/index.ts';
import { type IPRangeSet, type IPVersion, parseIPRanges } from '../ip/index.ts';
import {
  applicationKey,
  assembleReservedIPs,
  autoPoolName,
  type ReservedSets,
  reservedFor,
} from '../ipam/index.ts';
import type { Store, StoreError } from '../store/index.ts';
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
  type AutoPoolAction,
  type AutoPoolChange,
  deleteAutoPools,
  dropOrphanEntries,
  isPoolOfApp,
  isReclaimed,
} from './autoPoolDelete.ts';
import {
  type AutoPoolControllerError,
  applicationSubnetChanged,
  autoPoolNameTaken,
  autoPoolStore,
  invalidSubnetSpec,
  unreadableAutoPoolStatus,
} from './autoPoolErrors.ts';
import {
  admitAutoPool,
  autoPoolChanged,
  autoPoolWebhookContext,
  newAutoPool,
  refreshedAutoPool,
} from './autoPoolObject.ts';
import { reserveInSubnet } from './autoPoolSubnet.ts';

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

type Ctx = { store: Store; settings: AutoPoolSettings; intent: AutoPoolIntent; reserved: ReservedSets };

const listPools = (store: Store): ResultAsync<SpiderIPPool[], AutoPoolControllerError> =>
  store
    .list<SpiderIPPool>(KIND_SPIDER_IPPOOL)
    .map((l) => l.items)
    .mapErr(autoPoolStore);

const readReserved = (store: Store): ResultAsync<ReservedSets, AutoPoolControllerError> =>
  store
    .list<SpiderReservedIP>(KIND_SPIDER_RESERVED_IP)
    .mapErr(autoPoolStore)
    .andThen((l) => {
      const sets = assembleReservedIPs(l.items);
      return sets.isOk()
        ? okAsync(sets.value)
        : errAsync(invalidSubnetSpec(`(SpiderReservedIP ${sets.error.name})`, sets.error.detail));
    });

const withoutUid = (ref: ApplicationRef): ApplicationRef => ({
  kind: ref.kind,
  namespace: ref.namespace,
  name: ref.name,
});

const versionLabel = (v: IPVersion): string => (v === 4 ? LABEL_VALUE_IPV4 : LABEL_VALUE_IPV6);

/** The app's current pool for a NIC/family: previous same-name apps' reclaimable pools are skipped. */
const findPool = (
  pools: readonly SpiderIPPool[],
  intent: AutoPoolIntent,
  ifName: string,
  version: IPVersion,
) =>
  pools.find((p) => {
    const l = p.metadata.labels ?? {};
    if (!isPoolOfApp(p, withoutUid(intent.app), intent.app.apiVersion)) return false;
    if (l[LABEL_IPPOOL_INTERFACE] !== ifName || l[LABEL_IPPOOL_IP_VERSION] !== versionLabel(version))
      return false;
    return !(isReclaimed(p) && l[LABEL_IPPOOL_OWNER_APP_UID] !== intent.app.uid);
  });

const parseSet = (version: IPVersion, ips: readonly string[], what: string) => {
  const r = parseIPRanges(version, ips);
  return r.mapErr((e) => invalidSubnetSpec(what, e.message));
};

const allocatedOf = (pool: SpiderIPPool, version: IPVersion) =>
  decodeAllocatedIPs(pool.status?.allocatedIPs)
    .mapErr((e) => unreadableAutoPoolStatus(`SpiderIPPool ${pool.metadata.name}`, e))
    .andThen((records) =>
      parseSet(version, [...records.keys()], `SpiderIPPool ${pool.metadata.name} records`),
    );

const ACTION: Record<'create' | 'grow' | 'shrink' | 'keep', AutoPoolAction> = {
  create: 'created',
  grow: 'scaledUp',
  shrink: 'scaledDown',
  keep: 'updated',
};

const isRace = (e: StoreError): boolean => e._tag === 'Conflict' || e._tag === 'AlreadyExists';

/** One NIC/family: reserve, then create or update the pool. */
const reconcileOne = (
  ctx: Ctx,
  pools: readonly SpiderIPPool[],
  item: { subnet: string; ifName: string; version: IPVersion },
  left: number,
): ResultAsync<AutoPoolChange, AutoPoolControllerError> => {
  const { intent } = ctx;
  const existing = findPool(pools, intent, item.ifName, item.version);
  const label = `${intent.app.kind}/${intent.app.namespace}/${intent.app.name}`;
  const from = existing?.metadata.labels?.[LABEL_IPPOOL_OWNER_SUBNET];
  if (existing !== undefined && from !== item.subnet) {
    return errAsync(applicationSubnetChanged(label, existing.metadata.name, from ?? '', item.subnet));
  }
  const name =
    existing?.metadata.name ?? autoPoolName(item.version, intent.app.name, item.ifName, intent.app.uid);
  const clash = existing === undefined ? pools.find((p) => p.metadata.name === name) : undefined;
  if (clash !== undefined) return errAsync(autoPoolNameTaken(name, `an IPPool not owned by ${label}`));
  const emptySet: IPRangeSet = { version: item.version, intervals: [] };
  const held =
    existing === undefined
      ? ok<{ ips?: IPRangeSet; allocated: IPRangeSet }, AutoPoolControllerError>({ allocated: emptySet })
      : parseSet(item.version, existing.spec.ips ?? [], name).andThen((ips) =>
          allocatedOf(existing, item.version).map((allocated) => ({ ips, allocated })),
        );
  if (held.isErr()) return errAsync(held.error);
  const { ips: poolIPs, allocated } = held.value;
  return reserveInSubnet(ctx.store, {
    subnet: item.subnet,
    version: item.version,
    pool: name,
    application: applicationKey(intent.app),
    desired: BigInt(intent.desired),
    ...(poolIPs === undefined ? {} : { poolIPs }),
    allocated,
    reserved: reservedFor(ctx.reserved, item.version),
  }).andThen(({ subnet, plan }) => {
    const target = { intent, subnet, version: item.version, ifName: item.ifName, name, ips: plan.ranges };
    const webhook = autoPoolWebhookContext(ctx.settings, pools, subnet);
    const draft: Result<SpiderIPPool, AutoPoolControllerError> =
      existing === undefined ? newAutoPool(target) : ok(refreshedAutoPool(existing, target));
    const admitted = draft.andThen((pool) => admitAutoPool(pool, existing, webhook));
    const change = (action: AutoPoolAction): AutoPoolChange => ({
      pool: name,
      subnet: item.subnet,
      action,
      ips: plan.ranges,
    });
    if (admitted.isErr()) return errAsync(admitted.error);
    const pool = admitted.value;
    if (existing !== undefined && !autoPoolChanged(existing, pool)) return okAsync(change('unchanged'));
    const write = existing === undefined ? ctx.store.create(pool) : ctx.store.update(pool);
    const action = existing === undefined ? 'created' : ACTION[plan.scale];
    return write
      .map(() => change(action))
      .orElse((e) =>
        isRace(e) && left > 1
          ? listPools(ctx.store).andThen((fresh) => reconcileOne(ctx, fresh, item, left - 1))
          : errAsync(autoPoolStore(e)),
      );
  });
};

const itemsOf = (intent: AutoPoolIntent, settings: AutoPoolSettings) =>
  intent.items.flatMap((it) =>
    ([4, 6] as const).flatMap((version) => {
      const subnet = version === 4 ? it.ipv4 : it.ipv6;
      const enabled = version === 4 ? settings.enableIPv4 : settings.enableIPv6;
      return subnet === undefined || !enabled ? [] : [{ subnet, ifName: it.interface, version }];
    }),
  );

const sequence = <T>(
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
          const ctx: Ctx = { ...ctxBase, reserved };
          return sequence(itemsOf(ctx.intent, settings), (item) =>
            reconcileOne(ctx, pools, item, attempts),
          ).andThen((changes) =>
            deleteAutoPools(store, stale(pools)).map(
              (gone): ApplicationReconcileOutcome => ({ _tag: 'Reconciled', pools: [...changes, ...gone] }),
            ),
          );
        },
      );
    });
};
