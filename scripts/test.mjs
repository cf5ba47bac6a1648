// `pnpm test`: builds the WASM module from source, runs every vitest suite once, then prints one plain
// summary line ("tests: N passed, N failed, N skipped") so any CI log reader can count the run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const run = (args) => spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });

const wasm = run([join(root, 'packages/wasm-bitmap/scripts/buildWasm.mjs')]);
if (wasm.status !== 0) process.exit(wasm.status ?? 1);

const cacheDir = join(root, 'node_modules', '.cache');
mkdirSync(cacheDir, { recursive: true });
const report = join(cacheDir, 'vitest-report.json');
rmSync(report, { force: true });
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const r = run([
  vitest,
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);

if (existsSync(report)) {
  const j = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  console.log(`tests: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${skipped} skipped`);
} else {
  console.log('tests: 0 passed, 1 failed (vitest wrote no report)');
}
process.exit(r.status ?? 1);
