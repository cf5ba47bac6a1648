// Differential property tests for the sparse bitmaps: WASM trie vs TS run list vs a Set model on random
// operation sequences (narrow ranges, anywhere in spaces up to 2^64), and WASM vs TS with huge ranges.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SparseBitmap } from './index.ts';
import { createSparseBitmap, importSparseBitmap } from './index.ts';

type Op =
  | { t: 'alloc' }
  | { t: 'from' | 'claim' | 'release' | 'test'; i: bigint }
  | { t: 'mark'; a: bigint; b: bigint; used: boolean }
  | { t: 'roundtrip' };

const sizeArb = fc.oneof(
  fc.constantFrom(1n, 63n, 64n, 4095n, 4097n, (1n << 20n) + 3n, 1n << 64n, (1n << 63n) + 5n, 1n << 32n),
  fc.bigInt({ min: 1n, max: 1n << 64n }),
);
/** Positions clustered so that operations collide: near 0, near the end, near a few pivots, or anywhere. */
const posArb = fc.oneof(
  fc.record({ k: fc.constant('lo' as const), d: fc.bigInt({ min: 0n, max: 9000n }) }),
  fc.record({ k: fc.constant('hi' as const), d: fc.bigInt({ min: 0n, max: 9000n }) }),
  fc.record({ k: fc.constant('mid' as const), d: fc.bigInt({ min: 0n, max: 300n }) }),
  fc.record({ k: fc.constant('any' as const), d: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) }),
);
type Pos = { k: 'lo' | 'hi' | 'mid' | 'any'; d: bigint };
const at = (p: Pos, size: bigint): bigint => {
  if (p.k === 'lo') return p.d % size;
  if (p.k === 'hi') return size - 1n - (p.d % size);
  if (p.k === 'mid') return (size / 3n + p.d) % size;
  return p.d % size;
};

const rawOpArb = (maxWidth: bigint) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ t: fc.constant('alloc' as const) }) },
    {
      weight: 3,
      arbitrary: fc.record({ t: fc.constantFrom('from', 'claim', 'release', 'test'), p: posArb }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant('mark' as const),
        p: posArb,
        w: fc.bigInt({ min: 0n, max: maxWidth }),
        used: fc.boolean(),
      }),
    },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('roundtrip' as const) }) },
  );
type RawOp =
  | { t: 'alloc' }
  | { t: 'roundtrip' }
  | { t: 'from' | 'claim' | 'release' | 'test'; p: Pos }
  | { t: 'mark'; p: Pos; w: bigint; used: boolean };

const resolve = (raw: RawOp, size: bigint): Op => {
  if (raw.t === 'alloc' || raw.t === 'roundtrip') return { t: raw.t };
  if (raw.t === 'mark') {
    const a = at(raw.p, size);
    const b = a + raw.w < size ? a + raw.w : size - 1n;
    return { t: 'mark', a, b, used: raw.used };
  }
  return { t: raw.t, i: at(raw.p, size) };
};

const apply = (b: SparseBitmap, op: Op): unknown => {
  switch (op.t) {
    case 'alloc':
      return b.allocate();
    case 'from':
      return b.allocateFrom(op.i)._unsafeUnwrap();
    case 'claim':
      return b.claim(op.i)._unsafeUnwrap();
    case 'release':
      return b.release(op.i)._unsafeUnwrap();
    case 'test':
      return b.test(op.i)._unsafeUnwrap();
    case 'mark':
      return b.markRange(op.a, op.b, op.used)._unsafeUnwrap();
    case 'roundtrip':
      return b.exportBytes();
  }
};

const applyModel = (used: Set<bigint>, size: bigint, op: Op): unknown => {
  switch (op.t) {
    case 'alloc':
    case 'from': {
      let i = op.t === 'alloc' ? 0n : op.i;
      while (i < size && used.has(i)) i++;
      if (i >= size) return -1n;
      used.add(i);
      return i;
    }
    case 'claim': {
      if (used.has(op.i)) return false;
      used.add(op.i);
      return true;
    }
    case 'release':
      return used.delete(op.i);
    case 'test':
      return used.has(op.i);
    case 'mark': {
      let n = 0n;
      for (let i = op.a; i <= op.b; i++) {
        if (used.has(i) === op.used) continue;
        n++;
        if (op.used) used.add(i);
        else used.delete(i);
      }
      return n;
    }
    case 'roundtrip':
      return undefined;
  }
};

const runsOf = (s: Set<bigint>): [bigint, bigint][] => {
  const out: [bigint, bigint][] = [];
  for (const i of [...s].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))) {
    const last = out[out.length - 1];
    if (last && last[1] === i - 1n) last[1] = i;
    else out.push([i, i]);
  }
  return out;
};

const run = (size: bigint, rawOps: RawOp[], withModel: boolean): void => {
  let wasm = createSparseBitmap(size, { impl: 'wasm' })._unsafeUnwrap();
  let ts = createSparseBitmap(size, { impl: 'ts' })._unsafeUnwrap();
  const model = new Set<bigint>();
  for (const raw of rawOps) {
    const op = resolve(raw, size);
    const w = apply(wasm, op);
    const t = apply(ts, op);
    if (op.t === 'roundtrip') {
      expect(w).toEqual(t);
      const w2 = importSparseBitmap(w as Uint8Array, { impl: 'wasm' })._unsafeUnwrap();
      const t2 = importSparseBitmap(t as Uint8Array, { impl: 'ts' })._unsafeUnwrap();
      wasm.dispose();
      ts.dispose();
      wasm = w2;
      ts = t2;
      continue;
    }
    expect(w).toBe(t);
    expect(wasm.usedCount).toBe(ts.usedCount);
    if (withModel) {
      expect(w).toBe(applyModel(model, size, op));
      expect(wasm.usedCount).toBe(BigInt(model.size));
    }
  }
  expect([...wasm.runs()]).toEqual([...ts.runs()]);
  if (withModel) expect([...ts.runs()]).toEqual(runsOf(model));
  wasm.dispose();
  ts.dispose();
};

describe('sparse: WASM vs TS vs Set model', () => {
  it('agree on random sequences with narrow ranges', () => {
    fc.assert(
      fc.property(sizeArb, fc.array(rawOpArb(300n), { minLength: 1, maxLength: 250 }), (size, ops) =>
        run(size, ops, true),
      ),
      { numRuns: 150 },
    );
  });

  it('WASM and TS agree on random sequences with huge ranges', () => {
    fc.assert(
      fc.property(sizeArb, fc.array(rawOpArb(1n << 64n), { minLength: 1, maxLength: 250 }), (size, ops) =>
        run(size, ops, false),
      ),
      { numRuns: 150 },
    );
  });
});
