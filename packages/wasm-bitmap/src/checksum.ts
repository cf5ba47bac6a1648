// Format v2 checksum ("lanes64"), the TypeScript side; assembly/checksum.ts computes the same function with
// i64 operations. Defined on unsigned 64-bit integers, arithmetic mod 2^64:
//
//   mix(a, w)     = x ^ (x >> 32), where x = (a ^ w) * P
//   lanes(b, s)   : the n bytes of b read as m = ceil(n / 8) little-endian u64 words (the last one
//                   zero-extended, its byte n-1 ANDed with lastMask); lane j starts at s ^ K[j] and takes
//                   words j, j+4, j+8, ... in order (a = mix(a, word)); then h = s ^ n and
//                   h = mix(h, lane[j]) for j = 0..3. The result is h.
//   export checksum = lanes(payload, lanes(header bytes 0..31, IV))
//
// The four lanes are independent chains, so a CPU overlaps them (the v1 checksum was one serial chain).
// Every step is a bijection of the lane (P is odd) and the final fold is a bijection of each lane for fixed
// others, so any change confined to one aligned 8-byte word always changes the 64-bit result; other damage
// collides with probability about 2^-64. Here each u64 is a (hi, lo) pair of uint32s; the high half of
// lo * PL (a 32x32-bit product) comes from four 16x16-bit Math.imul products. Both 16-bit halves of PL are
// below 2^15, so every partial sum stays below 2^32 (this was faster than exact float products).

/** The odd multiplier P (golden-ratio constant), as 32-bit halves. */
const PH = 0x9e3779b9;
const PL = 0x7f4a7c15;
const PL_HI16 = PL >>> 16;
const PL_LO16 = PL & 0xffff;
/** Lane start offsets K[0..3] (hex digits of pi), hi/lo interleaved. */
const K = [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0x082efa98, 0xec4e6c89];
/** Seed of the header checksum (fractional part of sqrt 2). */
export const CHECKSUM_IV = 0x6a09e667f3bcc908n;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Lane state: hi/lo uint32 pairs of lanes 0..3, then of the fold h. Reused (the module is synchronous). */
const st = new Uint32Array(10);

/** High 32 bits of the 64-bit product of uint32(x) and PL. */
const mulHi = (x: number): number => {
  const lo = x & 0xffff;
  const hi = x >>> 16;
  const m1 = Math.imul(hi, PL_LO16) + (Math.imul(lo, PL_LO16) >>> 16);
  const m2 = Math.imul(lo, PL_HI16) + (m1 & 0xffff);
  return Math.imul(hi, PL_HI16) + (m1 >>> 16) + (m2 >>> 16);
};

/** st[i], st[i+1] = mix((st[i], st[i+1]), (wh, wl)). */
const mixInto = (i: number, wh: number, wl: number): void => {
  const xl = (st[i + 1] as number) ^ wl;
  const xh = (st[i] as number) ^ wh;
  const h = (mulHi(xl) + Math.imul(xl, PH) + Math.imul(xh, PL)) | 0;
  st[i] = h;
  st[i + 1] = Math.imul(xl, PL) ^ h;
};

/**
 * lanes() over words[0 .. 2q) (q whole u64 words, no masking), the 4 lanes in locals; st must hold the
 * lanes' start state and receives their end state.
 */
const plainWords = (words: Uint32Array, q: number): void => {
  let a0h = st[0] as number;
  let a0l = st[1] as number;
  let a1h = st[2] as number;
  let a1l = st[3] as number;
  let a2h = st[4] as number;
  let a2l = st[5] as number;
  let a3h = st[6] as number;
  let a3l = st[7] as number;
  let i = 0;
  const end4 = (q - (q & 3)) * 2;
  for (; i < end4; i += 8) {
    let xl = a0l ^ (words[i] as number);
    let xh = a0h ^ (words[i + 1] as number);
    a0h = (mulHi(xl) + Math.imul(xl, PH) + Math.imul(xh, PL)) | 0;
    a0l = Math.imul(xl, PL) ^ a0h;
    xl = a1l ^ (words[i + 2] as number);
    xh = a1h ^ (words[i + 3] as number);
    a1h = (mulHi(xl) + Math.imul(xl, PH) + Math.imul(xh, PL)) | 0;
    a1l = Math.imul(xl, PL) ^ a1h;
    xl = a2l ^ (words[i + 4] as number);
    xh = a2h ^ (words[i + 5] as number);
    a2h = (mulHi(xl) + Math.imul(xl, PH) + Math.imul(xh, PL)) | 0;
    a2l = Math.imul(xl, PL) ^ a2h;
    xl = a3l ^ (words[i + 6] as number);
    xh = a3h ^ (words[i + 7] as number);
    a3h = (mulHi(xl) + Math.imul(xl, PH) + Math.imul(xh, PL)) | 0;
    a3l = Math.imul(xl, PL) ^ a3h;
  }
  st[0] = a0h;
  st[1] = a0l;
  st[2] = a1h;
  st[3] = a1l;
  st[4] = a2h;
  st[5] = a2l;
  st[6] = a3h;
  st[7] = a3l;
  for (let k = end4 / 2; k < q; k++) mixInto((k & 3) * 2, words[2 * k + 1] as number, words[2 * k] as number);
};

/** Little-endian uint32 words of b[start, start + 8q), a view when aligned, else a copy. */
const wordsOf = (b: Uint8Array, start: number, q: number): Uint32Array => {
  const at = b.byteOffset + start;
  if (LITTLE_ENDIAN && at % 4 === 0) return new Uint32Array(b.buffer, at, 2 * q);
  const out = new Uint32Array(2 * q);
  const dv = new DataView(b.buffer, at, 8 * q);
  for (let i = 0; i < 2 * q; i++) out[i] = dv.getUint32(4 * i, true);
  return out;
};

/** lanes(b[start, end), seed) of the definition above; lastMask applies to byte end - 1. */
export const checksum64 = (
  b: Uint8Array,
  start: number,
  end: number,
  seed: bigint,
  lastMask = 0xff,
): bigint => {
  const n = end - start;
  const sh = Number(seed >> 32n) >>> 0;
  const sl = Number(seed & 0xffffffffn) >>> 0;
  for (let j = 0; j < 8; j += 2) {
    st[j] = sh ^ (K[j] as number);
    st[j + 1] = sl ^ (K[j + 1] as number);
  }
  // Whole words before the one holding the last byte; that one is assembled byte by byte.
  const q = n > 0 ? (n - 1) >>> 3 : 0;
  if (q > 0) plainWords(wordsOf(b, start, q), q);
  if (n > 0) {
    let wl = 0;
    let wh = 0;
    for (let i = 8 * q; i < n; i++) {
      const v = (b[start + i] as number) & (i === n - 1 ? lastMask : 0xff);
      if (i - 8 * q < 4) wl |= v << (8 * (i - 8 * q));
      else wh |= v << (8 * (i - 8 * q - 4));
    }
    mixInto((q & 3) * 2, wh >>> 0, wl >>> 0);
  }
  st[8] = sh;
  st[9] = (sl ^ n) >>> 0; // n < 2^32
  for (let j = 0; j < 8; j += 2) mixInto(8, st[j] as number, st[j + 1] as number);
  return (BigInt(st[8] as number) << 32n) | BigInt(st[9] as number);
};
