// The export checksum, computed where the bits live (mirror of checksum() in src/codec.ts): FNV-1a-style
// over little-endian u32 words then tail bytes, an xorshift after each word, the last byte ANDed with lastMask.

export function checksumMem(ptr: usize, n: u32, seed: u32, lastMask: u32): u32 {
  let h: u32 = seed ^ n;
  let i: u32 = 0;
  for (; i + 4 <= n; i += 4) {
    let w = load<u32>(ptr + i);
    if (i + 4 == n) w &= (lastMask << 24) | 0xffffff;
    h = (h ^ w) * 0x01000193;
    h ^= h >> 13;
  }
  for (; i < n; i++) h = (h ^ (<u32>load<u8>(ptr + i) & (i == n - 1 ? lastMask : 0xff))) * 0x01000193;
  return h;
}
