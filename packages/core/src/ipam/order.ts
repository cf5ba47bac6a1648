// Ordering of the usable pools of one NIC and family (§3.4, `ippoolmanager.ByPoolPriority`): pools with
// podAffinity first, then nodeName, nodeAffinity, namespaceName, namespaceAffinity, multusName (compared in
// that order, "has it" before "has it not"). Spiderpool leaves equal-priority pools in random order (map +
// unstable sort, §8 quirk 2); here the tie-break is deterministic (docs/adr/0005-pool-selection-order.md):
// the position in the candidate list (the order the user wrote, wildcard matches and cluster defaults by
// name at the place of their entry), then the pool name.
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
