// DenseEngine backed by the shared WebAssembly instance: one heap block per allocator.
import { err, ok, type Result } from 'neverthrow';
import { tailMask } from './codec.ts';
import type { DenseEngine } from './engine.ts';
import { type BitmapError, outOfMemory } from './errors.ts';
import { type BitmapExports, leakGuard, loadWasm } from './wasmLoader.ts';

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

  rawChecksum(seed: number): number {
    const n = Math.ceil(this.size / 8);
    return this.x.checksumMem(this.x.denseLeaf(this.h), n, seed, tailMask(this.size)) >>> 0;
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
