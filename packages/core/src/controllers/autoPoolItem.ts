// One NIC/family of an application's auto-pools (reference §3.9 `ReconcileAutoIPPool`): find the app's pool,
// reserve the planned addresses in the subnet status (CAS), then create or update the pool through the
// webhooks. A pool write that loses a race (Conflict / AlreadyExists) starts over from fresh reads.
import { errAsync, ok, okAsync, type Result, type ResultAsync } from 'neverthrow';
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
import type { AutoPoolIntent, AutoPoolSettings } from './autoPoolApp.ts';
import {
  type ApplicationRef,
  type AutoPoolAction,
  type AutoPoolChange,
  isPoolOfApp,
  isReclaimed,
} from './autoPoolDelete.ts';
import {
  type AutoPoolControllerError,
  applicationSubnetChanged,
  autoPoolNameTaken,
  autoPoolStore,
  invalidAutoPoolSpec,
  invalidReservedIP,
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

export type ItemContext = {
  store: Store;
  settings: AutoPoolSettings;
  intent: AutoPoolIntent;
  reserved: ReservedSets;
};

export const listPools = (store: Store): ResultAsync<SpiderIPPool[], AutoPoolControllerError> =>
  store
    .list<SpiderIPPool>(KIND_SPIDER_IPPOOL)
    .map((l) => l.items)
    .mapErr(autoPoolStore);

export const readReserved = (store: Store): ResultAsync<ReservedSets, AutoPoolControllerError> =>
  store
    .list<SpiderReservedIP>(KIND_SPIDER_RESERVED_IP)
    .mapErr(autoPoolStore)
    .andThen((l) => {
      const sets = assembleReservedIPs(l.items);
      return sets.isOk()
        ? okAsync(sets.value)
        : errAsync(invalidReservedIP(sets.error.name, sets.error.detail));
    });

export const withoutUid = (ref: ApplicationRef): ApplicationRef => ({
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
  return r.mapErr((e) => invalidAutoPoolSpec(what, e.message));
};

const allocatedOf = (pool: SpiderIPPool, version: IPVersion) =>
  decodeAllocatedIPs(pool.status?.allocatedIPs)
    .mapErr((e) => unreadableAutoPoolStatus(`SpiderIPPool ${pool.metadata.name}`, e))
    .andThen((records) => parseSet(version, [...records.keys()], pool.metadata.name));

const ACTION: Record<'create' | 'grow' | 'shrink' | 'keep', AutoPoolAction> = {
  create: 'created',
  grow: 'scaledUp',
  shrink: 'scaledDown',
  keep: 'updated',
};

const isRace = (e: StoreError): boolean => e._tag === 'Conflict' || e._tag === 'AlreadyExists';

/** One NIC/family: reserve, then create or update the pool. */
export const reconcileAutoPoolItem = (
  ctx: ItemContext,
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
          ? listPools(ctx.store).andThen((fresh) => reconcileAutoPoolItem(ctx, fresh, item, left - 1))
          : errAsync(autoPoolStore(e)),
      );
  });
};
