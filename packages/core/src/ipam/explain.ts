// explain(pod, nic): why a Pod gets (or would not get) an IP, without writing anything. The candidate pools per
// NIC and family in the order allocation tries them, each with the IP it would hand out now (lowest free, from
// the same allocator cache allocation uses), every dropped pool with its reason, and what the Pod already has.
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type {
  IPAllocationDetail,
  Pod,
  SpiderEndpoint,
  SpiderIPPool,
  SpiderReservedIP,
} from '../api/index.ts';
import { KIND_POD, KIND_SPIDER_ENDPOINT, KIND_SPIDER_RESERVED_IP } from '../api/index.ts';
import { isBlockPool } from './blocks/format.ts';
import { type EngineContext, getOptional } from './engineContext.ts';
import { loadSelection, podView } from './enginePodView.ts';
import { type IpamError, podNotFound, storeFailed } from './errors.ts';
import { assembleReservedIPs, EMPTY_RESERVED, type ReservedSets } from './reservedIPs.ts';
import { podNotAliveReason } from './topController.ts';
import type { CandidateSource, DroppedPool, IpamCniConfig } from './types.ts';

export interface ExplainPool {
  pool: string;
  /** The IP allocation would take from this pool now; undefined when it has none free. */
  nextIP?: string;
  /** Addresses still free (excluded, reserved and recorded ones counted as used); a string to fit bigint. */
  free: string;
  /** Set when the pool could not be read (e.g. a corrupt status). */
  error?: string;
}

export interface ExplainVersion {
  version: 4 | 6;
  /** Usable pools in the order tried. */
  pools: ExplainPool[];
  dropped: DroppedPool[];
  /** The first pool with a free IP and that IP: what a fresh ADD would get. */
  chosen?: { pool: string; ip: string };
}

export interface ExplainNic {
  nic: string;
  source: CandidateSource;
  cleanGateway: boolean;
  versions: ExplainVersion[];
}

export interface Explanation {
  pod: string;
  ifName: string;
  /** Why allocation would be refused outright (Pod not alive). */
  notAlive?: string;
  /** The endpoint entry a repeat ADD would answer from. */
  existing?: IPAllocationDetail;
  nics: ExplainNic[];
  /** Selection failed before any pool was looked at (bad annotation, no rule, ...). */
  error?: IpamError;
}

const explainPool = (
  ctx: EngineContext,
  pool: SpiderIPPool | undefined,
  name: string,
  reserved: ReservedSets,
): ExplainPool => {
  if (pool === undefined) return { pool: name, free: '0', error: 'not found' };
  // Blocks format (ADR 0029): the records are in SpiderIPBlocks, the next IP depends on this node's blocks;
  // `free` is from the status counts the pool controller keeps (they trail the last block write briefly).
  if (isBlockPool(pool)) {
    const free = (pool.status?.totalIPCount ?? 0) - (pool.status?.allocatedIPCount ?? 0);
    return { pool: name, free: String(Math.max(0, free)) };
  }
  const seen = ctx.cache.inspect(pool, reserved, (a) => ({ next: a.peek(), free: a.freeCount.toString() }));
  if (seen.isErr()) return { pool: name, free: '0', error: seen.error.message };
  const { next, free } = seen.value;
  return next === undefined ? { pool: name, free } : { pool: name, nextIP: next, free };
};

export const explainFlow = (
  ctx: EngineContext,
  podNamespace: string,
  podName: string,
  ifName: string,
  ipamConfig: IpamCniConfig,
): ResultAsync<Explanation, IpamError> => {
  const req = { podNamespace, podName, ifName, ipamConfig, containerID: '' };
  const base = { pod: `${podNamespace}/${podName}`, ifName };
  return getOptional<Pod>(ctx.store, { kind: KIND_POD, namespace: podNamespace, name: podName })
    .andThen((pod) => (pod ? podView(ctx, req, pod) : errAsync(podNotFound(podNamespace, podName))))
    .andThen((v) =>
      getOptional<SpiderEndpoint>(ctx.store, {
        kind: KIND_SPIDER_ENDPOINT,
        namespace: v.namespace,
        name: v.endpointName,
      })
        .andThen((ep) =>
          ctx.store
            .list<SpiderReservedIP>(KIND_SPIDER_RESERVED_IP)
            .mapErr(storeFailed)
            .map((l) => assembleReservedIPs(l.items).unwrapOr(EMPTY_RESERVED))
            .andThen((reserved) => loadSelection(ctx, v, true).map((sel) => ({ sel, reserved, ep }))),
        )
        .andThen(({ sel, reserved, ep }) => {
          const out: Explanation = { ...base, nics: [] };
          const notAlive = podNotAliveReason(v.pod);
          if (notAlive !== undefined) out.notAlive = notAlive;
          const existing = ep?.status.current.ips.find((d) => d.interface === ifName);
          if (existing !== undefined && (v.isStatic || ep?.status.current.uid === v.uid))
            out.existing = existing;
          if (sel.candidates.isErr()) return okAsync({ ...out, error: sel.candidates.error });
          const byName = new Map(sel.pools.map((p) => [p.metadata.name, p] as const));
          out.nics = sel.candidates.value.map((nic) => ({
            nic: nic.nic,
            source: nic.source,
            cleanGateway: nic.cleanGateway,
            versions: nic.versions.map((vc) => {
              const pools = vc.pools.map((name) => explainPool(ctx, byName.get(name), name, reserved));
              const first = pools.find((p) => p.nextIP !== undefined);
              const ev: ExplainVersion = { version: vc.version, pools, dropped: vc.dropped };
              if (first?.nextIP !== undefined) ev.chosen = { pool: first.pool, ip: first.nextIP };
              return ev;
            }),
          }));
          return okAsync(out);
        }),
    );
};
