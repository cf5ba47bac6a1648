import { defineConfig } from 'tsup';
import { binConfig, copyProto } from './tsup.bin.config.ts';

// The library (`index` and the `testing` entry: dependencies external, declarations emitted, ESM and CJS)
// and the executables (tsup.bin.config.ts). The library does not clean dist/ so the two builds can run side
// by side. api.proto (the device plugin API) is read at run time next to the module that loads it.
export default defineConfig([
  {
    entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: false,
    target: 'node20',
    onSuccess: copyProto(['dist', 'dist/testing']),
  },
  binConfig,
  {
    // `spiderpool-agent`: the node agent process (bin/spiderpool-agent). The workspace packages are bundled
    // from source, so the bundle needs only client-node and neverthrow from node_modules.
    entry: { 'spiderpool-agent': 'src/agentd/agentMain.ts' },
    format: ['esm'],
    sourcemap: true,
    clean: false,
    target: 'node20',
    noExternal: ['@spiderpool-ts/core', '@spiderpool-ts/k8s', '@spiderpool-ts/wasm-bitmap'],
    external: ['@kubernetes/client-node', 'neverthrow'],
    esbuildOptions: (o) => {
      o.conditions = ['@spiderpool-ts/source'];
    },
  },
]);
