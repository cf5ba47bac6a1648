// The allocator cache of one engine: pool name -> {resourceVersion, allocator}. While the pool's
// resourceVersion is unchanged the allocator is reused as is (no JSON parse, no range walk). After our own
// successful write `advance` moves it to the new resourceVersion in place. When another writer moved it,
// the records are diffed against the new status; a changed spec (generation) or reserved set rebuilds.
import { ok, type Result } from 'neverthrow';
import type { SpiderIPPool } from '../api/index.ts';
import type { IpamError } from './errors.ts';
import { PoolAllocator } from './poolAllocator.ts';
import { type ReservedSets, reservedFor } from './reservedIPs.ts';

interface Entry {
  resourceVersion: string;
  generation: number | undefined;
  subnet: string;
  reservedKey: string;
  /** Set after a failed write: in-memory records may hold changes the store never took. */
  dirty: boolean;
  allocator: PoolAllocator;
}

export interface PoolCacheStats {
  /** Allocators built from scratch (parse spec + status). */
  builds: number;
  /** Allocators brought in step by diffing records (someone else wrote). */
  diffs: number;
  /** Reused without reading the status. */
  hits: number;
}

export class PoolAllocatorCache {
  readonly #entries = new Map<string, Entry>();
  /** Pools whose allocator a batch write is using right now (between its read and its write). */
  readonly #held = new Set<string>();
  readonly stats: PoolCacheStats = { builds: 0, diffs: 0, hits: 0 };

  /** The allocator for this exact pool object (its resourceVersion), built, diffed or reused. */
  sync(pool: SpiderIPPool, reserved: ReservedSets): Result<PoolAllocator, IpamError> {
    const name = pool.metadata.name;
    const rv = pool.metadata.resourceVersion ?? '';
    const entry = this.#entries.get(name);
    if (entry) {
      const sameShape =
        entry.generation === pool.metadata.generation &&
        entry.subnet === pool.spec.subnet &&
        entry.reservedKey === reserved.key;
      if (sameShape && entry.resourceVersion === rv && !entry.dirty) {
        this.stats.hits++;
        return ok(entry.allocator);
      }
      if (sameShape) {
        const r = entry.allocator.replaceRecords(pool.status?.allocatedIPs);
        if (r.isOk()) {
          this.stats.diffs++;
          entry.resourceVersion = rv;
          entry.dirty = false;
          return ok(entry.allocator);
        }
      }
      this.drop(name);
    }
    const version = pool.spec.subnet.includes(':') ? 6 : 4;
    return PoolAllocator.build(pool, reservedFor(reserved, version)).map((allocator) => {
      this.stats.builds++;
      this.#entries.set(name, {
        resourceVersion: rv,
        generation: pool.metadata.generation,
        subnet: pool.spec.subnet,
        reservedKey: reserved.key,
        dirty: false,
        allocator,
      });
      return allocator;
    });
  }

  /**
   * The pool writer holds a pool for the whole of a batch (read, apply, write, retries). While held, only the
   * writer may sync the entry: anyone else diffing it against an older status would take the batch's records
   * out of the allocator, and after `advance` the cache would claim a state the store does not hold.
   */
  hold(name: string): void {
    this.#held.add(name);
  }

  unhold(name: string): void {
    this.#held.delete(name);
  }

  /**
   * For readers other than the writer (explain): runs `use` on the allocator of this pool object without
   * disturbing a held entry (a throwaway allocator is built and disposed then); otherwise as `sync`.
   */
  inspect<T>(
    pool: SpiderIPPool,
    reserved: ReservedSets,
    use: (alloc: PoolAllocator) => T,
  ): Result<T, IpamError> {
    if (!this.#held.has(pool.metadata.name)) return this.sync(pool, reserved).map(use);
    const version = pool.spec.subnet.includes(':') ? 6 : 4;
    return PoolAllocator.build(pool, reservedFor(reserved, version)).map((alloc) => {
      try {
        return use(alloc);
      } finally {
        alloc.dispose();
      }
    });
  }

  /** After our own successful write: the allocator already holds the written state. */
  advance(name: string, resourceVersion: string): void {
    const entry = this.#entries.get(name);
    if (entry) {
      entry.resourceVersion = resourceVersion;
      entry.dirty = false;
    }
  }

  /** After a failed write: the next sync re-reads the records even if the resourceVersion did not move. */
  markDirty(name: string): void {
    const entry = this.#entries.get(name);
    if (entry) entry.dirty = true;
  }

  drop(name: string): void {
    const entry = this.#entries.get(name);
    if (entry) {
      entry.allocator.dispose();
      this.#entries.delete(name);
    }
  }

  /** Disposes the allocators of pools that no longer exist. */
  prune(existing: ReadonlySet<string>): void {
    for (const name of [...this.#entries.keys()]) if (!existing.has(name)) this.drop(name);
  }

  get size(): number {
    return this.#entries.size;
  }

  dispose(): void {
    for (const name of [...this.#entries.keys()]) this.drop(name);
  }
}
