// SpiderIPBlock (spiderpool-ts.io/v1alpha1, cluster-scoped): one aligned CIDR of a block pool's subnet, the
// node that claimed it, and the records of its addresses. Named `<pool>-<index>` (index = (block start -
// subnet network) / block size, decimal), so a block is found from an IP without a list and two agents
// claiming the same block collide on create (AlreadyExists): no IP is ever in two blocks.
import { err, ok, type Result } from 'neverthrow';
import type { ObjectMeta } from '../../api/index.ts';

export const SPIDERPOOL_TS_GROUP = 'spiderpool-ts.io';
export const SPIDER_IP_BLOCK_API_VERSION = `${SPIDERPOOL_TS_GROUP}/v1alpha1`;
export const KIND_SPIDER_IP_BLOCK = 'SpiderIPBlock';
/** Label with the pool's name on every block (list a pool's blocks by selector). */
export const BLOCK_POOL_LABEL = 'spiderpool-ts.io/pool';
/** Label with the affine node's name (an agent lists its own blocks by selector). */
export const BLOCK_NODE_LABEL = 'spiderpool-ts.io/node';

/**
 * One record: [ordinal in the block, Pod `namespace/name` (as Spiderpool's `pod`), Pod UID, interface, node].
 * The node is "" when it is the block's node; the interface is "" when unknown (converted from a Spiderpool
 * record whose endpoint was not given).
 */
export type BlockRecordTuple = [ordinal: number, pod: string, podUid: string, nic: string, node: string];

export interface SpiderIPBlockSpec {
  /** The SpiderIPPool this block belongs to. */
  pool: string;
  /** Block number in the pool's subnet (decimal text: IPv6 subnets have more than 2^53 blocks). */
  index: string;
  /** The block's addresses, an aligned CIDR inside the pool's subnet. */
  cidr: string;
  /** The node whose agent claimed the block ("" for none, e.g. converted records of unknown nodes). */
  node: string;
}

export interface SpiderIPBlockStatus {
  /** Number of records (printer column; always `allocations.length`). */
  allocatedCount: number;
  /** Ascending by ordinal. */
  allocations: BlockRecordTuple[];
}

export interface SpiderIPBlock {
  apiVersion: string;
  kind: typeof KIND_SPIDER_IP_BLOCK;
  metadata: ObjectMeta;
  spec: SpiderIPBlockSpec;
  status?: SpiderIPBlockStatus;
}

export const blockName = (pool: string, index: bigint): string => `${pool}-${index.toString(10)}`;

export const newBlockObject = (spec: SpiderIPBlockSpec, allocations: BlockRecordTuple[]): SpiderIPBlock => ({
  apiVersion: SPIDER_IP_BLOCK_API_VERSION,
  kind: KIND_SPIDER_IP_BLOCK,
  metadata: {
    name: blockName(spec.pool, BigInt(spec.index)),
    labels: { [BLOCK_POOL_LABEL]: spec.pool, ...(spec.node === '' ? {} : { [BLOCK_NODE_LABEL]: spec.node }) },
  },
  spec,
  status: { allocatedCount: allocations.length, allocations },
});

const isTuple = (x: unknown, size: number): x is BlockRecordTuple =>
  Array.isArray(x) &&
  x.length === 5 &&
  Number.isInteger(x[0]) &&
  (x[0] as number) >= 0 &&
  (x[0] as number) < size &&
  typeof x[1] === 'string' &&
  typeof x[2] === 'string' &&
  typeof x[3] === 'string' &&
  typeof x[4] === 'string';

/** The records of a block read from a store, checked (shape, ordinal range, no ordinal twice); else why not. */
export const blockAllocations = (block: SpiderIPBlock, size: number): Result<BlockRecordTuple[], string> => {
  const raw: unknown = block.status?.allocations ?? [];
  if (!Array.isArray(raw)) return err('status.allocations is not a list');
  const seen = new Set<number>();
  for (const [i, t] of raw.entries()) {
    if (!isTuple(t, size))
      return err(`status.allocations[${i}] is not [ordinal<${size}, pod, podUid, nic, node]`);
    if (seen.has(t[0])) return err(`status.allocations[${i}]: ordinal ${t[0]} twice`);
    seen.add(t[0]);
  }
  return ok(raw as BlockRecordTuple[]);
};
