// Pure-TypeScript sparse engine: the used indices as a sorted array of maximal, disjoint, non-adjacent
// inclusive runs [starts[r], ends[r]]. Lookups are binary searches (O(log runs)); memory follows the number
// of runs, not the space. It is deliberately a different data structure from the WASM trie, so that the
// differential tests compare two independent designs.
import type { Corruption, EngineAudit } from './audit.ts';
import type { SparseEngine } from './engine.ts';

export class TsSparseEngine implements SparseEngine {
  readonly impl = 'ts' as const;
  private starts: bigint[] = [];
  private ends: bigint[] = [];
  private count = 0n;
  private readonly last: bigint;

  constructor(size: bigint) {
    this.last = size - 1n;
  }

  /** Index of the last run whose start <= x, or -1. */
  private runAtOrBefore(x: bigint): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((s[mid] as bigint) <= x) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  }

  used(): bigint {
    return this.count;
  }

  /** Estimate: two array slots (8 bytes) and one heap bigint (~24 bytes) per run end. */
  bytes(): number {
    return this.starts.length * 64;
  }

  allocate(): bigint {
    return this.allocateFrom(0n);
  }

  allocateFrom(cursor: bigint): bigint {
    const i = this.nextClear(cursor);
    if (i >= 0n) this.markRange(i, i, true);
    return i;
  }

  set(index: bigint): boolean {
    return this.markRange(index, index, true) === 1n;
  }

  clear(index: bigint): boolean {
    return this.markRange(index, index, false) === 1n;
  }

  get(index: bigint): boolean {
    const r = this.runAtOrBefore(index);
    return r >= 0 && (this.ends[r] as bigint) >= index;
  }

  nextSet(from: bigint): bigint {
    const r = this.runAtOrBefore(from);
    if (r >= 0 && (this.ends[r] as bigint) >= from) return from;
    return r + 1 < this.starts.length ? (this.starts[r + 1] as bigint) : -1n;
  }

  nextClear(from: bigint): bigint {
    const r = this.runAtOrBefore(from);
    if (r < 0 || (this.ends[r] as bigint) < from) return from;
    const e = (this.ends[r] as bigint) + 1n; // runs are non-adjacent, so e is free
    return e <= this.last ? e : -1n;
  }

  markRange(lo: bigint, hi: bigint, used: boolean): bigint {
    const starts = this.starts;
    const ends = this.ends;
    // Runs touching [lo, hi] (for a union, also the ones adjacent to it, which merge).
    const reachLo = used ? lo - 1n : lo;
    const reachHi = used ? hi + 1n : hi;
    let first = this.runAtOrBefore(reachLo);
    if (first < 0 || (ends[first] as bigint) < reachLo) first++;
    const last = this.runAtOrBefore(reachHi);
    let covered = 0n;
    for (let r = first; r <= last; r++) {
      const a = (starts[r] as bigint) > lo ? (starts[r] as bigint) : lo;
      const b = (ends[r] as bigint) < hi ? (ends[r] as bigint) : hi;
      if (a <= b) covered += b - a + 1n;
    }
    const newStarts: bigint[] = [];
    const newEnds: bigint[] = [];
    if (used) {
      const s0 = first <= last && (starts[first] as bigint) < lo ? (starts[first] as bigint) : lo;
      const e0 = first <= last && (ends[last] as bigint) > hi ? (ends[last] as bigint) : hi;
      newStarts.push(s0);
      newEnds.push(e0);
    } else if (first <= last) {
      if ((starts[first] as bigint) < lo) {
        newStarts.push(starts[first] as bigint);
        newEnds.push(lo - 1n);
      }
      if ((ends[last] as bigint) > hi) {
        newStarts.push(hi + 1n);
        newEnds.push(ends[last] as bigint);
      }
    }
    const removed = last - first + 1;
    if (removed === newStarts.length) {
      for (let k = 0; k < removed; k++) {
        starts[first + k] = newStarts[k] as bigint;
        ends[first + k] = newEnds[k] as bigint;
      }
    } else {
      starts.splice(first, removed, ...newStarts);
      ends.splice(first, removed, ...newEnds);
    }
    const changed = used ? hi - lo + 1n - covered : covered;
    this.count += used ? changed : -changed;
    return changed;
  }

  /** Runs in bounds, each start <= end, ascending with a gap of at least one free index; their total. */
  audit(): EngineAudit<bigint> {
    const starts = this.starts;
    const ends = this.ends;
    let counted = 0n;
    if (ends.length !== starts.length)
      return { counted, finding: { invariant: 'structure', level: 0, at: 0n } };
    let prevEnd = -2n;
    for (let r = 0; r < starts.length; r++) {
      const s = starts[r] as bigint;
      const e = ends[r] as bigint;
      if (s < prevEnd + 2n || e < s || e > this.last)
        return { counted, finding: { invariant: 'structure', level: 0, at: s } };
      counted += e - s + 1n;
      prevEnd = e;
    }
    return { counted, finding: undefined };
  }

  /** Test hook. */
  corrupt(c: Corruption): boolean {
    if (c === 'count') this.count++;
    else if (c === 'summary') {
      const e = this.ends[0];
      if (e === undefined) return false;
      this.starts[0] = e + 1n; // a run that ends before it starts
    } else return false;
    return true;
  }

  free(): void {
    this.starts = [];
    this.ends = [];
  }
}
