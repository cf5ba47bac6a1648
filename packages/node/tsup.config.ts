import { defineConfig } from 'tsup';
import { binConfig } from './tsup.bin.config.ts';

// The library (`index`: dependencies external, declarations emitted) and the executables (tsup.bin.config.ts).
// The library does not clean dist/ so the two builds can run side by side.
export default defineConfig([
  {
    entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: false,
    target: 'node20',
  },
  binConfig,
  {
    // `coordinator`: the coordinator CNI plugin (bin/coordinator runs it) as ONE self-contained file (neverthrow
    // inlined, no shared chunks): a short-lived process pays for every module it resolves and loads; this halves
    // its start-up against the chunked build (bench suite `coordinator`).
    entry: { coordinator: 'src/coordinator/main.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    // bin/coordinator runs dist/coordinator.js; tsup.bin.config.ts also writes dist/bin/coordinator.js.
    splitting: false,
    noExternal: ['neverthrow'],
    target: 'node20',
  },
]);
