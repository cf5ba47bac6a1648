// SparseEngine backed by the shared WebAssembly instance: a trie of heap blocks per allocator.
// u64 values cross the boundary as signed i64 bigints and are mapped back to [0, 2^64) here.
import { err, ok, type Result } from 'neverthrow';
import type { Corruption, EngineAudit } from './audit.ts';
import type { SparseEngine } from './engine.ts';
import { type BitmapError, outOfMemory } from './errors.ts';
import { type BitmapExports, leakGuard, loadWasm, readWasmAudit } from './wasmLoader.ts';

const TWO64 = 1n << 64n;

class WasmSparseEngine implements SparseEngine {
  readonly impl = 'wasm' as const;
  private readonly x: BitmapExports;
  private readonly h: number;

  constructor(x: BitmapExports, h: number) {
    this.x = x;
    this.h = h;
  }

  /** A search result: -1n is "none" unless the module says it found 2^64 - 1. */
  private index(r: bigint): bigint {
    if (r >= 0n) return r;
    if (r === -1n && this.x.sparseFound() === 0) return -1n;
    return r + TWO64;
  }

  used(): bigint {
    const u = this.x.sparseUsed(this.h);
    if (u === 0n) return this.x.sparseEmpty(this.h) === 1 ? 0n : TWO64;
    return u < 0n ? u + TWO64 : u;
  }
  bytes(): number {
    return this.x.sparseBytes(this.h);
  }
  allocate(): bigint {
    return this.index(this.x.sparseAllocate(this.h));
  }
  allocateFrom(cursor: bigint): bigint {
    return this.index(this.x.sparseAllocateFrom(this.h, cursor));
  }
  set(index: bigint): boolean {
    return this.x.sparseSet(this.h, index) === 1;
  }
  clear(index: bigint): boolean {
    return this.x.sparseClear(this.h, index) === 1;
  }
  get(index: bigint): boolean {
    return this.x.sparseTest(this.h, index) === 1;
  }
  markRange(lo: bigint, hi: bigint, used: boolean): bigint {
    const before = this.used();
    this.x.sparseMarkRange(this.h, lo, hi, used ? 1 : 0);
    const after = this.used();
    return used ? after - before : before - after;
  }
  nextSet(from: bigint): bigint {
    return this.index(this.x.sparseNextSet(this.h, from));
  }
  nextClear(from: bigint): bigint {
    return this.index(this.x.sparseNextClear(this.h, from));
  }
  audit(): EngineAudit<bigint> {
    return readWasmAudit(this.x, this.x.sparseAudit(this.h), (v) => v);
  }

  /** Test hook; pokes the layout of assembly/sparse.ts directly. */
  corrupt(c: Corruption): boolean {
    const dv = new DataView(this.x.memory.buffer);
    const h = this.h >>> 0;
    if (c === 'count') dv.setBigUint64(h + 16, BigInt.asUintN(64, dv.getBigUint64(h + 16, true) + 1n), true);
    else if (c === 'summary') {
      // Mark the root's first materialized child "full" as well: flags and children disagree.
      const root = dv.getUint32(h, true);
      const present = dv.getBigUint64(root + 8, true);
      if (present === 0n) return false;
      const lowest = present & -present;
      dv.setBigUint64(root, dv.getBigUint64(root, true) | lowest, true);
    } else return false;
    return true;
  }

  free(): void {
    leakGuard.unregister(this);
    this.x.sparseFree(this.h);
  }
}

/** A WASM sparse engine of `size` indices (validated by the caller). */
export const createWasmSparseEngine = (size: bigint): Result<SparseEngine, BitmapError> =>
  loadWasm().andThen((x) => {
    let h: number;
    try {
      h = x.sparseCreate(size - 1n);
    } catch {
      return err(outOfMemory('sparse', 304));
    }
    const engine = new WasmSparseEngine(x, h);
    leakGuard.register(engine, () => x.sparseFree(h), engine);
    return ok<SparseEngine, BitmapError>(engine);
  });
