// The export checksum, computed where the bits live (mirror of checksum() in src/codec.ts): FNV-1a-style
// over little-endian u32 words then tail bytes, an xorshift after each word, the last byte ANDed with lastMask.
//
// Same function as the TS one, evaluated in a different order: the chain is serial (each step multiplies the
// previous state), so its speed is the latency of one step. Per word the TS form does xorshift, xor, multiply
// (shift -> xor -> xor -> mul); here the xorshift of step k folds into step k+1 as (m ^ w) ^ (m >> 13), where
// the shift and the first xor run side by side, one cycle shorter per word.

// @ts-ignore: decorator
@inline const P: u32 = 0x01000193;

export function checksumMem(ptr: usize, n: u32, seed: u32, lastMask: u32): u32 {
  let h: u32 = seed ^ n;
  const words = n >> 2;
  if (words > 0) {
    // A word that ends exactly at n holds the last byte, which is masked.
    const maskLast = (n & 3) == 0;
    const plain = maskLast ? words - 1 : words;
    const lastMaskWord = (lastMask << 24) | 0xffffff;
    // m is the product before its xorshift; the first step has no pending xorshift.
    let w = load<u32>(ptr);
    if (plain == 0) w &= lastMaskWord;
    let m = (h ^ w) * P;
    let i: u32 = 1;
    for (; i + 1 < plain; i += 2) {
      const two = load<u64>(ptr + (<usize>i << 2));
      m = ((m ^ <u32>two) ^ (m >> 13)) * P;
      m = ((m ^ <u32>(two >> 32)) ^ (m >> 13)) * P;
    }
    for (; i < plain; i++) m = ((m ^ load<u32>(ptr + (<usize>i << 2))) ^ (m >> 13)) * P;
    if (maskLast && plain > 0) m = ((m ^ (load<u32>(ptr + (<usize>plain << 2)) & lastMaskWord)) ^ (m >> 13)) * P;
    h = m ^ (m >> 13);
  }
  for (let i = words << 2; i < n; i++) h = (h ^ (<u32>load<u8>(ptr + i) & (i == n - 1 ? lastMask : 0xff))) * P;
  return h;
}
