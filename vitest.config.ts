import { defineConfig } from 'vitest/config';

// One run across every package. The `@spiderpool-ts/source` condition makes workspace packages resolve to
// their TypeScript sources, so tests never need a build (only the generated WASM module, see build:wasm).
export default defineConfig({
  resolve: { conditions: ['@spiderpool-ts/source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['@spiderpool-ts/source', 'module', 'node', 'import', 'default'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'examples/*/src/**/*.test.ts',
      'bench/src/**/*.test.ts',
    ],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
