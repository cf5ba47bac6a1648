import { copyFileSync, mkdirSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

// The executables: one self-contained ESM file each under dist/bin (workspace packages and neverthrow
// bundled, read from source through the `@spiderpool-ts/source` condition, so no other package needs
// building first), which the `bin/` wrappers run with plain `node`: no tsx, no workspace, no node_modules
// at runtime. Tests build only this config (`tsup --config tsup.bin.config.ts`, a few seconds, no .d.ts).
// A new executable is one more entry here plus a wrapper in bin/ (copy bin/sriov, change the file name).
const executables: Record<string, string> = {
  'spiderpool-ipam': 'src/cni/ipamPluginMain.ts',
  sriov: 'src/sriovCni/main.ts',
  coordinator: 'src/coordinator/main.ts',
  'sriov-config-daemon': 'src/sriov/daemon/main.ts',
  // The device plugin daemon (gRPC included), run by bin/spiderpool-sriov-device-plugin.
  'spiderpool-sriov-device-plugin': 'src/deviceplugin/main.ts',
};

/** api.proto (the device plugin API) is read at run time beside the module that loads it. */
export const copyProto = (dirs: readonly string[]) => async (): Promise<void> => {
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true });
    copyFileSync('src/deviceplugin/api.proto', `${dir}/api.proto`);
  }
};

export const binConfig: Options = {
  entry: executables,
  outDir: 'dist/bin',
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  dts: false,
  sourcemap: false,
  clean: true,
  splitting: false,
  treeshake: true,
  // Minified: less to parse at every start (measured ~5% of the start on this machine).
  minify: true,
  noExternal: [/.*/],
  // grpc-js and its loader are CommonJS: give the ESM bundle a `require` of its own.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  onSuccess: copyProto(['dist/bin']),
  esbuildOptions(options): void {
    options.conditions = ['@spiderpool-ts/source'];
  },
};

export default defineConfig(binConfig);
