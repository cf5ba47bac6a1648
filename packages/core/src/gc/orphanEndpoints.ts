// Always on: finishing a release that stopped half-way. GC releases a gone Pod's records first and reclaims
// its SpiderEndpoint second; a GC process killed between the two (or fenced off as it lost its Lease) leaves
// an endpoint that no pool record refers to. The scan-all pass only walks pool records and the new leader's
// trace never saw the Pod go, so without this the endpoint would stay for ever and its IPs would be listed
// twice once the pool hands them out again (found by the operator storm test).
// An endpoint is reclaimed here only when all of these hold: no record of the snapshot refers to it; its
// Pod is gone now (a fresh GET: NotFound, or a Pod of another UID), so an allocation in flight (pool record
// written, endpoint created, Pod listed after both) is never touched; it is being deleted already, or older
// than ORPHAN_MIN_AGE_MS (a cache lagging behind the API server cannot make a fresh endpoint look orphaned);
// and every pool it names, read now, holds no record of it. Unlike `enableCleanOutdatedEndpoint` this never
// deletes the endpoint of a live Pod.
import { okAsync, ResultAsync } from 'neverthrow';
import type { Pod, SpiderEndpoint } from '../api/index.ts';
import { KIND_POD } from '../api/index.ts';
import type { IpamError } from '../ipam/errors.ts';
import type { Store } from '../store/index.ts';
import { reclaimEndpoint } from './endpointReclaim.ts';
import { poolHolds, poolsOf } from './outdatedEndpoints.ts';
import type { GcSnapshot } from './snapshot.ts';

export const ORPHAN_MIN_AGE_MS = 30_000;

const oldEnough = (ep: SpiderEndpoint, now: Date): boolean => {
  if (ep.metadata.deletionTimestamp) return true;
  const created = Date.parse(ep.metadata.creationTimestamp ?? '');
  return Number.isFinite(created) && now.getTime() - created >= ORPHAN_MIN_AGE_MS;
};

/** Whether the endpoint's Pod is gone now: NotFound, or the name taken by a Pod of another UID. */
const podGone = (store: Store, ep: SpiderEndpoint): ResultAsync<boolean, IpamError> =>
  store
    .get<Pod>({ kind: KIND_POD, namespace: ep.metadata.namespace ?? '', name: ep.metadata.name })
    .map((pod) => pod.metadata.uid !== undefined && pod.metadata.uid !== ep.status.current.uid)
    // Any other failure: keep the endpoint, the next pass looks again.
    .orElse((e) => okAsync(e._tag === 'NotFound'));

/** Reclaims the endpoints a release left behind (see the header); returns how many were deleted. */
export const reclaimOrphanEndpoints = (
  store: Store,
  snap: GcSnapshot,
  referenced: ReadonlySet<string>,
  now: Date,
  errors: IpamError[],
): ResultAsync<number, IpamError> => {
  const suspects = [...snap.endpoints].filter(
    ([key, ep]) => !referenced.has(key) && !snap.pods.has(key) && oldEnough(ep, now),
  );
  const runs = suspects.map(([key, ep]) =>
    podGone(store, ep)
      .andThen((gone) =>
        gone
          ? ResultAsync.combine(poolsOf(ep).map((p) => poolHolds(store, p, key, ep))).map(
              (held) => !held.some(Boolean),
            )
          : okAsync(false),
      )
      .andThen((orphan) => (orphan ? reclaimEndpoint(store, ep).map((o) => o === 'deleted') : okAsync(false)))
      .orElse((e) => {
        errors.push(e);
        return okAsync(false);
      }),
  );
  return ResultAsync.combine(runs).map((done) => done.filter(Boolean).length);
};
