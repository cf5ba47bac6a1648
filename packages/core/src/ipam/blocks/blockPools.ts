// The block pools of one engine: a BlockPool view per pool name, rebuilt when the pool's shape (generation,
// subnet, block size, reserved IPs) changes. The pool writer hands it the batches of pools in the blocks
// format (the one branch in poolWriter.ts); everything else about those pools happens here.
import { err, ok, type Result } from 'neverthrow';
import type { SpiderIPPool } from '../../api/index.ts';
import type { IpamError } from '../errors.ts';
import type { PoolOp } from '../poolOps.ts';
import { type ReservedSets, reservedFor } from '../reservedIPs.ts';
import { type BlockBatchDeps, type BlockBatchStats, runBlockBatch } from './blockBatch.ts';
import { BlockPool } from './blockPool.ts';

export interface BlockPoolsDeps extends BlockBatchDeps {
  nodeName: string;
}

export class BlockPools {
  readonly stats: BlockBatchStats = { blockWrites: 0, blockConflicts: 0, claims: 0, fullLists: 0 };
  readonly #deps: BlockPoolsDeps;
  readonly #pools = new Map<string, BlockPool>();

  constructor(deps: BlockPoolsDeps) {
    this.#deps = deps;
  }

  /** The view of `pool` (built on first use or after a shape change). */
  view(pool: SpiderIPPool, reserved: ReservedSets): Result<BlockPool, IpamError> {
    const name = pool.metadata.name;
    const had = this.#pools.get(name);
    if (had !== undefined && had.shapeKey === BlockPool.shapeKeyOf(pool, reserved.key)) return ok(had);
    const version = pool.spec.subnet.includes(':') ? 6 : 4;
    return BlockPool.build(pool, reservedFor(reserved, version), reserved.key, this.#deps.nodeName).map(
      (p) => {
        this.#pools.set(name, p);
        return p;
      },
    );
  }

  /** Applies a batch of ops to a block pool: one outcome per op, in order. */
  async run(
    pool: SpiderIPPool,
    reserved: ReservedSets,
    ops: readonly PoolOp[],
  ): Promise<Result<string[], IpamError>[]> {
    const view = this.view(pool, reserved);
    if (view.isErr()) return ops.map(() => err(view.error));
    return runBlockBatch(this.#deps, this.stats, view.value, ops);
  }

  drop(name: string): void {
    this.#pools.delete(name);
  }
}
