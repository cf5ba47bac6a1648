// 32-bit word helpers for the TypeScript engines (JS bit operators work on int32).

/** Index of the lowest set bit of a non-zero word. */
export const ctz32 = (x: number): number => 31 - Math.clz32(x & -x);

/** Number of set bits of a word. */
export const popcnt32 = (x: number): number => {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
};

/** Word with bits [from, 31] set (from in 0..32; 32 gives 0). */
export const maskFrom = (from: number): number => (from >= 32 ? 0 : (-1 << from) >>> 0);

/** Word with bits [0, to] set (to in -1..31; -1 gives 0). */
export const maskTo = (to: number): number => (to >= 31 ? 0xffffffff : ((1 << (to + 1)) - 1) >>> 0);
