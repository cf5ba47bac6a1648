// The records of a block pool for readers other than the agents (GC, the status controller, explain/audit):
// every block of the pool listed by label, flattened to (ip, owner) with the interface and node, and the
// GC's compare-and-swap release by owner UID, one block write per block touched.
import { err, errAsync, ok, okAsync, type Result, ResultAsync } from 'neverthrow';
import type { SpiderIPPool } from '../../api/index.ts';
import type { Store } from '../../store/index.ts';
import { corruptPoolStatus, type IpamError, retriesExhausted, storeFailed } from '../errors.ts';
import { BlockGeometry } from './blockGeometry.ts';
import {
  BLOCK_POOL_LABEL,
  blockAllocations,
  blockName,
  KIND_SPIDER_IP_BLOCK,
  type SpiderIPBlock,
} from './blockObject.ts';

/** One record of a block pool with its owner. */
export interface BlockPoolRecord {
  ip: string;
  /** `namespace/name`, as Spiderpool's record. */
  pod: string;
  podUid: string;
  /** "" when unknown (converted from the Spiderpool format without endpoints). */
  nic: string;
  node: string;
  block: string;
}

/** The pool's blocks, by label (one LIST: this reader's cost follows the fill, the agents' does not). */
export const listPoolBlocks = (store: Store, pool: string): ResultAsync<SpiderIPBlock[], IpamError> =>
  store
    .list<SpiderIPBlock>(KIND_SPIDER_IP_BLOCK, {
      labelSelector: { matchLabels: { [BLOCK_POOL_LABEL]: pool } },
    })
    .map((l) => l.items.filter((b) => b.spec?.pool === pool))
    .mapErr(storeFailed);

/** Flattens blocks into records (validated); ascending by block, then ordinal. */
export const recordsOfBlocks = (
  pool: SpiderIPPool,
  blocks: readonly SpiderIPBlock[],
): Result<BlockPoolRecord[], IpamError> => {
  const geometry = BlockGeometry.build(pool, undefined);
  if (geometry.isErr()) return err(geometry.error);
  const g = geometry.value;
  const out: BlockPoolRecord[] = [];
  for (const b of blocks) {
    if (typeof b.spec?.index !== 'string' || !/^[0-9]+$/.test(b.spec.index))
      return err(corruptPoolStatus(b.metadata.name, 'spec.index is not a block number'));
    const tuples = blockAllocations(b, g.size);
    if (tuples.isErr()) return err(corruptPoolStatus(b.metadata.name, tuples.error));
    const index = BigInt(b.spec.index);
    for (const t of tuples.value)
      out.push({
        ip: g.ipAt(index, t[0]),
        pod: t[1],
        podUid: t[2],
        nic: t[3],
        node: t[4] || b.spec.node,
        block: b.metadata.name,
      });
  }
  return ok(out);
};

/** Every record of a block pool with its owner. */
export const listBlockPoolRecords = (
  store: Store,
  pool: SpiderIPPool,
): ResultAsync<BlockPoolRecord[], IpamError> =>
  listPoolBlocks(store, pool.metadata.name).andThen((blocks) => recordsOfBlocks(pool, blocks));

export interface BlockReleaseOutcome {
  released: string[];
  unchanged: string[];
}

/** Removes records of a block pool whose podUid still matches, by CAS per block (re-read on Conflict). */
export const releaseBlockRecordsIfOwned = (
  store: Store,
  pool: SpiderIPPool,
  items: readonly { ip: string; podUid: string }[],
  options: { attempts?: number; sleep?: (attempt: number) => Promise<void> } = {},
): ResultAsync<BlockReleaseOutcome, IpamError> => {
  const geometry = BlockGeometry.build(pool, undefined);
  if (geometry.isErr()) return errAsync(geometry.error);
  const g = geometry.value;
  const byBlock = new Map<
    string,
    { index: bigint; items: { ip: string; podUid: string; ordinal: number }[] }
  >();
  const unchanged: string[] = [];
  for (const it of items) {
    const pos = g.positionOf(it.ip);
    if (pos === undefined) {
      unchanged.push(it.ip);
      continue;
    }
    const k = pos.index.toString(10);
    const e = byBlock.get(k) ?? { index: pos.index, items: [] };
    e.items.push({ ...it, ordinal: pos.ordinal });
    byBlock.set(k, e);
  }
  const attempts = options.attempts ?? 16;
  const one = (
    index: bigint,
    its: { ip: string; podUid: string; ordinal: number }[],
    n: number,
  ): ResultAsync<BlockReleaseOutcome, IpamError> =>
    store
      .get<SpiderIPBlock>({ kind: KIND_SPIDER_IP_BLOCK, name: blockName(pool.metadata.name, index) })
      .map((b): SpiderIPBlock | undefined => b)
      .orElse((e) => (e._tag === 'NotFound' ? okAsync(undefined) : errAsync(storeFailed(e))))
      .andThen((b) => {
        if (b === undefined) return okAsync({ released: [], unchanged: its.map((i) => i.ip) });
        const tuples = blockAllocations(b, g.size);
        if (tuples.isErr()) return errAsync(corruptPoolStatus(b.metadata.name, tuples.error));
        const drop = new Set<number>();
        const released: string[] = [];
        const kept: string[] = [];
        for (const it of its) {
          const t = tuples.value.find((x) => x[0] === it.ordinal);
          if (t !== undefined && t[2] === it.podUid) {
            drop.add(it.ordinal);
            released.push(it.ip);
          } else kept.push(it.ip);
        }
        if (drop.size === 0) return okAsync({ released, unchanged: kept });
        const allocations = tuples.value.filter((t) => !drop.has(t[0]));
        return store
          .update<SpiderIPBlock>({ ...b, status: { allocatedCount: allocations.length, allocations } })
          .map(() => ({ released, unchanged: kept }))
          .orElse((e): ResultAsync<BlockReleaseOutcome, IpamError> => {
            if (e._tag !== 'Conflict') return errAsync(storeFailed(e));
            if (n >= attempts) return errAsync(retriesExhausted(b.metadata.name, n));
            const wait = options.sleep ? options.sleep(n) : Promise.resolve();
            return ResultAsync.fromSafePromise(wait).andThen(() => one(index, its, n + 1));
          });
      });
  return ResultAsync.combine([...byBlock.values()].map((e) => one(e.index, e.items, 1))).map((outs) => ({
    released: outs.flatMap((o) => o.released),
    unchanged: [...unchanged, ...outs.flatMap((o) => o.unchanged)],
  }));
};

/** Records in the pool's blocks (the status controller's allocatedIPCount for a block pool). */
export const countBlockRecords = (blocks: readonly SpiderIPBlock[]): number =>
  blocks.reduce((n, b) => n + (Array.isArray(b.status?.allocations) ? b.status.allocations.length : 0), 0);

/** Whether a block pool (read now) records any of `ips` for Pod `key` (`namespace/name`); GETs only their blocks. */
export const blockPoolHolds = (
  store: Store,
  pool: SpiderIPPool,
  ips: readonly string[],
  key: string,
): ResultAsync<boolean, IpamError> => {
  const geometry = BlockGeometry.build(pool, undefined);
  // An unreadable pool might hold it.
  if (geometry.isErr()) return okAsync(true);
  const g = geometry.value;
  const checks = ips.map((ip) => {
    const pos = g.positionOf(ip);
    if (pos === undefined) return okAsync<boolean, IpamError>(false);
    return store
      .get<SpiderIPBlock>({ kind: KIND_SPIDER_IP_BLOCK, name: blockName(pool.metadata.name, pos.index) })
      .map((b) => {
        const tuples = blockAllocations(b, g.size);
        return tuples.isErr() || tuples.value.some((t) => t[0] === pos.ordinal && t[1] === key);
      })
      .orElse((e) => (e._tag === 'NotFound' ? okAsync(false) : errAsync(storeFailed(e))));
  });
  return ResultAsync.combine(checks).map((held) => held.some(Boolean));
};
