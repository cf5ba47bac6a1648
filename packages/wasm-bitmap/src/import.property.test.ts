// Imports of damaged bytes: valid exports with bytes overwritten, appended or cut, the length and checksum
// then recomputed so the damage reaches the payload and header checks (not only the checksum). Neither
// implementation may throw; both must give the same answer (the same error, or allocators in the same state);
// an accepted allocator must hold exactly what its runs say (its count agrees with its runs).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECKSUM_AT, exportChecksum, HEADER_BYTES } from './codec.ts';
import type { BitmapError } from './errors.ts';
import type { DenseBitmap, SparseBitmap } from './index.ts';
import { createDenseBitmap, createSparseBitmap, importDenseBitmap, importSparseBitmap } from './index.ts';

/** Makes the header's length and checksum fields match whatever bytes are there. */
const reseal = (b: Uint8Array): Uint8Array => {
  const c = b.slice();
  if (c.length >= HEADER_BYTES) {
    const dv = new DataView(c.buffer);
    dv.setUint32(24, c.length - HEADER_BYTES, true);
    dv.setBigUint64(CHECKSUM_AT, exportChecksum(c), true);
  }
  return c;
};

const damage = fc.record({
  writes: fc.array(fc.tuple(fc.nat(420), fc.nat(255)), { maxLength: 4 }),
  resize: fc.integer({ min: -4, max: 4 }),
});

const damaged = (bytes: Uint8Array, d: { writes: [number, number][]; resize: number }): Uint8Array => {
  let b = bytes.slice();
  for (const [pos, v] of d.writes) if (pos < b.length) b[pos] = v;
  if (d.resize > 0) b = Uint8Array.from([...b, ...new Array<number>(d.resize).fill(0)]);
  else if (d.resize < 0) b = b.slice(0, Math.max(0, b.length + d.resize));
  return reseal(b);
};

type Outcome<B> = { ok: true; value: B } | { ok: false; error: BitmapError };

const run = <B>(f: () => { isOk(): boolean; _unsafeUnwrap(): B; _unsafeUnwrapErr(): BitmapError }) => {
  const r = f(); // a throw fails the property
  return (
    r.isOk() ? { ok: true, value: r._unsafeUnwrap() } : { ok: false, error: r._unsafeUnwrapErr() }
  ) as Outcome<B>;
};

const sameAnswer = <B extends DenseBitmap | SparseBitmap>(w: Outcome<B>, t: Outcome<B>): void => {
  expect(w.ok).toBe(t.ok);
  if (!w.ok || !t.ok) {
    if (!w.ok && !t.ok) expect(w.error).toEqual(t.error);
    return;
  }
  const runs = [...w.value.runs()];
  expect(runs).toEqual([...t.value.runs()]);
  expect(w.value.usedCount).toBe(t.value.usedCount);
  const counted = runs.reduce<bigint>((n, [s, e]) => n + BigInt(e) - BigInt(s) + 1n, 0n);
  expect(BigInt(w.value.usedCount)).toBe(counted);
  expect(w.value.exportBytes()).toEqual(t.value.exportBytes());
  expect(w.value.allocate()).toBe(t.value.allocate());
  w.value.dispose();
  t.value.dispose();
};

describe('imports of damaged bytes', () => {
  it('dense: no throw, WASM and TS agree', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.tuple(fc.nat(299), fc.nat(20)), { maxLength: 12 }),
        damage,
        (size, marks, d) => {
          const src = createDenseBitmap(size, { impl: 'ts' })._unsafeUnwrap();
          for (const [s, l] of marks) if (s < size) src.markRange(s, Math.min(size - 1, s + l), true);
          const bytes = damaged(src.exportBytes(), d);
          sameAnswer(
            run<DenseBitmap>(() => importDenseBitmap(bytes, { impl: 'wasm' })),
            run<DenseBitmap>(() => importDenseBitmap(bytes, { impl: 'ts' })),
          );
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('sparse: no throw, WASM and TS agree', () => {
    const TOP = 1n << 64n;
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: TOP }),
        fc.array(fc.tuple(fc.bigInt({ min: 0n, max: TOP - 1n }), fc.bigInt({ min: 0n, max: 1n << 40n })), {
          maxLength: 8,
        }),
        damage,
        (size, marks, d) => {
          const src = createSparseBitmap(size, { impl: 'ts' })._unsafeUnwrap();
          for (const [s0, l] of marks) {
            const s = s0 % size;
            src.markRange(s, s + l >= size ? size - 1n : s + l, true);
          }
          const bytes = damaged(src.exportBytes(), d);
          sameAnswer(
            run<SparseBitmap>(() => importSparseBitmap(bytes, { impl: 'wasm' })),
            run<SparseBitmap>(() => importSparseBitmap(bytes, { impl: 'ts' })),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('dense runs payloads of arbitrary bytes: the module decoder accepts and rejects exactly as the TS one', () => {
    // Bytes biased to varint edge cases: terminators, continuations, zero (overlong), 1 (a tenth byte).
    const payloadByte = fc.oneof(
      fc.constantFrom(0x00, 0x01, 0x02, 0x7f, 0x80, 0x81, 0xff),
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0, max: 9 }),
    );
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1 << 16 }),
        fc.array(payloadByte, { maxLength: 40 }),
        fc.oneof(fc.constant(null), fc.constant(null), fc.constant(null), fc.nat(2000)),
        (size, payload, claimed) => {
          const head = createDenseBitmap(size, { impl: 'ts' })._unsafeUnwrap();
          head.markRange(0, 0, true); // a runs export: the header to build on
          const b = new Uint8Array(HEADER_BYTES + payload.length);
          b.set(head.exportBytes().subarray(0, HEADER_BYTES));
          b.set(payload, HEADER_BYTES);
          head.dispose();
          // The count the runs really hold, when they decode, unless a (usually wrong) one is claimed.
          const t = importDenseBitmap(reseal(b), { impl: 'ts' });
          const used = claimed ?? (t.isOk() ? t.value.usedCount : 0);
          if (t.isOk()) t.value.dispose();
          new DataView(b.buffer).setBigUint64(16, BigInt(used), true);
          const bytes = reseal(b);
          const w = run<DenseBitmap>(() => importDenseBitmap(bytes, { impl: 'wasm' }));
          if (w.ok) accepted++;
          sameAnswer(
            w,
            run<DenseBitmap>(() => importDenseBitmap(bytes, { impl: 'ts' })),
          );
        },
      ),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(150); // both paths, not only rejections, were compared
  });

  it('rejects format version 1 with a version error', () => {
    const b = createDenseBitmap(100, { impl: 'ts' })._unsafeUnwrap();
    const bytes = b.exportBytes();
    b.dispose();
    bytes[4] = 1;
    for (const impl of ['wasm', 'ts'] as const)
      expect(importDenseBitmap(reseal(bytes), { impl })._unsafeUnwrapErr()).toMatchObject({
        _tag: 'CorruptBitmapBytes',
        problem: 'version',
        offset: 4,
        message: expect.stringMatching(/version 1 is no longer read/),
      });
  });
});
