import { defineConfig } from 'tsup';

// The operator as one self-contained ESM file, dist/operator.js, run with plain `node` (bin/operator, the
// root `pnpm operator`, the process tests, a container image): the workspace packages are bundled from
// source (the `@spiderpool-ts/source` condition, so nothing else needs building first) together with
// client-node, prom-client, neverthrow and selfsigned, so the file needs no node_modules at run time.
export default defineConfig({
  entry: { operator: 'src/main.ts' },
  outDir: 'dist',
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  dts: false,
  sourcemap: true,
  clean: true,
  splitting: false,
  treeshake: true,
  noExternal: [/.*/],
  // Some bundled dependencies are CommonJS and call `require`: give the ESM bundle one of its own.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  esbuildOptions(options): void {
    options.conditions = ['@spiderpool-ts/source'];
  },
});
