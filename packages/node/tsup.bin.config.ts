import { existsSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

// The executables: one self-contained ESM file each under dist/bin (workspace packages and neverthrow
// bundled, read from source through the `@spiderpool-ts/source` condition, so no other package needs
// building first), which the `bin/` wrappers run with plain `node`: no tsx, no workspace, no node_modules
// at runtime. Tests build only this config (`tsup --config tsup.bin.config.ts`, a few seconds, no .d.ts).
// A new executable is one more entry here plus a wrapper in bin/ (copy bin/sriov, change the file name).
// `coordinator` is added when its entry exists (written on another branch: src/coordinator/main.ts).
const executables: Record<string, string> = {
  'spiderpool-ipam': 'src/cni/ipamPluginMain.ts',
  sriov: 'src/sriovCni/main.ts',
};
if (existsSync(new URL('./src/coordinator/main.ts', import.meta.url)))
  executables.coordinator = 'src/coordinator/main.ts';

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
  esbuildOptions(options): void {
    options.conditions = ['@spiderpool-ts/source'];
  },
};

export default defineConfig(binConfig);
