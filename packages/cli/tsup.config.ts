import { defineConfig } from 'tsup';

export default defineConfig([
  // The library entry, ESM and CJS with declarations.
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
  },
  // `main`: the `spiderpool-ts` executable (package.json `bin`), ESM with its shebang.
  { entry: { main: 'src/main.ts' }, format: ['esm'], sourcemap: true, clean: false, target: 'node20' },
]);
