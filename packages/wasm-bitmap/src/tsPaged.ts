// Pure-TypeScript twin of the paged layout: a Map of TS dense engines, one per page of 2^16 indices that
// holds something (or the mark 'full' for a page a markRange filled whole), and a TS dense engine over the
// pages whose bit p is set when page p is full. Same rules as assembly/paged.ts (pages made on first use,
// freed when they empty, kept when they fill one index at a time) written as a composition of the dense
// twin rather than a transliteration of the module, so the differential tests compare two designs.
import type { Corruption, EngineAudit } from './audit.ts';
import { encodeDense } from './codec.ts';
import type { DenseEngine } from './engine.ts';
import { forEachRawPage, PAGE_BITS, pagedRawChecksum, writePagedRaw } from './pagedRaw.ts';
import { TsDenseEngine } from './tsDense.ts';

type Page = TsDenseEngine | 'full';

export class TsPagedEngine implements DenseEngine {
  readonly impl = 'ts' as const;
  readonly layout = 'paged' as const;
  private readonly size: number;
  private readonly pageCount: number;
  private pages = new Map<number, Page>();
  private summary: TsDenseEngine;
  /** One emptied page of the full 2^16 kept for reuse (as the module does). */
  private spare: TsDenseEngine | undefined;
  private count = 0;

  constructor(size: number) {
    this.size = size;
    this.pageCount = Math.ceil(size / PAGE_BITS);
    this.summary = new TsDenseEngine(this.pageCount);
  }

  private len(p: number): number {
    return p + 1 < this.pageCount ? PAGE_BITS : this.size - p * PAGE_BITS;
  }

  /** Page p as an engine, made (all free or all used) when absent or 'full'. */
  private engineOf(p: number): TsDenseEngine {
    const pg = this.pages.get(p);
    if (pg instanceof TsDenseEngine) return pg;
    const len = this.len(p);
    const e = this.spare !== undefined && len === PAGE_BITS ? this.spare : new TsDenseEngine(len);
    if (e === this.spare) this.spare = undefined;
    if (pg === 'full') e.markRange(0, this.len(p) - 1, true);
    this.pages.set(p, e);
    return e;
  }

  /** The summary bit follows page p's fullness; an empty page is dropped. */
  private settle(p: number, e: TsDenseEngine): void {
    const u = e.used();
    if (u === this.len(p)) this.summary.set(p);
    else this.summary.clear(p);
    if (u === 0) {
      this.pages.delete(p);
      if (this.spare === undefined && this.len(p) === PAGE_BITS) this.spare = e;
    }
  }

  used(): number {
    return this.count;
  }

  bytes(): number {
    let n = this.summary.bytes() + (this.spare?.bytes() ?? 0);
    for (const pg of this.pages.values()) n += 16 + (pg === 'full' ? 0 : pg.bytes());
    return n;
  }

  allocate(): number {
    const p = this.summary.nextClear(0);
    if (p < 0) return -1;
    const e = this.engineOf(p);
    const j = e.allocate();
    this.count++;
    this.settle(p, e);
    return p * PAGE_BITS + j;
  }

  nextClear(from: number): number {
    const p = Math.floor(from / PAGE_BITS);
    if (!this.summary.get(p)) {
      const pg = this.pages.get(p);
      if (pg === undefined) return from;
      if (pg !== 'full') {
        const j = pg.nextClear(from - p * PAGE_BITS);
        if (j >= 0) return p * PAGE_BITS + j;
      }
    }
    if (p + 1 >= this.pageCount) return -1;
    const q = this.summary.nextClear(p + 1);
    if (q < 0) return -1;
    const pg = this.pages.get(q);
    return q * PAGE_BITS + (pg instanceof TsDenseEngine ? pg.nextClear(0) : 0);
  }

  allocateFrom(cursor: number): number {
    const i = this.nextClear(cursor);
    if (i >= 0) this.set(i);
    return i;
  }

  set(index: number): boolean {
    const p = Math.floor(index / PAGE_BITS);
    if (this.pages.get(p) === 'full') return false;
    const e = this.engineOf(p);
    if (!e.set(index - p * PAGE_BITS)) return false;
    this.count++;
    this.settle(p, e);
    return true;
  }

  clear(index: number): boolean {
    const p = Math.floor(index / PAGE_BITS);
    if (!this.pages.has(p)) return false;
    const e = this.engineOf(p);
    if (!e.clear(index - p * PAGE_BITS)) return false;
    this.count--;
    this.settle(p, e);
    return true;
  }

  get(index: number): boolean {
    const p = Math.floor(index / PAGE_BITS);
    const pg = this.pages.get(p);
    return pg === undefined ? false : pg === 'full' ? true : pg.get(index - p * PAGE_BITS);
  }

  markRange(lo: number, hi: number, used: boolean): number {
    let changed = 0;
    for (let p = Math.floor(lo / PAGE_BITS); p <= Math.floor(hi / PAGE_BITS); p++) {
      const base = p * PAGE_BITS;
      const len = this.len(p);
      const a = Math.max(lo, base) - base;
      const b = Math.min(hi, base + len - 1) - base;
      const pg = this.pages.get(p);
      const before = pg === undefined ? 0 : pg === 'full' ? len : pg.used();
      if (a === 0 && b === len - 1) {
        if (used) {
          this.pages.set(p, 'full');
          this.summary.set(p);
          changed += len - before;
        } else {
          this.pages.delete(p);
          this.summary.clear(p);
          changed += before;
        }
        continue;
      }
      if (used ? pg === 'full' : pg === undefined) continue;
      const e = this.engineOf(p);
      changed += e.markRange(a, b, used);
      this.settle(p, e);
    }
    this.count += used ? changed : -changed;
    return changed;
  }

  nextSet(from: number): number {
    // Present pages in ascending order from the cursor's page.
    const first = Math.floor(from / PAGE_BITS);
    const keys = [...this.pages.keys()].filter((p) => p >= first).sort((x, y) => x - y);
    for (const p of keys) {
      const pg = this.pages.get(p) as Page;
      const off = p === first ? from - p * PAGE_BITS : 0;
      if (pg === 'full') return p * PAGE_BITS + off;
      const j = pg.nextSet(off);
      if (j >= 0) return p * PAGE_BITS + j;
    }
    return -1;
  }

  writeRaw(out: Uint8Array, offset: number): void {
    writePagedRaw(
      this.size,
      (p) => {
        const pg = this.pages.get(p);
        if (pg === undefined) return 'empty';
        if (pg === 'full') return 'full';
        const raw = new Uint8Array(Math.ceil(this.len(p) / 8));
        pg.writeRaw(raw, 0);
        return raw;
      },
      out,
      offset,
    );
  }

  loadRaw(src: Uint8Array, offset: number): void {
    forEachRawPage(this.size, src, offset, (p, bytes) => {
      const e = new TsDenseEngine(this.len(p));
      e.loadRaw(bytes, 0);
      this.pages.set(p, e);
      this.count += e.used();
      this.settle(p, e);
    });
  }

  rawChecksum(seed: bigint): bigint {
    return pagedRawChecksum(this.size, (out) => this.writeRaw(out, 0), seed);
  }

  encode(): Uint8Array {
    return encodeDense(this, this.size);
  }

  /** Every page audits clean and is non-empty (structure, level 0, at = page), the summary bit p is set
   * exactly when page p is full (summary, level -1, at = page), and the summary audits clean. */
  audit(): EngineAudit<number> {
    let counted = 0;
    for (let p = 0; p < this.pageCount; p++) {
      const pg = this.pages.get(p);
      let u = 0;
      if (pg === 'full') u = this.len(p);
      else if (pg !== undefined) {
        const a = pg.audit();
        if (a.finding) return { counted, finding: a.finding };
        if (a.counted !== pg.used() || a.counted === 0)
          return { counted, finding: { invariant: 'structure', level: 0, at: p } };
        u = a.counted;
      }
      counted += u;
      if (this.summary.get(p) !== (u === this.len(p)))
        return { counted, finding: { invariant: 'summary', level: -1, at: p } };
    }
    const s = this.summary.audit();
    if (s.finding) return { counted, finding: s.finding };
    return { counted, finding: undefined };
  }

  corrupt(c: Corruption): boolean {
    if (c === 'count') this.count++;
    else if (c === 'summary') {
      if (this.summary.get(0)) this.summary.clear(0);
      else this.summary.set(0);
    } else return false;
    return true;
  }

  free(): void {
    this.pages = new Map();
    this.spare = undefined;
    this.summary = new TsDenseEngine(1);
  }
}
