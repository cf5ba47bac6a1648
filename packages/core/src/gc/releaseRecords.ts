// Removes pool records by compare-and-swap, each only if its podUid still matches at write time: a record
// that was re-allocated (or re-bound to a new StatefulSet Pod UID) after GC read the pool is never freed.
// Conflict -> re-read and re-check, bounded attempts; the caller may inject a `sleep` between attempts.
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import type { IPPoolStatus, SpiderIPPool } from '../api/index.ts';
import { decodeAllocatedIPs, encodeAllocatedIPs, KIND_SPIDER_IPPOOL } from '../api/index.ts';
import { isBlockPool } from '../ipam/blocks/format.ts';
import { releaseBlockRecordsIfOwned } from '../ipam/blocks/records.ts';
import { corruptPoolStatus, type IpamError, retriesExhausted, storeFailed } from '../ipam/errors.ts';
import type { Store } from '../store/index.ts';

/** A record to remove: the IP and the Pod UID it must still carry. */
export interface OwnedRecord {
  ip: string;
  podUid: string;
}

export interface ReleaseOutcome {
  /** IPs removed by this call. */
  released: string[];
  /** IPs left alone: gone already, or now owned by another UID. */
  unchanged: string[];
}

export interface ReleaseRecordsOptions {
  /** Attempts before RetriesExhausted (default 16). */
  attempts?: number;
  /** Waits between attempts (attempt is 1-based); default: no wait. */
  sleep?: (attempt: number) => Promise<void>;
}

const withRecords = (pool: SpiderIPPool, records: ReadonlyMap<string, { pod: string; podUid: string }>) => {
  const status: IPPoolStatus = { ...pool.status, allocatedIPCount: records.size };
  const encoded = encodeAllocatedIPs(records);
  if (encoded === undefined) delete status.allocatedIPs;
  else status.allocatedIPs = encoded;
  return { ...pool, status };
};

/** Removes `items` from pool `poolName` where the record's podUid still matches. A missing pool is a no-op. */
export const releaseRecordsIfOwned = (
  store: Store,
  poolName: string,
  items: readonly OwnedRecord[],
  options: ReleaseRecordsOptions = {},
): ResultAsync<ReleaseOutcome, IpamError> => {
  const attempts = options.attempts ?? 16;
  const attempt = (n: number): ResultAsync<ReleaseOutcome, IpamError> =>
    store
      .get<SpiderIPPool>({ kind: KIND_SPIDER_IPPOOL, name: poolName })
      .orElse((e) =>
        e._tag === 'NotFound'
          ? okAsync<SpiderIPPool | undefined, IpamError>(undefined)
          : errAsync(storeFailed(e)),
      )
      .andThen((pool) => {
        if (pool === undefined) return okAsync({ released: [], unchanged: items.map((i) => i.ip) });
        // A pool in the blocks format (ADR 0029): the same rule, one CAS per block.
        if (isBlockPool(pool)) return releaseBlockRecordsIfOwned(store, pool, items, options);
        const decoded = decodeAllocatedIPs(pool.status?.allocatedIPs);
        if (decoded.isErr()) return errAsync(corruptPoolStatus(poolName, decoded.error.message));
        const records = new Map(decoded.value);
        const released: string[] = [];
        const unchanged: string[] = [];
        for (const item of items) {
          if (records.get(item.ip)?.podUid === item.podUid) {
            records.delete(item.ip);
            released.push(item.ip);
          } else {
            unchanged.push(item.ip);
          }
        }
        if (released.length === 0) return okAsync({ released, unchanged });
        return store
          .updateStatus<SpiderIPPool>(withRecords(pool, records))
          .map(() => ({ released, unchanged }))
          .orElse((e): ResultAsync<ReleaseOutcome, IpamError> => {
            if (e._tag !== 'Conflict') return errAsync(storeFailed(e));
            if (n >= attempts) return errAsync(retriesExhausted(poolName, n));
            const wait = options.sleep ? options.sleep(n) : Promise.resolve();
            return ResultAsync.fromSafePromise(wait).andThen(() => attempt(n + 1));
          });
      });
  return attempt(1);
};
