// Placeholder module: replaced by the hierarchical bitmap (issue "packages/wasm-bitmap").
export function version(): i32 {
  return 1;
}
