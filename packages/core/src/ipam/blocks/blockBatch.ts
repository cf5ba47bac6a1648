// A batch of pool ops on a block pool: applied to the agent's blocks in memory, then every touched block is
// written once (create for a new claim, compare-and-swap update otherwise), all in parallel. The ops of a
// block whose write lost (Conflict, or a claim found the block taken) are re-applied after that block is
// re-read, with the writer's backoff; ops on blocks that were written are done. Per allocation that is one
// block write whose size is bounded by the block size, whatever the pool's fill.
import { err, ok, type Result } from 'neverthrow';
import type { Store } from '../../store/index.ts';
import {
  endpointMismatch,
  type IpamError,
  poolExhausted,
  retriesExhausted,
  staticIPUnavailable,
  storeFailed,
} from '../errors.ts';
import type { PoolOp } from '../poolOps.ts';
import { backoffDelay, type RetryPolicy, type Sleep } from '../retry.ts';
import type { BlockRecordTuple, SpiderIPBlock } from './blockObject.ts';
import type { BlockPool } from './blockPool.ts';
import type { BlockState } from './blockState.ts';

export interface BlockBatchDeps {
  store: Store;
  policy: RetryPolicy;
  sleep: Sleep;
  random: () => number;
}

export interface BlockBatchStats {
  /** Block objects written (creates + updates). */
  blockWrites: number;
  /** Block writes lost to another writer (Conflict) or claims that found the block taken. */
  blockConflicts: number;
  /** Blocks claimed (created). */
  claims: number;
  /** Full lists of a pool's blocks (borrowing, or after claim collisions). */
  fullLists: number;
}

interface Applied {
  ips: string[];
  /** Blocks whose records this op changed. */
  touched: BlockState[];
}

type Step = Result<Applied, IpamError>;

const node = (pool: BlockPool, b: BlockState): string => (b.node === pool.nodeName ? '' : pool.nodeName);

const withBlock = async (
  store: Store,
  pool: BlockPool,
  ip: string,
  fresh = false,
): Promise<
  Result<{ block: BlockState | undefined; ordinal: number; cached: boolean } | undefined, IpamError>
> => {
  const pos = pool.positionOf(ip);
  if (pos === undefined) return ok(undefined);
  const cached = fresh ? undefined : pool.cached(pos.index);
  if (cached !== undefined) return ok({ block: cached, ordinal: pos.ordinal, cached: true });
  return (await pool.fetch(store, pos.index)).map((block) => ({
    block,
    ordinal: pos.ordinal,
    cached: false,
  }));
};

/**
 * The block holding `ip` with a record matching `wanted`: the cached view first, and when it does not match
 * (another agent may have written the block since we read it) the block as stored now.
 */
const findRecord = async (
  store: Store,
  pool: BlockPool,
  ip: string,
  wanted: (t: BlockRecordTuple | undefined) => boolean,
): Promise<Result<{ block: BlockState | undefined; ordinal: number } | undefined, IpamError>> => {
  const first = await withBlock(store, pool, ip);
  if (first.isErr() || first.value === undefined || !first.value.cached) return first;
  const b = first.value.block;
  if (b !== undefined && wanted(b.records.get(first.value.ordinal))) return first;
  return withBlock(store, pool, ip, true);
};

const allocate = async (
  deps: BlockBatchDeps,
  stats: BlockBatchStats,
  pool: BlockPool,
  op: Extract<PoolOp, { kind: 'allocate' }>,
  handed: Set<string>,
): Promise<Step> => {
  const reuse = pool.ipsOfUid(op.podUid).find((ip) => !op.avoid.has(ip) && !handed.has(ip));
  if (reuse !== undefined) {
    handed.add(reuse);
    return ok({ ips: [reuse], touched: [] });
  }
  let block = pool.ownWithRoom() ?? pool.claimNew();
  if (block === undefined) {
    const listed = await pool.loadAll(deps.store);
    if (listed.isErr()) return err(listed.error);
    if (listed.value) stats.fullLists++;
    block = pool.ownWithRoom() ?? pool.claimNew() ?? pool.anyWithRoom();
    // Borrow: GET a block that had room when listed (its room may be gone by now).
    for (
      let idx = pool.foreignWithRoom();
      block === undefined && idx !== undefined;
      idx = pool.foreignWithRoom()
    ) {
      const got = await pool.fetch(deps.store, idx);
      if (got.isErr()) return err(got.error);
      pool.noRoomIn(idx);
      if (got.value !== undefined && got.value.freeCount > 0) block = got.value;
    }
  }
  if (block === undefined) return err(poolExhausted(pool.geometry.pool));
  const ordinal = block.take();
  if (ordinal < 0) return err(poolExhausted(pool.geometry.pool));
  pool.record(block, [ordinal, op.pod, op.podUid, op.nic ?? '', node(pool, block)]);
  const ip = pool.geometry.ipAt(block.index, ordinal);
  handed.add(ip);
  return ok({ ips: [ip], touched: [block] });
};

const rebind = async (
  deps: BlockBatchDeps,
  pool: BlockPool,
  op: Extract<PoolOp, { kind: 'rebind' }>,
): Promise<Step> => {
  const found = await findRecord(
    deps.store,
    pool,
    op.ip,
    (t) => t === undefined || (t[1] === op.pod && t[2] === op.podUid),
  );
  if (found.isErr()) return err(found.error);
  const name = pool.geometry.pool;
  if (found.value === undefined) return err(staticIPUnavailable(name, op.ip, 'not in the pool subnet'));
  const pos = pool.positionOf(op.ip);
  const block = found.value.block ?? (pos === undefined ? undefined : pool.claimAt(pos.index));
  if (block === undefined)
    return err(staticIPUnavailable(name, op.ip, 'not in the pool, excluded or reserved now'));
  const ordinal = found.value.ordinal;
  const rec = block.records.get(ordinal);
  if (rec !== undefined) {
    if (rec[1] !== op.pod)
      return err(endpointMismatch(op.pod, `IP ${op.ip} of IPPool ${name} is recorded for ${rec[1]}`));
    if (rec[2] === op.podUid) return ok({ ips: [op.ip], touched: [] });
    pool.record(block, [ordinal, op.pod, op.podUid, rec[3], node(pool, block)]);
    return ok({ ips: [op.ip], touched: [block] });
  }
  if (!block.isFree(ordinal))
    return err(staticIPUnavailable(name, op.ip, 'not in the pool, excluded or reserved now'));
  pool.record(block, [ordinal, op.pod, op.podUid, '', node(pool, block)]);
  return ok({ ips: [op.ip], touched: [block] });
};

const release = async (
  deps: BlockBatchDeps,
  pool: BlockPool,
  op: Extract<PoolOp, { kind: 'release' }>,
): Promise<Step> => {
  const freed: string[] = [];
  const touched: BlockState[] = [];
  for (const ip of op.ips ?? [...pool.ipsOfUid(op.podUid)]) {
    const found = await findRecord(deps.store, pool, ip, (t) => t?.[2] === op.podUid);
    if (found.isErr()) return err(found.error);
    const block = found.value?.block;
    if (found.value === undefined || block === undefined) continue;
    if (block.records.get(found.value.ordinal)?.[2] !== op.podUid) continue;
    pool.unrecord(block, found.value.ordinal);
    freed.push(ip);
    if (!touched.includes(block)) touched.push(block);
  }
  return ok({ ips: freed, touched });
};

const applyOp = (
  deps: BlockBatchDeps,
  stats: BlockBatchStats,
  pool: BlockPool,
  op: PoolOp,
  handed: Set<string>,
): Promise<Step> => {
  switch (op.kind) {
    case 'allocate':
      return allocate(deps, stats, pool, op, handed);
    case 'rebind':
      return rebind(deps, pool, op);
    case 'release':
      return release(deps, pool, op);
  }
};

type WriteOutcome = 'ok' | 'retry' | IpamError;

/** Writes one block; on a lost write the view of the block is re-read (so re-applied ops see the truth). */
const writeBlock = async (
  deps: BlockBatchDeps,
  stats: BlockBatchStats,
  pool: BlockPool,
  block: BlockState,
): Promise<WriteOutcome> => {
  const obj = block.toObject(pool.geometry);
  const creating = block.stored === undefined;
  const written = creating
    ? await deps.store.create<SpiderIPBlock>(obj)
    : await deps.store.update<SpiderIPBlock>(obj);
  if (written.isOk()) {
    stats.blockWrites++;
    if (creating) {
      stats.claims++;
      pool.claimSucceeded();
    }
    block.stored = written.value;
    return 'ok';
  }
  const tag = written.error._tag;
  pool.forget(block.index);
  if (tag === 'AlreadyExists' || tag === 'Conflict' || (tag === 'NotFound' && !creating)) {
    stats.blockConflicts++;
    if (tag === 'AlreadyExists' && pool.collided(block.index)) {
      const listed = await pool.loadAll(deps.store);
      if (listed.isErr()) return listed.error;
      if (listed.value) stats.fullLists++;
    }
    if (tag !== 'NotFound') {
      const again = await pool.fetch(deps.store, block.index);
      if (again.isErr()) return again.error;
    }
    return 'retry';
  }
  return storeFailed(written.error);
};

/** Runs `ops` on the block pool; one outcome per op (the IPs concerned), in order. */
export const runBlockBatch = async (
  deps: BlockBatchDeps,
  stats: BlockBatchStats,
  pool: BlockPool,
  ops: readonly PoolOp[],
): Promise<Result<string[], IpamError>[]> => {
  const outcomes: (Result<string[], IpamError> | undefined)[] = ops.map(() => undefined);
  const own = await pool.loadOwn(deps.store);
  if (own.isErr()) return ops.map(() => err(own.error));
  let pending = ops.map((_, i) => i);
  for (let attempt = 1; ; attempt++) {
    const handed = new Set<string>();
    const steps = new Map<number, Step>();
    for (const i of pending) steps.set(i, await applyOp(deps, stats, pool, ops[i] as PoolOp, handed));
    const blocks = new Set<BlockState>();
    for (const s of steps.values()) if (s.isOk()) for (const b of s.value.touched) blocks.add(b);
    const written = new Map<BlockState, WriteOutcome>();
    await Promise.all(
      [...blocks].map(async (b) => {
        written.set(b, await writeBlock(deps, stats, pool, b));
      }),
    );
    const again: number[] = [];
    for (const [i, s] of steps) {
      if (s.isErr()) {
        outcomes[i] = err(s.error);
        continue;
      }
      const bad = s.value.touched.map((b) => written.get(b) ?? 'ok').find((w) => w !== 'ok');
      if (bad === undefined) outcomes[i] = ok(s.value.ips);
      else if (bad === 'retry') again.push(i);
      else outcomes[i] = err(bad);
    }
    if (again.length === 0) break;
    if (attempt >= deps.policy.attempts) {
      for (const i of again) outcomes[i] = err(retriesExhausted(pool.geometry.pool, attempt));
      break;
    }
    pending = again;
    await deps.sleep(backoffDelay(deps.policy, attempt, deps.random));
  }
  return outcomes.map((o) => o ?? err(retriesExhausted(pool.geometry.pool, 0)));
};
