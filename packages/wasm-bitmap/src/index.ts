// Public API of @spiderpool-ts/wasm-bitmap: dense (<= 2^32; flat or paged) and sparse (<= 2^64) lowest-free allocators,
// WebAssembly-backed with a pure-TypeScript twin behind the same interfaces.
export type { AuditInvariant, AuditViolation } from './audit.ts';
export { auditViolation } from './audit.ts';
export { createDenseBitmap, importDenseBitmap } from './denseFactory.ts';
export type { BitmapError, BitmapErrorTag, BitmapKind, CorruptProblem, IndexProblem } from './errors.ts';
export {
  corruptBytes,
  invalidIndex,
  invalidRange,
  invalidSize,
  outOfMemory,
  wasmUnavailable,
} from './errors.ts';
export { createSparseBitmap, importSparseBitmap } from './sparseFactory.ts';
export type { BitmapImpl, BitmapOptions, DenseBitmap, DenseLayout, SparseBitmap } from './types.ts';
export { DENSE_MAX_SIZE, SPARSE_MAX_SIZE } from './types.ts';
export { wasmMemoryBytes } from './wasmLoader.ts';
