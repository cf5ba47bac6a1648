// `enableCleanOutdatedEndpoint`: SpiderEndpoints that no pool record refers to are deleted. Before deleting,
// every pool the endpoint names is re-read (not the snapshot), as Spiderpool does, since an agent may have
// written the record after GC listed the pools.
import { okAsync, ResultAsync } from 'neverthrow';
import type { SpiderEndpoint, SpiderIPPool } from '../api/index.ts';
import { decodeAllocatedIPs, KIND_SPIDER_IPPOOL } from '../api/index.ts';
import { isBlockPool } from '../ipam/blocks/format.ts';
import { blockPoolHolds } from '../ipam/blocks/records.ts';
import { endpointPoolIPs } from '../ipam/endpoint.ts';
import { type IpamError, storeFailed } from '../ipam/errors.ts';
import type { Store } from '../store/index.ts';
import { reclaimEndpoint } from './endpointReclaim.ts';
import type { GcSnapshot } from './snapshot.ts';

export const poolsOf = (ep: SpiderEndpoint): string[] => {
  const names = new Set<string>();
  for (const d of ep.status.current.ips ?? []) {
    if (d.ipv4Pool) names.add(d.ipv4Pool);
    if (d.ipv6Pool) names.add(d.ipv6Pool);
  }
  return [...names];
};

/** Whether pool `name` (read now) has a record for `key`; a missing pool has none. */
export const poolHolds = (
  store: Store,
  name: string,
  key: string,
  ep: SpiderEndpoint,
): ResultAsync<boolean, IpamError> =>
  store
    .get<SpiderIPPool>({ kind: KIND_SPIDER_IPPOOL, name })
    .andThen((pool) => {
      // A pool in the blocks format (ADR 0029): the blocks of the endpoint's IPs, read now.
      if (isBlockPool(pool)) {
        const ips = endpointPoolIPs(ep.status.current.ips ?? [])
          .filter((x) => x.pool === name)
          .map((x) => x.ip);
        return blockPoolHolds(store, pool, ips, key).orElse(() => okAsync(true));
      }
      const records = decodeAllocatedIPs(pool.status?.allocatedIPs);
      // An unreadable pool might hold it: keep the endpoint.
      if (records.isErr()) return okAsync(true);
      return okAsync([...records.value.values()].some((r) => r.pod === key));
    })
    .orElse((e) => (e._tag === 'NotFound' ? okAsync(false) : okAsync(true)))
    .mapErr(storeFailed);

/** Deletes endpoints outside `referenced` whose pools hold no record of them; returns how many. */
export const deleteOutdatedEndpoints = (
  store: Store,
  snap: GcSnapshot,
  referenced: ReadonlySet<string>,
  errors: IpamError[],
): ResultAsync<number, IpamError> => {
  const suspects = [...snap.endpoints].filter(([key, ep]) => !referenced.has(key) && poolsOf(ep).length > 0);
  const runs = suspects.map(([key, ep]) =>
    ResultAsync.combine(poolsOf(ep).map((p) => poolHolds(store, p, key, ep)))
      .andThen((held) =>
        held.some(Boolean) ? okAsync(false) : reclaimEndpoint(store, ep).map((o) => o === 'deleted'),
      )
      .orElse((e) => {
        errors.push(e);
        return okAsync(false);
      }),
  );
  return ResultAsync.combine(runs).map((done) => done.filter(Boolean).length);
};
