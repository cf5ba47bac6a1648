// Standard-mode allocation of one ADD (§3.5, §3.6 step 7): every (NIC, family) of the candidates concurrently,
// each trying its ordered pools until one has a free IP; annotation routes go to the NIC whose subnet holds
// their gw. On any failure, what this call took is released again (no half-allocated Pod is left behind).
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import type { Route, SpiderIPPool } from '../api/index.ts';
import { mapAsync, orElseAsync } from '../result/index.ts';
import { groupPodRoutes, type NicSubnet, type PodRoute } from './annotationsRoutes.ts';
import type { EngineContext } from './engineContext.ts';
import { allPoolsExhausted, type IpamError } from './errors.ts';
import { cachedCIDR } from './subnetCache.ts';
import type { AllocatedIP, NicCandidates, VersionCandidates } from './types.ts';

/** Errors after which the next candidate pool is tried: "no room here". */
const NEXT_POOL: ReadonlySet<IpamError['_tag']> = new Set([
  'PoolExhausted',
  'PoolRecordCapExceeded',
  'PoolNotFound',
]);

/**
 * Failures of one pool that Spiderpool also skips (`allocateIPFromCandidate` tries the next pool on any
 * error): an unreadable status, a write that lost every CAS round. Remembered, and reported (the first of
 * them) when no later pool has room either, rather than a misleading "all IP addresses used out".
 */
const SKIP_POOL: ReadonlySet<IpamError['_tag']> = new Set(['CorruptPoolStatus', 'RetriesExhausted']);

export interface AllocateNicsInput {
  candidates: readonly NicCandidates[];
  pools: ReadonlyMap<string, SpiderIPPool>;
  /** `ns/name` recorded in the pool (KubeVirt: the VMI name). */
  podKey: string;
  podUid: string;
  /** IPs the Pod already holds for other NICs (from its endpoint). */
  avoid: ReadonlySet<string>;
  routes: readonly PodRoute[];
}

interface Taken {
  nic: string;
  version: 4 | 6;
  pool: string;
  ip: string;
}

const fromPools = (
  ctx: EngineContext,
  nic: string,
  vc: VersionCandidates,
  input: AllocateNicsInput,
): ResultAsync<Taken, IpamError> => {
  const attempt = (i: number, failure?: IpamError): ResultAsync<Taken, IpamError> => {
    const pool = vc.pools[i];
    if (pool === undefined) return errAsync(failure ?? allPoolsExhausted(nic, vc.version, vc.pools));
    const submitted = ctx.writer.submit(pool, {
      kind: 'allocate',
      pod: input.podKey,
      podUid: input.podUid,
      avoid: input.avoid,
      nic,
    });
    return orElseAsync(
      mapAsync(submitted, (ips): Taken => ({ nic, version: vc.version, pool, ip: ips[0] as string })),
      (e) => {
        if (NEXT_POOL.has(e._tag)) return attempt(i + 1, failure);
        if (SKIP_POOL.has(e._tag)) return attempt(i + 1, failure ?? e);
        return errAsync(e);
      },
    );
  };
  return attempt(0);
};

const toAllocated = (t: Taken, nic: NicCandidates, pool: SpiderIPPool | undefined): AllocatedIP => {
  const cidr = pool ? cachedCIDR(pool.spec.subnet) : undefined;
  const prefix = cidr !== undefined ? cidr.prefix : t.version === 4 ? 32 : 128;
  const out: AllocatedIP = {
    nic: t.nic,
    version: t.version,
    address: `${t.ip}/${prefix}`,
    pool: t.pool,
    cleanGateway: nic.cleanGateway,
    routes: [...(pool?.spec.routes ?? [])],
  };
  if (pool?.spec.gateway !== undefined) out.gateway = pool.spec.gateway;
  return out;
};

/** Releases what an aborted ADD took (best effort; GC covers a failure here). */
export const releaseTaken = (
  ctx: EngineContext,
  podUid: string,
  taken: readonly { pool: string; ip: string }[],
): ResultAsync<void, never> =>
  orElseAsync(
    mapAsync(
      ResultAsync.combineWithAllErrors(
        taken.map((t) => ctx.writer.submit(t.pool, { kind: 'release', podUid, ips: [t.ip] })),
      ),
      () => undefined,
    ),
    () => okAsync(undefined),
  );

/** Allocates every (NIC, family); the result is per NIC, in candidate order. */
export const allocateNics = (
  ctx: EngineContext,
  input: AllocateNicsInput,
): ResultAsync<AllocatedIP[][], IpamError> => {
  const jobs = input.candidates.flatMap((nic) =>
    nic.versions.map((vc) => fromPools(ctx, nic.nic, vc, input)),
  );
  const all = orElseAsync(ResultAsync.combineWithAllErrors(jobs), (errors) => {
    // Some jobs may have succeeded: give their IPs back, then report the first failure.
    return ResultAsync.fromSafePromise(Promise.all(jobs)).andThen((results) => {
      const ok = results.flatMap((r) => (r.isOk() ? [r.value] : []));
      return releaseTaken(ctx, input.podUid, ok).andThen(() => errAsync(errors[0] as IpamError));
    });
  });
  return mapAsync(all, (taken) => {
    const perNic = input.candidates.map((nic) =>
      taken.filter((t) => t.nic === nic.nic).map((t) => toAllocated(t, nic, input.pools.get(t.pool))),
    );
    const subnets: NicSubnet[] = [];
    // Annotation routes go to the NIC whose subnet holds their gateway: subnets are only needed with routes.
    for (const ips of input.routes.length > 0 ? perNic : [])
      for (const ip of ips) {
        const cidr = cachedCIDR(input.pools.get(ip.pool)?.spec.subnet ?? '');
        if (cidr !== undefined) subnets.push({ nic: ip.nic, subnet: cidr });
      }
    const grouped = groupPodRoutes(input.routes, subnets).byNic;
    return perNic.map((ips) =>
      ips.map((ip) => {
        const extra: Route[] = (grouped.get(ip.nic) ?? []).filter(
          (r) => r.dst.includes(':') === (ip.version === 6),
        );
        return { ...ip, routes: [...ip.routes, ...extra] };
      }),
    );
  });
};
