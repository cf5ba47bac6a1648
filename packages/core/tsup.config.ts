import { defineConfig } from 'tsup';

export default defineConfig({
  // `testing/index` is the `./testing` subpath (the Store contract suite; imports vitest, a peer dependency).
  // vitest is the consumer's (not a dependency): never bundle it.
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  external: ['vitest'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
