// Conversion between the two pool formats, pure (the caller writes the result). Spiderpool -> blocks keeps
// every record (pod, podUid) and takes the interface and node from the Pods' SpiderEndpoints when given;
// blocks -> Spiderpool keeps pod and podUid (all Spiderpool's record holds: the interface and node stay in the
// endpoints, where Spiderpool keeps them) and is refused with a typed error when the status would not fit in
// one object under etcd's request limit. Spiderpool -> blocks -> Spiderpool gives the same bytes back.
import { err, ok, type Result } from 'neverthrow';
import type { PoolIPAllocation, SpiderEndpoint, SpiderIPPool } from '../../api/index.ts';
import { decodeAllocatedIPs, encodeAllocatedIPs } from '../../api/index.ts';
import { endpointPoolIPs } from '../endpoint.ts';
import { BlockGeometry } from './blockGeometry.ts';
import {
  type BlockRecordTuple,
  blockAllocations,
  newBlockObject,
  type SpiderIPBlock,
} from './blockObject.ts';
import {
  BLOCK_SIZE_ANNOTATION,
  blockSizeOf,
  DEFAULT_BLOCK_SIZE,
  isBlockPool,
  POOL_FORMAT_ANNOTATION,
  POOL_FORMAT_BLOCKS,
} from './format.ts';

/** etcd's default `--max-request-bytes` (1.5 MiB): the bound of one stored object. */
export const ETCD_OBJECT_LIMIT_BYTES = 1_572_864;

export type ConversionError =
  | {
      _tag: 'RecordsExceedObjectLimit';
      pool: string;
      records: number;
      bytes: number;
      limit: number;
      message: string;
    }
  | { _tag: 'UnreadableRecords'; pool: string; field: string; detail: string; message: string }
  | { _tag: 'RecordOutsideSubnet'; pool: string; ip: string; message: string };

const unreadable = (pool: string, field: string, detail: string): ConversionError => ({
  _tag: 'UnreadableRecords',
  pool,
  field,
  detail,
  message: `IPPool ${pool}: ${field} is unreadable: ${detail}`,
});

/** UTF-8 length of a string (the stored object's bytes), without TextEncoder. */
export const utf8Length = (s: string): number => {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
};

export interface BlocksConversion {
  /** The pool with the blocks-format annotations and without `status.allocatedIPs`. */
  pool: SpiderIPPool;
  /** The blocks to create, ascending by index. */
  blocks: SpiderIPBlock[];
}

/** Interface and node of each (pool, ip, uid) from the endpoints. */
const ownersFromEndpoints = (
  pool: string,
  endpoints: readonly SpiderEndpoint[],
): Map<string, { nic: string; node: string; uid: string }> => {
  const out = new Map<string, { nic: string; node: string; uid: string }>();
  for (const ep of endpoints) {
    const cur = ep.status.current;
    for (const d of cur.ips) {
      for (const { pool: p, ip } of endpointPoolIPs([d]))
        if (p === pool) out.set(ip, { nic: d.interface, node: cur.node, uid: cur.uid });
    }
  }
  return out;
};

/** Spiderpool format -> blocks format (`blockSize` default: the pool's annotation, else 64). */
export const convertToBlocks = (
  pool: SpiderIPPool,
  options: { endpoints?: readonly SpiderEndpoint[]; blockSize?: number } = {},
): Result<BlocksConversion, ConversionError> => {
  const name = pool.metadata.name;
  const records = decodeAllocatedIPs(pool.status?.allocatedIPs);
  if (records.isErr()) return err(unreadable(name, 'status.allocatedIPs', records.error.message));
  const size = options.blockSize ?? (isBlockPool(pool) ? blockSizeOf(pool) : DEFAULT_BLOCK_SIZE);
  const { allocatedIPs: _dropped, ...status } = pool.status ?? {};
  const out: SpiderIPPool = {
    ...pool,
    metadata: {
      ...pool.metadata,
      annotations: {
        ...pool.metadata.annotations,
        [POOL_FORMAT_ANNOTATION]: POOL_FORMAT_BLOCKS,
        [BLOCK_SIZE_ANNOTATION]: String(size),
      },
    },
    status: { ...status, allocatedIPCount: records.value.size },
  };
  const geometry = BlockGeometry.build(out, undefined);
  if (geometry.isErr()) return err(unreadable(name, 'spec', geometry.error.message));
  const g = geometry.value;
  const owners = ownersFromEndpoints(name, options.endpoints ?? []);
  const byBlock = new Map<bigint, { tuples: BlockRecordTuple[]; nodes: Map<string, number> }>();
  for (const [ip, rec] of records.value) {
    const pos = g.positionOf(ip);
    if (pos === undefined)
      return err({
        _tag: 'RecordOutsideSubnet',
        pool: name,
        ip,
        message: `IPPool ${name}: record ${ip} is outside spec.subnet`,
      });
    const owner = owners.get(ip);
    const known = owner !== undefined && owner.uid === rec.podUid ? owner : undefined;
    const entry = byBlock.get(pos.index) ?? { tuples: [], nodes: new Map<string, number>() };
    byBlock.set(pos.index, entry);
    entry.tuples.push([pos.ordinal, rec.pod, rec.podUid, known?.nic ?? '', known?.node ?? '']);
    if (known !== undefined && known.node !== '')
      entry.nodes.set(known.node, (entry.nodes.get(known.node) ?? 0) + 1);
  }
  const blocks: SpiderIPBlock[] = [];
  for (const index of [...byBlock.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const entry = byBlock.get(index) as { tuples: BlockRecordTuple[]; nodes: Map<string, number> };
    // The block's node: the node most of its records run on ("" when none is known).
    let node = '';
    let best = 0;
    for (const [n, c] of entry.nodes) if (c > best || (c === best && n < node)) [node, best] = [n, c];
    const tuples = entry.tuples
      .map((t): BlockRecordTuple => (t[4] === node ? [t[0], t[1], t[2], t[3], ''] : t))
      .sort((a, b) => a[0] - b[0]);
    blocks.push(
      newBlockObject({ pool: name, index: index.toString(10), cidr: g.blockCIDR(index), node }, tuples),
    );
  }
  return ok({ pool: out, blocks });
};

export interface SpiderpoolConversion {
  /** The pool without the blocks-format annotations, its records in `status.allocatedIPs`. */
  pool: SpiderIPPool;
  /** Bytes of the pool object as JSON (what etcd stores). */
  bytes: number;
}

/**
 * Blocks format -> Spiderpool format; refused (RecordsExceedObjectLimit) when the pool object would exceed
 * `limit` bytes (default etcd's 1.5 MiB), since a real API server would not store it.
 */
export const convertToSpiderpool = (
  pool: SpiderIPPool,
  blocks: readonly SpiderIPBlock[],
  limit: number = ETCD_OBJECT_LIMIT_BYTES,
): Result<SpiderpoolConversion, ConversionError> => {
  const name = pool.metadata.name;
  const geometry = BlockGeometry.build(pool, undefined);
  if (geometry.isErr()) return err(unreadable(name, 'spec', geometry.error.message));
  const g = geometry.value;
  const records = new Map<string, PoolIPAllocation>();
  for (const b of blocks) {
    if (b.spec.pool !== name) continue;
    if (!/^[0-9]+$/.test(b.spec.index))
      return err(unreadable(name, `${b.metadata.name}.spec.index`, b.spec.index));
    const tuples = blockAllocations(b, g.size);
    if (tuples.isErr()) return err(unreadable(name, `${b.metadata.name}.status.allocations`, tuples.error));
    const index = BigInt(b.spec.index);
    for (const t of tuples.value) records.set(g.ipAt(index, t[0]), { pod: t[1], podUid: t[2] });
  }
  const annotations = { ...pool.metadata.annotations };
  delete annotations[POOL_FORMAT_ANNOTATION];
  delete annotations[BLOCK_SIZE_ANNOTATION];
  const { annotations: _a, ...meta } = pool.metadata;
  const { allocatedIPs: _s, ...status } = pool.status ?? {};
  const encoded = encodeAllocatedIPs(records);
  const out: SpiderIPPool = {
    ...pool,
    metadata: Object.keys(annotations).length > 0 ? { ...meta, annotations } : meta,
    status: {
      ...status,
      ...(encoded === undefined ? {} : { allocatedIPs: encoded }),
      allocatedIPCount: records.size,
    },
  };
  const bytes = utf8Length(JSON.stringify(out));
  if (bytes > limit)
    return err({
      _tag: 'RecordsExceedObjectLimit',
      pool: name,
      records: records.size,
      bytes,
      limit,
      message: `IPPool ${name}: ${records.size} records make a ${bytes}-byte object, over the ${limit}-byte limit of one stored object; keep the blocks format`,
    });
  return ok({ pool: out, bytes });
};
