// The lanes64 checksum against a direct BigInt transcription of its definition (src/checksum.ts), and the
// module's i64 version against both.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECKSUM_IV, checksum64 } from './checksum.ts';
import { loadWasm } from './wasmLoader.ts';

const M = (1n << 64n) - 1n;
const P = 0x9e3779b97f4a7c15n;
const K = [0x243f6a8885a308d3n, 0x13198a2e03707344n, 0xa4093822299f31d0n, 0x082efa98ec4e6c89n];

const mix = (a: bigint, w: bigint): bigint => {
  const x = ((a ^ w) * P) & M;
  return x ^ (x >> 32n);
};

const reference = (b: Uint8Array, seed: bigint, lastMask: number): bigint => {
  const n = b.length;
  const lanes = K.map((k) => seed ^ k);
  for (let k = 0; k * 8 < n; k++) {
    let w = 0n;
    for (let i = Math.min(n, 8 * k + 8) - 1; i >= 8 * k; i--)
      w = (w << 8n) | BigInt((b[i] as number) & (i === n - 1 ? lastMask : 0xff));
    lanes[k & 3] = mix(lanes[k & 3] as bigint, w);
  }
  let h = seed ^ BigInt(n);
  for (const a of lanes) h = mix(h, a);
  return h;
};

const inputs = fc.record({
  bytes: fc.uint8Array({ maxLength: 200 }),
  seed: fc.bigInt({ min: 0n, max: M }),
  mask: fc.integer({ min: 0, max: 255 }),
  offset: fc.integer({ min: 0, max: 7 }),
});

describe('checksum64 (format v2)', () => {
  it('matches the BigInt definition, at any alignment (property)', () => {
    fc.assert(
      fc.property(inputs, ({ bytes, seed, mask, offset }) => {
        const padded = new Uint8Array(offset + bytes.length + 3);
        padded.set(bytes, offset);
        expect(checksum64(padded, offset, offset + bytes.length, seed, mask)).toBe(
          reference(bytes, seed, mask),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('the module computes the same function (property)', () => {
    const x = loadWasm()._unsafeUnwrap();
    fc.assert(
      fc.property(inputs, ({ bytes, seed, mask }) => {
        const p = x.exportAlloc(bytes.length + 8) >>> 0;
        new Uint8Array(x.memory.buffer, p, bytes.length).set(bytes);
        const got = BigInt.asUintN(64, x.checksumMem(p, bytes.length, seed, mask));
        x.exportFree(p);
        expect(got).toBe(reference(bytes, seed, mask));
      }),
      { numRuns: 500 },
    );
  });

  it('changes for any change inside one aligned 8-byte word', () => {
    const base = Uint8Array.from({ length: 96 }, (_, i) => (i * 37 + 11) & 0xff);
    const sum = checksum64(base, 0, base.length, CHECKSUM_IV);
    for (let i = 0; i < base.length; i++)
      for (const flip of [0x01, 0x10, 0x80, 0xff]) {
        const c = base.slice();
        c[i] = (c[i] as number) ^ flip;
        expect(checksum64(c, 0, c.length, CHECKSUM_IV)).not.toBe(sum);
      }
  });
});
