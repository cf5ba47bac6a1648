import { copyFileSync, mkdirSync } from 'node:fs';
import { defineConfig } from 'tsup';

// api.proto (the device plugin API) is read at run time next to the module that loads it: copy it beside
// every output that may hold that module.
const copyProto = async (): Promise<void> => {
  for (const dir of ['dist', 'dist/testing']) {
    mkdirSync(dir, { recursive: true });
    copyFileSync('src/deviceplugin/api.proto', `${dir}/api.proto`);
  }
};

export default defineConfig([
  {
    // `spiderpool-ipam`: the IPAM CNI plugin entry, for running the plugin without tsx (bin/spiderpool falls
    // back to it when tsx is not installed). `testing/index` is the `./testing` subpath (kubelet stand-in).
    entry: {
      index: 'src/index.ts',
      'spiderpool-ipam': 'src/cni/ipamPluginMain.ts',
      'testing/index': 'src/testing/index.ts',
    },
    format: ['esm'],
    dts: { entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' } },
    sourcemap: true,
    clean: true,
    target: 'node20',
    onSuccess: copyProto,
  },
  {
    // The device plugin daemon: one self-contained file (gRPC included), run by bin/spiderpool-sriov-device-plugin.
    entry: { 'spiderpool-sriov-device-plugin': 'src/deviceplugin/main.ts' },
    format: ['esm'],
    noExternal: [/.*/],
    platform: 'node',
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    sourcemap: true,
    clean: false,
    target: 'node20',
    onSuccess: copyProto,
  },
]);
