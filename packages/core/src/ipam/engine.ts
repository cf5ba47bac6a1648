// The IPAM engine of one agent: CNI ADD (`allocate`), CNI DEL (`release`) and `explain`, over a Store. Several
// engines (agents) may share one Store: pool records are only changed by compare-and-swap status writes, so an
// IP is never handed out twice. Clock, sleep and randomness are injected; the engine holds no timers.
import type { ResultAsync } from 'neverthrow';
import type { Store } from '../store/index.ts';
import { allocateFlow } from './allocateFlow.ts';
import { type BlockBatchStats, BlockPools } from './blocks/index.ts';
import type { EngineContext, EngineHooks } from './engineContext.ts';
import type { IpamError } from './errors.ts';
import { type Explanation, explainFlow } from './explain.ts';
import { PoolAllocatorCache, type PoolCacheStats } from './poolCache.ts';
import { PoolWriter, type PoolWriterStats } from './poolWriter.ts';
import { releaseFlow } from './releaseFlow.ts';
import type { IpamAddResult } from './result.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, type Sleep } from './retry.ts';
import { DEFAULT_IPAM_SETTINGS, type IpamCniConfig, type IpamRequest, type IpamSettings } from './types.ts';

export interface IpamEngineOptions {
  store: Store;
  /** This agent's node name. */
  nodeName: string;
  /** Defaults: DEFAULT_IPAM_SETTINGS (fields given here override). */
  settings?: Partial<IpamSettings>;
  /** Injected wait used between CAS retries. */
  sleep: Sleep;
  /** Injected randomness in [0, 1) for backoff jitter. */
  random: () => number;
  /** Conflict retry budget; default DEFAULT_RETRY_POLICY (16 attempts, 2 ms x2 capped at 100 ms, 50% jitter). */
  retry?: RetryPolicy;
  /** Most ops one pool status write carries (default unlimited; 1 disables batching, for comparison). */
  maxBatch?: number;
  /** Linger of a contended pool's flush (ms; default DEFAULT_CONTENDED_LINGER_MS, 0: never; ADR 0030). */
  lingerMs?: number;
  /** Fault injection for tests. */
  hooks?: EngineHooks;
}

export interface IpamEngineStats {
  writer: PoolWriterStats;
  cache: PoolCacheStats;
  /** Pools in the blocks format (ADR 0029). */
  blocks: BlockBatchStats;
}

export interface IpamEngine {
  readonly settings: IpamSettings;
  /** CNI ADD: the IPs of `req.ifName` (allocating every NIC of an `ippools` annotation on the first ADD). */
  allocate(req: IpamRequest): ResultAsync<IpamAddResult, IpamError>;
  /** CNI DEL: frees the Pod's IPs unless it is alive or a still-valid StatefulSet / KubeVirt Pod. */
  release(req: IpamRequest): ResultAsync<void, IpamError>;
  /**
   * Spiderpool's `DELETE /ipam/ips`: the CNI plugin detected an IP conflict or an unreachable gateway after
   * ADD; the Pod's IPs are released although it is alive, so kubelet's retry allocates again.
   */
  releaseIPs(req: IpamRequest): ResultAsync<void, IpamError>;
  /** The candidate pools, why each dropped pool was dropped, and which IP would be chosen now. No writes. */
  explain(
    podNamespace: string,
    podName: string,
    ifName: string,
    ipamConfig?: IpamCniConfig,
  ): ResultAsync<Explanation, IpamError>;
  /** Writes, conflicts, retries, allocations per write; allocator builds / diffs / reuses. */
  stats(): IpamEngineStats;
  /** Frees every cached allocator (WASM memory). */
  dispose(): void;
}

export const createIpamEngine = (options: IpamEngineOptions): IpamEngine => {
  const settings: IpamSettings = { ...DEFAULT_IPAM_SETTINGS, ...options.settings } as IpamSettings;
  const cache = new PoolAllocatorCache();
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const { store, nodeName, sleep, random } = options;
  const blocks = new BlockPools({ store, nodeName, sleep, random, policy: retry });
  const writer = new PoolWriter({
    store: options.store,
    cache,
    policy: retry,
    blocks,
    sleep: options.sleep,
    random: options.random,
    maxRecords: settings.maxAllocatedIPs,
    ...(options.maxBatch === undefined ? {} : { maxBatch: options.maxBatch }),
    ...(options.lingerMs === undefined ? {} : { lingerMs: options.lingerMs }),
  });
  const ctx: EngineContext = {
    store: options.store,
    settings,
    nodeName: options.nodeName,
    writer,
    cache,
    hooks: options.hooks ?? {},
  };
  return {
    settings,
    allocate: (req) => allocateFlow(ctx, req),
    release: (req) => releaseFlow(ctx, req),
    releaseIPs: (req) => releaseFlow(ctx, req, true),
    explain: (ns, name, ifName, ipamConfig = {}) => explainFlow(ctx, ns, name, ifName, ipamConfig),
    stats: () => ({ writer: { ...writer.stats }, cache: { ...cache.stats }, blocks: { ...blocks.stats } }),
    dispose: () => cache.dispose(),
  };
};
