// DenseEngine over the paged layout of the shared WebAssembly instance (assembly/paged.ts): pages of 2^16
// indices made on first use and freed when empty, a dense "page full" summary to pick from.
import { err, ok, type Result } from 'neverthrow';
import type { Corruption, EngineAudit } from './audit.ts';
import { encodeDense } from './codec.ts';
import type { DenseEngine } from './engine.ts';
import { type BitmapError, outOfMemory } from './errors.ts';
import {
  forEachRawPage,
  PAGE_BITS,
  PAGE_BYTES,
  pagedRawChecksum,
  type RawPage,
  writePagedRaw,
} from './pagedRaw.ts';
import { type BitmapExports, leakGuard, loadWasm, readWasmAudit } from './wasmLoader.ts';

class WasmPagedEngine implements DenseEngine {
  readonly impl = 'wasm' as const;
  readonly layout = 'paged' as const;
  private readonly x: BitmapExports;
  private readonly h: number;
  private readonly size: number;

  constructor(x: BitmapExports, h: number, size: number) {
    this.x = x;
    this.h = h;
    this.size = size;
  }

  used(): number {
    return this.x.pagedUsed(this.h);
  }
  bytes(): number {
    return this.x.pagedBytes(this.h);
  }
  allocate(): number {
    return this.x.pagedAllocate(this.h);
  }
  allocateFrom(cursor: number): number {
    return this.x.pagedAllocateFrom(this.h, cursor);
  }
  set(index: number): boolean {
    return this.x.pagedSet(this.h, index) === 1;
  }
  clear(index: number): boolean {
    return this.x.pagedClear(this.h, index) === 1;
  }
  get(index: number): boolean {
    return this.x.pagedTest(this.h, index) === 1;
  }
  markRange(lo: number, hi: number, used: boolean): number {
    return this.x.pagedMarkRange(this.h, lo, hi, used ? 1 : 0);
  }
  nextSet(from: number): number {
    return this.x.pagedNextSet(this.h, from);
  }
  nextClear(from: number): number {
    return this.x.pagedNextClear(this.h, from);
  }

  private page(p: number): RawPage {
    const e = this.x.pagedEntry(this.h, p) >>> 0;
    if (e === 0) return 'empty';
    if (e === 1) return 'full';
    const len = Math.min(PAGE_BYTES, Math.ceil((this.size - p * PAGE_BITS) / 8));
    return new Uint8Array(this.x.memory.buffer, this.x.denseLeaf(e) >>> 0, len);
  }

  writeRaw(out: Uint8Array, offset: number): void {
    writePagedRaw(this.size, (p) => this.page(p), out, offset);
  }

  loadRaw(src: Uint8Array, offset: number): void {
    forEachRawPage(this.size, src, offset, (p, bytes) => {
      const pg = this.x.pagedPageFor(this.h, p) >>> 0; // may grow the memory: the view is built after it
      new Uint8Array(this.x.memory.buffer, this.x.denseLeaf(pg) >>> 0, bytes.length).set(bytes);
      this.x.pagedPageLoaded(this.h, p);
    });
  }

  rawChecksum(seed: bigint): bigint {
    return pagedRawChecksum(this.size, (out) => this.writeRaw(out, 0), seed);
  }

  encode(): Uint8Array {
    return encodeDense(this, this.size);
  }

  audit(): EngineAudit<number> {
    return readWasmAudit(this.x, this.x.pagedAudit(this.h), Number);
  }

  /** Test hook; pokes the block layout of assembly/paged.ts directly ('padding' has no paged form). */
  corrupt(c: Corruption): boolean {
    const dv = new DataView(this.x.memory.buffer);
    const h = this.h >>> 0;
    if (c === 'count') dv.setBigUint64(h + 8, dv.getBigUint64(h + 8, true) + 1n, true);
    else if (c === 'summary') {
      const leaf = dv.getUint32(dv.getUint32(h + 20, true) + 20, true); // the summary's level 0
      dv.setUint8(leaf, dv.getUint8(leaf) ^ 1); // page 0 full <-> not full
    } else return false;
    return true;
  }

  free(): void {
    leakGuard.unregister(this);
    this.x.pagedFree(this.h);
  }
}

/** A WASM paged engine of `size` indices (validated by the caller). */
export const createWasmPagedEngine = (size: number): Result<DenseEngine, BitmapError> =>
  loadWasm().andThen((x) => {
    let h: number;
    try {
      h = x.pagedCreate(size);
    } catch {
      return err(outOfMemory('dense', x.denseBytes(Math.ceil(size / 65_536))));
    }
    const engine = new WasmPagedEngine(x, h, size);
    leakGuard.register(engine, () => x.pagedFree(h), engine);
    return ok<DenseEngine, BitmapError>(engine);
  });
