import { defineConfig } from 'tsup';

export default defineConfig({
  // `spiderpool-ipam`: the IPAM CNI plugin entry, for running the plugin without tsx (bin/spiderpool falls
  // back to it when tsx is not installed).
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    'spiderpool-ipam': 'src/cni/ipamPluginMain.ts',
  },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
