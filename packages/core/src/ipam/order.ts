// Ordering of the usable pools of one NIC and family (§3.4, `ippoolmanager.ByPoolPriority`): pools with
// podAffinity first, then nodeName, nodeAffinity, namespaceName, namespaceAffinity, multusName (compared in
// that order, "has it" before "has it not"). Spiderpool leaves equal-priority pools in random order (map +
// unstable sort, §8 quirk 2); here the tie-break is deterministic (docs/adr/0005-pool-selection-order.md):
// the position in the candidate list (the order the user wrote, wildcard matches and cluster defaults by
// name at the place of their entry), then the pool name. Cluster default pools, an order nobody wrote, are
// rotated per node: a stable hash of the node name picks where each run of equal-priority pools starts, so
// different nodes fill different pools first instead of all fighting over the first
// (docs/adr/0030-pool-contention.md).
import type { SpiderIPPool } from '../api/index.ts';

/** A pool in a candidate list with its position there. */
export interface RankedPool {
  pool: SpiderIPPool;
  /** Index in the (expanded) candidate list: the tie-break after priority. */
  position: number;
}

const has = (v: readonly unknown[] | object | undefined): boolean =>
  v !== undefined && (!Array.isArray(v) || v.length > 0);

/**
 * The §3.4 priority as a number, higher first: podAffinity 32, nodeName 16, nodeAffinity 8, namespaceName 4,
 * namespaceAffinity 2, multusName 1 (the weights make numeric order equal Spiderpool's lexicographic order).
 */
export const poolPriority = (pool: SpiderIPPool): number => {
  const s = pool.spec;
  return (
    (has(s.podAffinity) ? 32 : 0) +
    (has(s.nodeName) ? 16 : 0) +
    (has(s.nodeAffinity) ? 8 : 0) +
    (has(s.namespaceName) ? 4 : 0) +
    (has(s.namespaceAffinity) ? 2 : 0) +
    (has(s.multusName) ? 1 : 0)
  );
};

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Total order: priority (higher first), then position, then name. Negative when `a` is tried first. */
export const comparePools = (a: RankedPool, b: RankedPool): number =>
  poolPriority(b.pool) - poolPriority(a.pool) ||
  a.position - b.position ||
  compareStrings(a.pool.metadata.name, b.pool.metadata.name);

/** A sorted copy (Array.prototype.sort is stable; the comparator is total anyway). */
export const orderPools = (pools: readonly RankedPool[]): RankedPool[] => [...pools].sort(comparePools);

/** A stable 32-bit hash of a string (FNV-1a, then murmur3's finaliser so the low bits mix too). */
export const stableHash = (text: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/**
 * `orderPools`, then each run of equal-priority pools rotated to start at `stableHash(key) mod length`:
 * the same key always gives the same order, different keys start on different pools, and a pool that is
 * full still falls through to the next (the run wraps around). For candidates whose order nobody gave
 * (cluster defaults); a user-given list is ordered with `orderPools` alone.
 */
export const orderPoolsRotated = (pools: readonly RankedPool[], key: string): RankedPool[] => {
  const sorted = orderPools(pools);
  const shift = stableHash(key);
  const priorities = sorted.map((r) => poolPriority(r.pool));
  const out: RankedPool[] = [];
  for (let start = 0; start < sorted.length; ) {
    let end = start + 1;
    while (end < sorted.length && priorities[end] === priorities[start]) end++;
    const run = sorted.slice(start, end);
    const at = shift % run.length;
    out.push(...run.slice(at), ...run.slice(0, at));
    start = end;
  }
  return out;
};
