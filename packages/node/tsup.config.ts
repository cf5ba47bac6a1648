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
]);
