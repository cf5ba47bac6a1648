import { defineConfig } from 'tsup';

export default defineConfig({
  // `testing/index` is the `./testing` subpath (the API-server emulator; uses node:http).
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  external: ['@kubernetes/client-node', '@spiderpool-ts/core', 'neverthrow', 'selfsigned'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
