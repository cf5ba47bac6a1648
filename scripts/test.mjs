// `pnpm test`: builds the WASM module from source, runs every vitest suite once, then prints one plain
// summary line ("tests: N passed, N failed, N skipped") so any CI log reader can count the run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const run = (args) => spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });

const wasm = run([join(root, 'packages/wasm-bitmap/scripts/buildWasm.mjs')]);
if (wasm.status !== 0) process.exit(wasm.status ?? 1);

// Suites run the built executables (CNI plugins, agent, daemons, CLI), never sources through a loader: on a
// fresh clone build them once first (CI has already run `pnpm build`, so this is skipped there).
const artifacts = [
  'packages/node/dist/index.js',
  'packages/node/dist/bin/sriov.js',
  'packages/node/dist/spiderpool-agent.js',
  'packages/cli/dist/main.js',
  'packages/core/dist/index.js',
  'packages/k8s/dist/index.js',
];
if (artifacts.some((a) => !existsSync(join(root, a)))) {
  console.log('building the packages first (pnpm build): the tests run the built executables');
  const pnpmCli = process.env.npm_execpath;
  const build = pnpmCli
    ? spawnSync(process.execPath, [pnpmCli, 'build'], { stdio: 'inherit', cwd: root })
    : spawnSync('pnpm', ['build'], { stdio: 'inherit', cwd: root });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
// The sample operator's bundle (examples/sample-operator/dist/operator.js) is not part of `pnpm build`
// (an example, not a package): its process tests spawn it, so build it when missing.
if (!existsSync(join(root, 'examples/sample-operator/dist/operator.js'))) {
  console.log('building the sample operator bundle first (its process tests run it)');
  const pnpmCli = process.env.npm_execpath;
  const args = ['--filter', '@spiderpool-ts/sample-operator', 'build'];
  const build = pnpmCli
    ? spawnSync(process.execPath, [pnpmCli, ...args], { stdio: 'inherit', cwd: root })
    : spawnSync('pnpm', args, { stdio: 'inherit', cwd: root });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

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
  // Per suite (package or example folder): how many tests ran, so a suite that silently stopped running shows.
  const suites = new Map();
  for (const file of j.testResults ?? []) {
    const rel = (file.name ?? '').slice(root.length + 1).split('/');
    const suite = rel[0] === 'packages' || rel[0] === 'examples' ? `${rel[0]}/${rel[1]}` : rel[0];
    const s = suites.get(suite) ?? { passed: 0, failed: 0, skipped: 0 };
    for (const t of file.assertionResults ?? []) {
      if (t.status === 'passed') s.passed++;
      else if (t.status === 'failed') s.failed++;
      else s.skipped++;
    }
    suites.set(suite, s);
  }
  for (const [suite, s] of [...suites].sort(([a], [b]) => a.localeCompare(b)))
    console.log(`  ${suite.padEnd(28)} ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
  console.log(`tests: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${skipped} skipped`);
} else {
  console.log('tests: 0 passed, 1 failed (vitest wrote no report)');
}
process.exit(r.status ?? 1);
