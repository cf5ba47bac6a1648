// Entry of the WebAssembly module: a numbers-only ABI (handles are addresses in the shared memory; dense
// indices are u32 in and f64 out, with -1 for "none"; sparse indices are u64). Every allocator is a block
// (dense), a block plus pages (paged, paged.ts) or a tree of blocks (sparse) of the one heap, given back by
// denseFree / pagedFree / sparseFree.
export {
  denseAllocate,
  denseAllocateFrom,
  denseBytes,
  denseClear,
  denseCreate,
  denseFree,
  denseLeaf,
  denseMarkRange,
  denseNextClear,
  denseNextSet,
  denseRebuild,
  denseSet,
  denseTest,
  denseUsed,
} from './dense';
export { sparseBytes, sparseClear, sparseCreate, sparseEmpty, sparseFree, sparseSet, sparseTest, sparseUsed } from './sparse';
export {
  sparseAllocate,
  sparseAllocateFrom,
  sparseFound,
  sparseMarkRange,
  sparseNextClear,
  sparseNextSet,
} from './sparseSearch';
export {
  pagedAllocate,
  pagedAllocateFrom,
  pagedBytes,
  pagedClear,
  pagedCreate,
  pagedFree,
  pagedMarkRange,
  pagedNextClear,
  pagedNextSet,
  pagedPageFor,
  pagedPageLoaded,
  pagedSet,
  pagedTest,
  pagedUsed,
  pageAt as pagedEntry,
} from './paged';
export { checksumMem } from './checksum';
export { denseExport, exportAlloc, exportFree } from './denseExport';
export { denseImportRuns } from './denseImport';
export { auditCounted, auditLevel, auditWord, denseAudit, pagedAudit, sparseAudit } from './audit';
