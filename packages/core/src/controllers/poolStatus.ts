// The SpiderIPPool controller (Spiderpool pkg/ippoolmanager/ippool_informer.go, reference §1.1, §3.8 C):
// status.totalIPCount = |ips − excludeIPs| by NewCIDR rules, saturated at 2^63−1 (SpiderReservedIPs are NOT
// subtracted); status.allocatedIPCount = number of records; a terminating pool loses its finalizer once
// `allocatedIPs` is empty, which completes its deletion.
import { err, errAsync, ok, okAsync, type Result, type ResultAsync } from 'neverthrow';
import type { SpiderIPPool } from '../api/index.ts';
import { decodeAllocatedIPs, KIND_SPIDER_IPPOOL, SPIDER_FINALIZER } from '../api/index.ts';
import { saturateInt64, totalIPCount } from '../ip/index.ts';
import { BLOCK_POOL_LABEL, KIND_SPIDER_IP_BLOCK, type SpiderIPBlock } from '../ipam/blocks/blockObject.ts';
import { isBlockPool } from '../ipam/blocks/format.ts';
import { countBlockRecords } from '../ipam/blocks/records.ts';
import { modifyObject, type Store } from '../store/index.ts';
import { type ControllerError, controllerStore, invalidPoolSpec, unreadableStatus } from './errors.ts';

export interface PoolStatusCounts {
  /** The status field value (a JS number: above 2^53 it is the nearest double, see ADR 0007). */
  totalIPCount: number;
  /** Exact, saturated at 2^63−1. */
  totalIPCountExact: bigint;
  allocatedIPCount: number;
}

/**
 * Pure: the counts the controller writes for `pool`. `blockRecords`: for a pool in the blocks format (ADR
 * 0029), the number of records in its SpiderIPBlocks (its status holds none).
 */
export const computePoolStatus = (
  pool: SpiderIPPool,
  blockRecords?: number,
): Result<PoolStatusCounts, ControllerError> => {
  const name = pool.metadata.name;
  const total = totalIPCount(pool.spec.subnet, pool.spec.ips ?? [], pool.spec.excludeIPs ?? []);
  if (total.isErr()) return err(invalidPoolSpec('SpiderIPPool', name, total.error));
  const exact = saturateInt64(total.value);
  if (blockRecords !== undefined)
    return ok({ totalIPCount: Number(exact), totalIPCountExact: exact, allocatedIPCount: blockRecords });
  const records = decodeAllocatedIPs(pool.status?.allocatedIPs);
  if (records.isErr()) return err(unreadableStatus('SpiderIPPool', name, records.error));
  return ok({ totalIPCount: Number(exact), totalIPCountExact: exact, allocatedIPCount: records.value.size });
};

/** The record count of a block pool's blocks (one LIST by label), undefined for a Spiderpool-format pool. */
const blockRecordCount = (
  store: Store,
  pool: SpiderIPPool,
): ResultAsync<number | undefined, ControllerError> =>
  isBlockPool(pool)
    ? store
        .list<SpiderIPBlock>(KIND_SPIDER_IP_BLOCK, {
          labelSelector: { matchLabels: { [BLOCK_POOL_LABEL]: pool.metadata.name } },
        })
        .map((l): number | undefined =>
          countBlockRecords(l.items.filter((b) => b.spec?.pool === pool.metadata.name)),
        )
        .mapErr(controllerStore)
    : okAsync(undefined);

/** What one reconcile did. */
export type PoolReconcileOutcome = 'absent' | 'finalizerRemoved' | 'statusUpdated' | 'unchanged';

const isTerminatingAndEmpty = (pool: SpiderIPPool, blockRecords?: number): boolean =>
  pool.metadata.deletionTimestamp !== undefined &&
  pool.status?.allocatedIPs === undefined &&
  (blockRecords ?? 0) === 0;

const removeFinalizer = (
  store: Store,
  name: string,
  blockRecords?: number,
): ResultAsync<PoolReconcileOutcome, ControllerError> => {
  let removed = false;
  return modifyObject<SpiderIPPool>(store, { kind: KIND_SPIDER_IPPOOL, name }, (current) => {
    // Re-checked on every CAS attempt: a record written meanwhile keeps the finalizer.
    removed = false;
    const finalizers = current.metadata.finalizers ?? [];
    if (!isTerminatingAndEmpty(current, blockRecords) || !finalizers.includes(SPIDER_FINALIZER))
      return undefined;
    removed = true;
    return {
      ...current,
      metadata: { ...current.metadata, finalizers: finalizers.filter((f) => f !== SPIDER_FINALIZER) },
    };
  })
    .map((): PoolReconcileOutcome => (removed ? 'finalizerRemoved' : 'unchanged'))
    .orElse((e) =>
      e._tag === 'NotFound'
        ? okAsync<PoolReconcileOutcome, ControllerError>('absent')
        : errAsync(controllerStore(e)),
    );
};

/** Brings one pool's status counts in step and completes its deletion when it is terminating and empty. */
export const reconcilePool = (
  store: Store,
  name: string,
): ResultAsync<PoolReconcileOutcome, ControllerError> =>
  store
    .get<SpiderIPPool>({ kind: KIND_SPIDER_IPPOOL, name })
    .map((p): SpiderIPPool | undefined => p)
    .orElse((e) => (e._tag === 'NotFound' ? okAsync(undefined) : errAsync(e)))
    .mapErr(controllerStore)
    .andThen((pool) =>
      pool === undefined
        ? okAsync<[undefined, undefined], ControllerError>([undefined, undefined])
        : blockRecordCount(store, pool).map((n): [SpiderIPPool, number | undefined] => [pool, n]),
    )
    .andThen(([pool, blockRecords]): ResultAsync<PoolReconcileOutcome, ControllerError> => {
      if (pool === undefined) return okAsync('absent');
      if (isTerminatingAndEmpty(pool, blockRecords)) return removeFinalizer(store, name, blockRecords);
      let failure: ControllerError | undefined;
      let wrote = false;
      return modifyObject<SpiderIPPool>(
        store,
        { kind: KIND_SPIDER_IPPOOL, name },
        (current) => {
          wrote = false;
          const counts = computePoolStatus(current, blockRecords);
          if (counts.isErr()) {
            failure = counts.error;
            return undefined;
          }
          failure = undefined;
          const { totalIPCount: total, allocatedIPCount: allocated } = counts.value;
          if (current.status?.totalIPCount === total && current.status?.allocatedIPCount === allocated)
            return undefined;
          wrote = true;
          return {
            ...current,
            status: { ...current.status, totalIPCount: total, allocatedIPCount: allocated },
          };
        },
        { status: true },
      )
        .mapErr(controllerStore)
        .andThen((): ResultAsync<PoolReconcileOutcome, ControllerError> => {
          if (failure !== undefined) return errAsync(failure);
          return okAsync(wrote ? 'statusUpdated' : 'unchanged');
        });
    });
