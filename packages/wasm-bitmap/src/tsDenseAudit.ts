// Audit of the TS dense twin's levels of 32-bit words (same invariants as assembly/audit.ts denseAudit):
// padding bits of every level are 1, level k+1 bit j is set exactly when word j of level k is full, and
// the popcount of level 0 (padding excluded) is the used count (compared by the caller).
import type { EngineAudit } from './audit.ts';
import { maskFrom, popcnt32 } from './bits32.ts';

const FULL = 0xffffffff;

/** Padding mask of the last word of a level holding `bits` bits in `words` words. */
const padOf = (bits: number, words: number): number => {
  const valid = bits - (words - 1) * 32;
  return valid < 32 ? maskFrom(valid) : 0;
};

/** Expected summary word j of a level above `below` (padding included for its last word). */
const expectedSummary = (below: Uint32Array, j: number): number => {
  const first = j * 32;
  const n = Math.min(32, below.length - first);
  let expect = n < 32 ? maskFrom(n) : 0;
  for (let b = 0; b < n; b++) if ((below[first + b] as number) === FULL) expect |= 1 << b;
  return expect >>> 0;
};

export const auditLevels32 = (levels: readonly Uint32Array[], size: number): EngineAudit<number> => {
  let bits = size;
  let pad0 = 0;
  for (let k = 0; k < levels.length; k++) {
    const lv = levels[k] as Uint32Array;
    const pad = padOf(bits, lv.length);
    if (k === 0) pad0 = pad;
    if (((lv[lv.length - 1] as number) & pad) >>> 0 !== pad)
      return { counted: 0, finding: { invariant: 'padding', level: k, at: lv.length - 1 } };
    bits = lv.length;
  }
  const leaf = levels[0] as Uint32Array;
  let count = 0;
  for (let w = 0; w < leaf.length; w++) count += popcnt32(leaf[w] as number);
  const counted = count - popcnt32(pad0);
  for (let k = 1; k < levels.length; k++) {
    const below = levels[k - 1] as Uint32Array;
    const lv = levels[k] as Uint32Array;
    for (let j = 0; j < lv.length; j++)
      if ((lv[j] as number) !== expectedSummary(below, j))
        return { counted, finding: { invariant: 'summary', level: k, at: j } };
  }
  return { counted, finding: undefined };
};
