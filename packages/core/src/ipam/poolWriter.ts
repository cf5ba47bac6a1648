// Per-agent batching of pool status writes. Every change to a pool's records (allocate, re-bind a fixed IP to
// a new Pod UID, release) is queued per pool; one flush per pool runs at a time and applies every queued op
// to the cached allocator, then writes the status once with compare-and-swap (Spiderpool serialises the
// same requests with a ticket queue and writes once per IP). On Conflict the pool is re-read, the cache
// brought in step, all ops of the batch re-applied and the write retried with backoff (retry.ts). A retry
// takes in the ops queued for the pool meanwhile (up to maxBatch), so under contention each write that
// wins carries more; a retry whose re-read shows another writer's commit is not charged against the
// attempts, the time budget bounds it instead. After a write that needed a retry, the next flush of that pool
// lingers a few ms so more ops share the next write (docs/adr/0030-pool-contention.md).
import { err, ok, type Result, ResultAsync } from 'neverthrow';
import type { IPPoolStatus, SpiderIPPool, SpiderReservedIP } from '../api/index.ts';
import { KIND_SPIDER_IPPOOL, KIND_SPIDER_RESERVED_IP } from '../api/index.ts';
import type { Store } from '../store/index.ts';
import type { BlockPools } from './blocks/blockPools.ts';
import { isBlockPool } from './blocks/format.ts';
import { type IpamError, poolNotFound, retriesExhausted, storeFailed } from './errors.ts';
import type { PoolAllocatorCache } from './poolCache.ts';
import { applyPoolOp, type PoolOp } from './poolOps.ts';
import { assembleReservedIPs, type ReservedSets } from './reservedIPs.ts';
import { backoffDelay, type RetryPolicy, type Sleep } from './retry.ts';

export interface PoolWriterStats {
  /** Successful status writes. */
  writes: number;
  /** Ops committed by those writes (allocations per write = committed / writes). */
  committedOps: number;
  /** Writes rejected with Conflict. */
  conflicts: number;
  /** Attempts after a Conflict. */
  retries: number;
  /** Ops that joined a batch at one of its retries (queued while it was being written). */
  joinedOps: number;
  /** Retries not charged against the attempts: the re-read showed another writer's commit. */
  progressRetries: number;
  /** The most attempts one successful write needed. */
  mostAttempts: number;
  /** Flushes that waited `lingerMs` first because the pool's last write needed a retry. */
  lingers: number;
}

export interface PoolWriterDeps {
  store: Store;
  cache: PoolAllocatorCache;
  policy: RetryPolicy;
  sleep: Sleep;
  random: () => number;
  /** Record cap per pool (`IpamSettings.maxAllocatedIPs`); undefined: none. */
  maxRecords: number | undefined;
  /** Most ops one status write carries (default: unlimited; 1 = Spiderpool's one write per op). */
  maxBatch?: number;
  /** Pools in the blocks format (ADR 0029) are written there instead. */
  blocks?: BlockPools;
  /**
   * Wait before taking a batch for a pool whose last write needed a retry (ms; default
   * DEFAULT_CONTENDED_LINGER_MS; 0: never). An uncontended pool is written at once.
   */
  lingerMs?: number;
}

/** How long a flush of a contended pool waits for more ops to join its batch (ms), by default. */
export const DEFAULT_CONTENDED_LINGER_MS = 3;

interface Pending {
  op: PoolOp;
  resolve: (r: Result<string[], IpamError>) => void;
}

export class PoolWriter {
  readonly stats: PoolWriterStats = {
    writes: 0,
    committedOps: 0,
    conflicts: 0,
    retries: 0,
    joinedOps: 0,
    progressRetries: 0,
    mostAttempts: 0,
    lingers: 0,
  };
  readonly #deps: PoolWriterDeps;
  readonly #queues = new Map<string, Pending[]>();
  readonly #running = new Set<string>();
  /** Pools whose last successful write needed more than one attempt. */
  readonly #contended = new Set<string>();

  constructor(deps: PoolWriterDeps) {
    this.#deps = deps;
  }

  /**
   * Queues one op on a pool. Resolves with the IPs concerned: the allocated or re-bound IP, or the released
   * IPs. Ops queued in the same tick (or while a flush of that pool is running) share one status write.
   */
  submit(pool: string, op: PoolOp): ResultAsync<string[], IpamError> {
    const promise = new Promise<Result<string[], IpamError>>((resolve) => {
      const queue = this.#queues.get(pool) ?? [];
      queue.push({ op, resolve });
      this.#queues.set(pool, queue);
    });
    if (!this.#running.has(pool)) this.#schedule(pool);
    return new ResultAsync(promise);
  }

  #schedule(pool: string): void {
    this.#running.add(pool);
    // A microtask later: ops submitted in the same tick join this batch.
    void Promise.resolve().then(() => this.#flush(pool));
  }

  async #flush(pool: string): Promise<void> {
    const linger = this.#deps.lingerMs ?? DEFAULT_CONTENDED_LINGER_MS;
    if (linger > 0 && this.#contended.has(pool)) {
      // The pool is contended: gather the ops arriving in the next few ms into this write (each write that
      // wins a contended pool is a scarce slot; ADR 0030).
      this.stats.lingers++;
      await this.#deps.sleep(linger);
    }
    const queue = this.#queues.get(pool) ?? [];
    const batch = queue.splice(0, this.#deps.maxBatch ?? queue.length);
    if (queue.length === 0) this.#queues.delete(pool);
    try {
      if (batch.length > 0) await this.#run(pool, batch);
    } finally {
      this.#running.delete(pool);
      if ((this.#queues.get(pool)?.length ?? 0) > 0) this.#schedule(pool);
    }
  }

  /** Moves the ops queued for `pool` since its batch was taken into `batch`, up to maxBatch in all. */
  #join(pool: string, batch: Pending[]): void {
    const queue = this.#queues.get(pool);
    const room = (this.#deps.maxBatch ?? Number.POSITIVE_INFINITY) - batch.length;
    if (queue === undefined || room <= 0) return;
    const joined = queue.splice(0, room);
    if (queue.length === 0) this.#queues.delete(pool);
    this.stats.joinedOps += joined.length;
    batch.push(...joined);
  }

  async #reserved(): Promise<Result<ReservedSets, IpamError>> {
    const listed = await this.#deps.store.list<SpiderReservedIP>(KIND_SPIDER_RESERVED_IP);
    if (listed.isErr()) return err(storeFailed(listed.error));
    return assembleReservedIPs(listed.value.items).mapErr(
      (bad): IpamError => ({
        _tag: 'CorruptPoolStatus',
        pool: `SpiderReservedIP/${bad.name}`,
        detail: bad.detail,
        message: `SpiderReservedIP ${bad.name} is unreadable: ${bad.detail}`,
      }),
    );
  }

  async #run(pool: string, batch: readonly Pending[]): Promise<void> {
    this.#deps.cache.hold(pool);
    try {
      await this.#attempts(pool, batch);
    } finally {
      this.#deps.cache.unhold(pool);
    }
  }

  async #attempts(pool: string, first: readonly Pending[]): Promise<void> {
    const { store, cache, policy } = this.#deps;
    const batch = [...first];
    const finish = (outcomes: readonly Result<string[], IpamError>[]): void => {
      batch.forEach((p, i) => {
        p.resolve(outcomes[i] ?? err(retriesExhausted(pool, 0)));
      });
    };
    const failAll = (e: IpamError): void => finish(batch.map(() => err(e)));
    const budgeted = policy.budgetMs !== undefined;
    const maxAttempts = budgeted ? (policy.maxAttempts ?? policy.attempts) : policy.attempts;
    /** Attempts without progress; the resourceVersion the last write was refused at; backoff slept. */
    let charged = 0;
    let refused: string | undefined;
    let slept = 0;
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) this.#join(pool, batch);
      const got = await store.get<SpiderIPPool>({ kind: KIND_SPIDER_IPPOOL, name: pool });
      if (got.isErr()) {
        if (got.error._tag !== 'NotFound') return failAll(storeFailed(got.error));
        cache.drop(pool);
        // A release from a pool that is gone has nothing left to free.
        return finish(batch.map((p) => (p.op.kind === 'release' ? ok([]) : err(poolNotFound(pool)))));
      }
      // The pool moved since our write was refused: another writer committed, which is progress.
      const moved = refused !== undefined && (got.value.metadata.resourceVersion ?? '') !== refused;
      if (budgeted && moved) this.stats.progressRetries++;
      else charged++;
      const reserved = await this.#reserved();
      if (reserved.isErr()) return failAll(reserved.error);
      if (this.#deps.blocks && isBlockPool(got.value))
        return finish(
          await this.#deps.blocks.run(
            got.value,
            reserved.value,
            batch.map((p) => p.op),
          ),
        );
      const synced = cache.sync(got.value, reserved.value);
      if (synced.isErr()) return failAll(synced.error);
      const alloc = synced.value;
      const handed = new Set<string>();
      const outcomes = batch.map((p) => applyPoolOp(alloc, p.op, handed, this.#deps.maxRecords));
      const changed = outcomes.filter((o) => o.isOk() && o.value.changed).length;
      const results = outcomes.map((o) => o.map((v) => v.ips));
      if (changed === 0) return finish(results);
      const status: IPPoolStatus = { ...got.value.status, allocatedIPCount: alloc.records.size };
      const encoded = alloc.encodeStatus();
      if (encoded === undefined) delete status.allocatedIPs;
      else status.allocatedIPs = encoded;
      const written = await store.updateStatus<SpiderIPPool>({ ...got.value, status });
      if (written.isOk()) {
        if (attempt > 1) this.#contended.add(pool);
        else this.#contended.delete(pool);
        this.stats.mostAttempts = Math.max(this.stats.mostAttempts, attempt);
        cache.advance(pool, written.value.metadata.resourceVersion ?? '');
        this.stats.writes++;
        this.stats.committedOps += changed;
        return finish(results);
      }
      cache.markDirty(pool);
      if (written.error._tag !== 'Conflict') return failAll(storeFailed(written.error));
      this.stats.conflicts++;
      refused = got.value.metadata.resourceVersion ?? '';
      const overBudget = budgeted && slept >= (policy.budgetMs ?? 0);
      if (charged >= policy.attempts || attempt >= maxAttempts || overBudget)
        return failAll(retriesExhausted(pool, attempt));
      this.stats.retries++;
      const delay = backoffDelay(policy, attempt, this.#deps.random);
      slept += delay;
      await this.#deps.sleep(delay);
    }
  }
}
