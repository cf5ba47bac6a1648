// Test-only hooks (not re-exported by index.ts): break an allocator's invariants on purpose, so that audit()
// can be shown to catch them.
import type { Corruption } from './audit.ts';
import { DenseBitmapHandle } from './denseBitmap.ts';
import { SparseBitmapHandle } from './sparseBitmap.ts';
import type { DenseBitmap, SparseBitmap } from './types.ts';

/**
 * Breaks one invariant in place, bypassing every check: 'count' bumps the kept used count by one; 'summary'
 * flips a summary bit (dense: level 1 word 0 bit 0, needs size > 64 for wasm and > 32 for ts; sparse wasm:
 * marks the root's first materialized child full as well; sparse ts: makes the first run end before it
 * starts); 'padding' clears the top padding bit of a dense level 0 (size not a multiple of 64). Returns false
 * when the state cannot show the corruption (nothing changed then).
 */
export const corruptForTest = (b: DenseBitmap | SparseBitmap, c: Corruption): boolean => {
  if (b instanceof DenseBitmapHandle || b instanceof SparseBitmapHandle) return b.corruptForTest(c);
  throw new Error('corruptForTest: not an allocator of this package');
};
