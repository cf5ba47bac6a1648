// Every executable the demo starts runs from its built bundle (never through tsx), and the demo imports the
// packages' built libraries (only its own files go through tsx: much faster to start). On a fresh clone
// they are missing: build the packages once first, as `pnpm test` does (scripts/test.mjs), and say so.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_PKG, OPERATOR_DIR, ROOT } from './paths.ts';

const pkg = (name: string, ...path: string[]) => join(ROOT, 'packages', name, ...path);

export const BUNDLES = [
  pkg('wasm-bitmap', 'dist', 'index.js'),
  pkg('core', 'dist', 'index.js'),
  pkg('k8s', 'dist', 'index.js'),
  pkg('k8s', 'dist', 'testing', 'index.js'),
  join(NODE_PKG, 'dist', 'index.js'),
  join(NODE_PKG, 'dist', 'testing', 'index.js'),
  join(NODE_PKG, 'dist', 'spiderpool-agent.js'),
  join(NODE_PKG, 'dist', 'bin', 'sriov.js'),
  join(NODE_PKG, 'dist', 'bin', 'spiderpool-ipam.js'),
  join(NODE_PKG, 'dist', 'bin', 'coordinator.js'),
  join(NODE_PKG, 'dist', 'bin', 'sriov-config-daemon.js'),
  join(NODE_PKG, 'dist', 'bin', 'spiderpool-sriov-device-plugin.js'),
];

/** The sample operator's self-contained bundle (`pnpm --filter @spiderpool-ts/sample-operator build`). */
export const OPERATOR_BUNDLE = join(OPERATOR_DIR, 'dist', 'operator.js');

const pnpm = (args: readonly string[]) => {
  const pnpmCli = process.env.npm_execpath;
  return pnpmCli
    ? spawnSync(process.execPath, [pnpmCli, ...args], { stdio: 'inherit', cwd: ROOT, timeout: 600_000 })
    : spawnSync('pnpm', [...args], { stdio: 'inherit', cwd: ROOT, timeout: 600_000 });
};

/** Builds when a bundle is missing; the message of a failed build, or undefined. */
export const ensureBundles = (log: (line: string) => void): string | undefined => {
  const missing = BUNDLES.filter((b) => !existsSync(b));
  if (missing.length > 0) {
    log(`one-time build: ${missing.length} bundle(s) missing (e.g. ${missing[0]}); running pnpm build ...`);
    const r = pnpm(['build']);
    if (r.status !== 0) return `pnpm build failed (exit ${r.status ?? r.signal ?? r.error?.message})`;
  }
  if (!existsSync(OPERATOR_BUNDLE)) {
    log('one-time build: the sample operator bundle is missing; building it ...');
    const r = pnpm(['--filter', '@spiderpool-ts/sample-operator', 'build']);
    if (r.status !== 0) return `the operator build failed (exit ${r.status ?? r.signal ?? r.error?.message})`;
  }
  const still = [...BUNDLES, OPERATOR_BUNDLE].filter((b) => !existsSync(b));
  return still.length === 0 ? undefined : `still missing after the build: ${still.join(', ')}`;
};
