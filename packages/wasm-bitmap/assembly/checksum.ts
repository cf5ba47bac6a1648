// The format v2 export checksum ("lanes64"), defined in src/checksum.ts (which computes it with 32-bit
// halves): the bytes read as little-endian u64 words, word k mixed into lane k & 3 with
// mix(a, w) = x ^ (x >> 32), x = (a ^ w) * P; the four lanes are independent chains, so the CPU overlaps
// their multiplies; at the end h = seed ^ n and h = mix(h, lane j) for j = 0..3.

// @ts-ignore: decorator
@inline const P: u64 = 0x9e3779b97f4a7c15;

// @ts-ignore: decorator
@inline function mix(a: u64, w: u64): u64 {
  const x = (a ^ w) * P;
  return x ^ (x >> 32);
}

/** The checksum of n bytes at ptr, seeded; the last byte is ANDed with lastMask. */
export function checksumMem(ptr: usize, n: u32, seed: u64, lastMask: u32): u64 {
  let a0 = seed ^ 0x243f6a8885a308d3;
  let a1 = seed ^ 0x13198a2e03707344;
  let a2 = seed ^ 0xa4093822299f31d0;
  let a3 = seed ^ 0x082efa98ec4e6c89;
  // Whole words before the one holding the last byte (that one is assembled byte by byte).
  const q: u32 = n > 0 ? (n - 1) >> 3 : 0;
  let k: u32 = 0;
  for (; k + 4 <= q; k += 4) {
    const p = ptr + (<usize>k << 3);
    a0 = mix(a0, load<u64>(p));
    a1 = mix(a1, load<u64>(p, 8));
    a2 = mix(a2, load<u64>(p, 16));
    a3 = mix(a3, load<u64>(p, 24));
  }
  for (; k <= q && (k < q || n > 0); k++) {
    let w: u64;
    if (k < q) w = load<u64>(ptr + (<usize>k << 3));
    else {
      w = 0;
      for (let i: u32 = n - 1; i >= k << 3; i--) {
        w = (w << 8) | <u64>(load<u8>(ptr + i) & (i == n - 1 ? lastMask : 0xff));
        if (i == 0) break;
      }
    }
    const lane = k & 3;
    if (lane == 0) a0 = mix(a0, w);
    else if (lane == 1) a1 = mix(a1, w);
    else if (lane == 2) a2 = mix(a2, w);
    else a3 = mix(a3, w);
  }
  let h = seed ^ <u64>n;
  h = mix(h, a0);
  h = mix(h, a1);
  h = mix(h, a2);
  return mix(h, a3);
}
