// DenseEngine backed by the shared WebAssembly instance: one heap block per allocator.
import { err, ok, type Result } from 'neverthrow';
import type { Corruption, EngineAudit } from './audit.ts';
import { ENC_RUNS, encodeDense, HEADER_BYTES, tailMask } from './codec.ts';
import type { DenseEngine } from './engine.ts';
import { type BitmapError, outOfMemory } from './errors.ts';
import { type BitmapExports, leakGuard, loadWasm, readWasmAudit } from './wasmLoader.ts';

class WasmDenseEngine implements DenseEngine {
  readonly impl = 'wasm' as const;
  private readonly x: BitmapExports;
  private readonly h: number;
  private readonly size: number;

  constructor(x: BitmapExports, h: number, size: number) {
    this.x = x;
    this.h = h;
    this.size = size;
  }

  used(): number {
    return this.x.denseUsed(this.h);
  }
  bytes(): number {
    return this.x.denseBytes(this.size);
  }
  allocate(): number {
    return this.x.denseAllocate(this.h);
  }
  allocateFrom(cursor: number): number {
    return this.x.denseAllocateFrom(this.h, cursor);
  }
  set(index: number): boolean {
    return this.x.denseSet(this.h, index) === 1;
  }
  clear(index: number): boolean {
    return this.x.denseClear(this.h, index) === 1;
  }
  get(index: number): boolean {
    return this.x.denseTest(this.h, index) === 1;
  }
  markRange(lo: number, hi: number, used: boolean): number {
    return this.x.denseMarkRange(this.h, lo, hi, used ? 1 : 0);
  }
  nextSet(from: number): number {
    return this.x.denseNextSet(this.h, from);
  }
  nextClear(from: number): number {
    return this.x.denseNextClear(this.h, from);
  }

  writeRaw(out: Uint8Array, offset: number): void {
    const n = Math.ceil(this.size / 8);
    out.set(new Uint8Array(this.x.memory.buffer, this.x.denseLeaf(this.h) >>> 0, n), offset);
    const tail = this.size & 7;
    if (tail !== 0) out[offset + n - 1] = (out[offset + n - 1] as number) & ((1 << tail) - 1);
  }

  loadRaw(src: Uint8Array, offset: number): void {
    const n = Math.ceil(this.size / 8);
    new Uint8Array(this.x.memory.buffer, this.x.denseLeaf(this.h) >>> 0, n).set(
      src.subarray(offset, offset + n),
    );
    this.x.denseRebuild(this.h);
  }

  rawChecksum(seed: bigint): bigint {
    const n = Math.ceil(this.size / 8);
    return BigInt.asUintN(64, this.x.checksumMem(this.x.denseLeaf(this.h), n, seed, tailMask(this.size)));
  }

  /** Copies the payload into the heap and decodes it there (assembly/denseImport.ts). */
  loadRuns(src: Uint8Array, start: number, end: number): boolean | undefined {
    const x = this.x;
    const n = end - start;
    let p: number;
    try {
      p = x.exportAlloc(n) >>> 0;
    } catch {
      return undefined; // no room for a copy: the caller decodes in TS
    }
    new Uint8Array(x.memory.buffer, p, n).set(src.subarray(start, end));
    const valid = x.denseImportRuns(this.h, p, n) === 1;
    x.exportFree(p);
    return valid;
  }

  /**
   * Built in the module (assembly/denseExport.ts): a runs export comes back whole, a raw one as its header
   * (checksum included) and the bytes are copied from level 0. If the module runs out of memory for the
   * runs buffer, the shared TS codec encodes the same bytes.
   */
  encode(): Uint8Array {
    const x = this.x;
    let b: number;
    try {
      b = x.denseExport(this.h, x.denseLeaf(this.h)) >>> 0;
    } catch {
      return encodeDense(this, this.size);
    }
    const mem = new Uint8Array(x.memory.buffer);
    const len = new DataView(x.memory.buffer).getUint32(b + 24, true);
    let out: Uint8Array;
    if (mem[b + 6] === ENC_RUNS) out = mem.slice(b, b + HEADER_BYTES + len);
    else {
      out = new Uint8Array(HEADER_BYTES + len);
      out.set(mem.subarray(b, b + HEADER_BYTES));
      this.writeRaw(out, HEADER_BYTES);
    }
    x.exportFree(b);
    return out;
  }

  audit(): EngineAudit<number> {
    return readWasmAudit(this.x, this.x.denseAudit(this.h), Number);
  }

  /** Test hook; pokes the block layout of assembly/dense.ts directly. */
  corrupt(c: Corruption): boolean {
    const dv = new DataView(this.x.memory.buffer);
    const h = this.h >>> 0;
    if (c === 'count') dv.setBigUint64(h + 8, dv.getBigUint64(h + 8, true) + 1n, true);
    else if (c === 'summary') {
      if (dv.getUint32(h + 16, true) < 2) return false;
      const p = dv.getUint32(h + 24, true); // level 1
      dv.setUint8(p, dv.getUint8(p) ^ 1);
    } else {
      if (this.size % 64 === 0) return false;
      const p = dv.getUint32(h + 20, true) + (dv.getUint32(h + 44, true) - 1) * 8 + 7; // top byte, last word
      dv.setUint8(p, dv.getUint8(p) & 0x7f);
    }
    return true;
  }

  free(): void {
    leakGuard.unregister(this);
    this.x.denseFree(this.h);
  }
}

/** A WASM dense engine of `size` indices (validated by the caller). */
export const createWasmDenseEngine = (size: number): Result<DenseEngine, BitmapError> =>
  loadWasm().andThen((x) => {
    let h: number;
    try {
      h = x.denseCreate(size);
    } catch {
      return err(outOfMemory('dense', x.denseBytes(size)));
    }
    const engine = new WasmDenseEngine(x, h, size);
    leakGuard.register(engine, () => x.denseFree(h), engine);
    return ok<DenseEngine, BitmapError>(engine);
  });
