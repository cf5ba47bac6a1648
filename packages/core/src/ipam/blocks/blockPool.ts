// One agent's view of one block pool: the blocks it has read (its own node's, and any it touched), which
// block indices are known to exist, and an index Pod UID -> IPs over those blocks. Nothing here grows with
// the pool's fill except what this agent itself holds: an allocation looks at this node's blocks with room
// (a set, O(1)), claims a new block when they are full (one create), and only when every block of the pool
// is claimed lists them all once to borrow room from another node's block.
import { err, ok, type Result } from 'neverthrow';
import type { SpiderIPPool } from '../../api/index.ts';
import type { IPRangeSet } from '../../ip/index.ts';
import type { Store } from '../../store/index.ts';
import { corruptPoolStatus, type IpamError, storeFailed } from '../errors.ts';
import { BlockGeometry, type BlockPosition } from './blockGeometry.ts';
import {
  BLOCK_NODE_LABEL,
  BLOCK_POOL_LABEL,
  type BlockRecordTuple,
  blockAllocations,
  blockName,
  KIND_SPIDER_IP_BLOCK,
  type SpiderIPBlock,
} from './blockObject.ts';
import { BlockState } from './blockState.ts';

/**
 * After this many claims in a row that found the block taken, the agent lists the pool's blocks once. Each
 * collision moves the search to another hashed point first, so in a pool whose blocks are mostly unclaimed a
 * collision costs one more create, not a walk through someone else's run of blocks.
 */
const COLLISIONS_BEFORE_LIST = 8;

const key = (index: bigint): string => index.toString(10);

/** FNV-1a of the node name: where this node starts looking for an unclaimed block (nodes spread out). */
const nodeHash = (s: string): bigint => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return BigInt(h);
};

export class BlockPool {
  readonly geometry: BlockGeometry;
  /** generation, subnet, block size and reserved key: a change rebuilds the whole view. */
  readonly shapeKey: string;
  readonly nodeName: string;
  readonly #blocks = new Map<string, BlockState>();
  /** This node's blocks with a free address. */
  readonly #withRoom = new Set<string>();
  /** Block indices known to exist in the store (read, written, or found taken by a create). */
  readonly #claimed = new Set<string>();
  readonly #byUid = new Map<string, string[]>();
  /** Blocks seen in a full list with room, not held in the view. */
  readonly #foreignRoom = new Map<string, bigint>();
  #ownLoaded = false;
  #listedAll = false;
  #collisions = 0;
  #cursor: bigint | undefined;
  /** Times the search point was moved by a collision (it seeds the next hashed point). */
  #jumps = 0;

  readonly #ranges: { first: bigint; last: bigint }[];

  private constructor(geometry: BlockGeometry, shapeKey: string, nodeName: string) {
    this.geometry = geometry;
    this.#ranges = geometry.candidateRanges();
    this.shapeKey = shapeKey;
    this.nodeName = nodeName;
  }

  static shapeKeyOf(pool: SpiderIPPool, reservedKey: string): string {
    return `${pool.metadata.generation ?? ''}|${pool.spec.subnet}|${reservedKey}|${pool.metadata.annotations?.['spiderpool-ts.io/block-size'] ?? ''}`;
  }

  static build(
    pool: SpiderIPPool,
    reserved: IPRangeSet | undefined,
    reservedKey: string,
    nodeName: string,
  ): Result<BlockPool, IpamError> {
    return BlockGeometry.build(pool, reserved).map(
      (g) => new BlockPool(g, BlockPool.shapeKeyOf(pool, reservedKey), nodeName),
    );
  }

  positionOf(ip: string): BlockPosition | undefined {
    return this.geometry.positionOf(ip);
  }

  cached(index: bigint): BlockState | undefined {
    return this.#blocks.get(key(index));
  }

  ipsOfUid(uid: string): readonly string[] {
    return this.#byUid.get(uid) ?? [];
  }

  /** Lists this node's blocks of the pool once (by label selector: bytes follow this node's share only). */
  async loadOwn(store: Store): Promise<Result<void, IpamError>> {
    if (this.#ownLoaded) return ok(undefined);
    const listed = await store.list<SpiderIPBlock>(KIND_SPIDER_IP_BLOCK, {
      labelSelector: {
        matchLabels: { [BLOCK_POOL_LABEL]: this.geometry.pool, [BLOCK_NODE_LABEL]: this.nodeName },
      },
    });
    if (listed.isErr()) return err(storeFailed(listed.error));
    for (const b of listed.value.items) {
      const r = this.adopt(b);
      if (r.isErr()) return err(r.error);
    }
    this.#ownLoaded = true;
    return ok(undefined);
  }

  /**
   * Lists every block of the pool (to borrow room, or after repeated claim collisions), once per view. Blocks
   * not already held are not decoded: only their index (claimed) and, when they have room, a note to GET
   * them when borrowing, so the agent's memory stays its own blocks plus one entry per block.
   */
  async loadAll(store: Store): Promise<Result<boolean, IpamError>> {
    if (this.#listedAll) return ok(false);
    const listed = await store.list<SpiderIPBlock>(KIND_SPIDER_IP_BLOCK, {
      labelSelector: { matchLabels: { [BLOCK_POOL_LABEL]: this.geometry.pool } },
    });
    if (listed.isErr()) return err(storeFailed(listed.error));
    for (const b of listed.value.items) {
      const idx = this.#indexOfObject(b);
      if (idx === undefined || b.spec.pool !== this.geometry.pool) continue;
      const k = key(idx);
      this.#claimed.add(k);
      if (this.#blocks.has(k)) continue;
      const used = Array.isArray(b.status?.allocations) ? b.status.allocations.length : 0;
      let usable = 0;
      for (const w of this.geometry.usableMask(idx)) usable += popcount(w);
      if (used < usable) this.#foreignRoom.set(k, idx);
    }
    this.#listedAll = true;
    return ok(true);
  }

  /** A block outside the view that had room when listed (GET it to borrow), lowest index first. */
  foreignWithRoom(): bigint | undefined {
    let best: bigint | undefined;
    for (const [k, idx] of this.#foreignRoom) {
      if (this.#blocks.has(k)) {
        this.#foreignRoom.delete(k);
        continue;
      }
      if (best === undefined || idx < best) best = idx;
    }
    return best;
  }

  noRoomIn(index: bigint): void {
    this.#foreignRoom.delete(key(index));
  }

  /** GETs one block into the view (NotFound: undefined; the index is then unclaimed as far as we know). */
  async fetch(store: Store, index: bigint): Promise<Result<BlockState | undefined, IpamError>> {
    const got = await store.get<SpiderIPBlock>({
      kind: KIND_SPIDER_IP_BLOCK,
      name: blockName(this.geometry.pool, index),
    });
    if (got.isErr()) {
      if (got.error._tag !== 'NotFound') return err(storeFailed(got.error));
      this.forget(index);
      return ok(undefined);
    }
    return this.adopt(got.value);
  }

  #indexOfObject(b: SpiderIPBlock): bigint | undefined {
    if (typeof b.spec?.index !== 'string' || !/^[0-9]+$/.test(b.spec.index)) return undefined;
    return BigInt(b.spec.index);
  }

  /** Replaces the view of a block with a stored object (validated). */
  adopt(b: SpiderIPBlock): Result<BlockState, IpamError> {
    const idx = this.#indexOfObject(b);
    if (idx === undefined || b.spec.pool !== this.geometry.pool)
      return err(
        corruptPoolStatus(b.metadata.name, 'spec.index / spec.pool do not name a block of this pool'),
      );
    const tuples = blockAllocations(b, this.geometry.size);
    if (tuples.isErr()) return err(corruptPoolStatus(b.metadata.name, tuples.error));
    this.forget(idx);
    const state = new BlockState(this.geometry, idx, typeof b.spec.node === 'string' ? b.spec.node : '', b);
    this.#blocks.set(key(idx), state);
    this.#claimed.add(key(idx));
    for (const t of tuples.value) this.record(state, t);
    this.#roomChanged(state);
    return ok(state);
  }

  /** Drops a block from the view (its records leave the UID index). */
  forget(index: bigint): void {
    const k = key(index);
    const had = this.#blocks.get(k);
    if (had === undefined) return;
    for (const t of had.records.values()) this.#unindex(t[2], this.geometry.ipAt(index, t[0]));
    this.#blocks.delete(k);
    this.#withRoom.delete(k);
  }

  record(state: BlockState, t: BlockRecordTuple): void {
    const old = state.records.get(t[0]);
    if (old !== undefined) this.#unindex(old[2], this.geometry.ipAt(state.index, t[0]));
    state.put(t);
    const ip = this.geometry.ipAt(state.index, t[0]);
    const list = this.#byUid.get(t[2]);
    if (list === undefined) this.#byUid.set(t[2], [ip]);
    else if (!list.includes(ip)) list.push(ip);
    this.#roomChanged(state);
  }

  unrecord(state: BlockState, ordinal: number): BlockRecordTuple | undefined {
    const t = state.remove(ordinal);
    if (t !== undefined) this.#unindex(t[2], this.geometry.ipAt(state.index, ordinal));
    this.#roomChanged(state);
    return t;
  }

  #unindex(uid: string, ip: string): void {
    const list = this.#byUid.get(uid);
    if (list === undefined) return;
    const rest = list.filter((x) => x !== ip);
    if (rest.length === 0) this.#byUid.delete(uid);
    else this.#byUid.set(uid, rest);
  }

  #roomChanged(state: BlockState): void {
    const k = key(state.index);
    if (state.node === this.nodeName && state.freeCount > 0 && this.#blocks.get(k) === state)
      this.#withRoom.add(k);
    else this.#withRoom.delete(k);
  }

  /** One of this node's blocks with a free address (the lowest-numbered one first is not promised). */
  ownWithRoom(): BlockState | undefined {
    for (const k of this.#withRoom) {
      const b = this.#blocks.get(k);
      if (b !== undefined && b.freeCount > 0) return b;
      this.#withRoom.delete(k);
    }
    return undefined;
  }

  /** Any block in the view with a free address (borrowing from another node), lowest index first. */
  anyWithRoom(): BlockState | undefined {
    let best: BlockState | undefined;
    for (const b of this.#blocks.values())
      if (b.freeCount > 0 && (best === undefined || b.index < best.index)) best = b;
    return best;
  }

  /**
   * A new block for this node at the next index not known to exist (starting where this node's hash points,
   * so nodes claim apart), or undefined when every block with usable addresses is known to exist.
   */
  claimNew(): BlockState | undefined {
    const ranges = this.#ranges;
    let total = 0n;
    for (const r of ranges) total += r.last - r.first + 1n;
    if (total === 0n) return undefined;
    if (this.#cursor === undefined)
      this.#cursor = nodeHash(this.#jumps === 0 ? this.nodeName : `${this.nodeName}#${this.#jumps}`) % total;
    for (let step = 0n; step < total; step++) {
      let pos = (this.#cursor + step) % total;
      let index: bigint | undefined;
      for (const r of ranges) {
        const n = r.last - r.first + 1n;
        if (pos < n) {
          index = r.first + pos;
          break;
        }
        pos -= n;
      }
      // Skipping known blocks one by one is bounded by the number of blocks that exist.
      if (index === undefined || this.#claimed.has(key(index)) || this.#blocks.has(key(index))) continue;
      this.#cursor = (this.#cursor + step) % total;
      const state = new BlockState(this.geometry, index, this.nodeName);
      if (state.freeCount === 0) {
        this.#claimed.add(key(index));
        continue;
      }
      this.#blocks.set(key(index), state);
      this.#roomChanged(state);
      return state;
    }
    return undefined;
  }

  /** A new block at `index` for this node (a fixed IP in a block nobody has claimed yet). */
  claimAt(index: bigint): BlockState {
    const state = new BlockState(this.geometry, index, this.nodeName);
    this.forget(index);
    this.#blocks.set(key(index), state);
    this.#roomChanged(state);
    return state;
  }

  /** A claim's create found the block taken: remember it; true when it is time to list the pool once. */
  collided(index: bigint): boolean {
    this.#claimed.add(key(index));
    this.#collisions++;
    this.#jumps++;
    this.#cursor = undefined;
    return this.#collisions >= COLLISIONS_BEFORE_LIST && !this.#listedAll;
  }

  claimSucceeded(): void {
    this.#collisions = 0;
  }

  get listedAll(): boolean {
    return this.#listedAll;
  }

  /** Number of blocks held in the view (tests, stats). */
  get size(): number {
    return this.#blocks.size;
  }
}

const popcount = (w: number): number => {
  let x = w - ((w >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};
