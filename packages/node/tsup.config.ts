import { defineConfig } from 'tsup';

export default defineConfig({
  // `spiderpool-ipam`: the IPAM CNI plugin entry, for running the plugin without tsx (bin/spiderpool falls
  // back to it when tsx is not installed).
  // `coordinator`: the coordinator CNI plugin (bin/coordinator runs it).
  entry: {
    index: 'src/index.ts',
    'spiderpool-ipam': 'src/cni/ipamPluginMain.ts',
    coordinator: 'src/coordinator/main.ts',
  },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
