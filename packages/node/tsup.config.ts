import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // `spiderpool-ipam`: the IPAM CNI plugin entry, for running the plugin without tsx (bin/spiderpool falls
    // back to it when tsx is not installed).
    entry: { index: 'src/index.ts', 'spiderpool-ipam': 'src/cni/ipamPluginMain.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
  },
  {
    // `coordinator`: the coordinator CNI plugin (bin/coordinator runs it) as ONE self-contained file (neverthrow
    // inlined, no shared chunks): a short-lived process pays for every module it resolves and loads; this halves
    // its start-up against the chunked build (bench suite `coordinator`).
    entry: { coordinator: 'src/coordinator/main.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    splitting: false,
    noExternal: ['neverthrow'],
    target: 'node20',
  },
]);
