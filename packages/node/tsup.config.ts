import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // `spiderpool-ipam`: the IPAM CNI plugin entry, for running the plugin without tsx (bin/spiderpool falls
    // back to it when tsx is not installed).
    entry: { index: 'src/index.ts', 'spiderpool-ipam': 'src/cni/ipamPluginMain.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: false,
    target: 'node20',
  },
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
