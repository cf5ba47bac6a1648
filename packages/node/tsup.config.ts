import { defineConfig } from 'tsup';

export default defineConfig({
  // `spiderpool-ipam`: the IPAM CNI plugin entry, for running the plugin without tsx (bin/spiderpool falls
  // back to it when tsx is not installed).
  // `sriov-config-daemon`: the SR-IOV node config daemon (bin/sriov-config-daemon runs it).
  // `testing/index`: the @spiderpool-ts/node/testing entry (hardware fixture).
  entry: {
    index: 'src/index.ts',
    'spiderpool-ipam': 'src/cni/ipamPluginMain.ts',
    'sriov-config-daemon': 'src/sriov/daemon/main.ts',
    'testing/index': 'src/testing/index.ts',
  },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
