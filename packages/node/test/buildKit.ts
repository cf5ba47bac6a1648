// Test kit: the executables under test are the built bundles (dist/bin/*.js, run by bin/* wrappers), never
// tsx. `ensureBuilt()` rebuilds them (tsup.bin.config.ts only: a few seconds) when a bundle is missing or
// older than any source file, holding a lock directory so test files running in parallel build once.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLES = ['sriov', 'spiderpool-ipam'] as const;

const newest = (dir: string): number => {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
};

const stale = (): boolean => {
  const src = Math.max(
    newest(join(PACKAGE_DIR, 'src')),
    statSync(join(PACKAGE_DIR, 'tsup.bin.config.ts')).mtimeMs,
  );
  return BUNDLES.some((b) => {
    const f = join(PACKAGE_DIR, 'dist', 'bin', `${b}.js`);
    return !existsSync(f) || statSync(f).mtimeMs < src;
  });
};

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** Builds dist/bin when missing or stale; throws (a test setup failure) when the build fails. */
export const ensureBuilt = (): void => {
  if (!stale()) return;
  const lock = join(PACKAGE_DIR, 'dist', '.build-lock');
  mkdirSync(join(PACKAGE_DIR, 'dist'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`ensureBuilt: ${lock} held for 120 s`);
      sleep(200);
    }
  }
  try {
    if (!stale()) return;
    const tsup = join(
      dirname(createRequire(import.meta.url).resolve('tsup/package.json')),
      'dist',
      'cli-default.js',
    );
    const r = spawnSync(process.execPath, [tsup, '--config', 'tsup.bin.config.ts'], {
      cwd: PACKAGE_DIR,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status !== 0) throw new Error(`tsup failed: ${r.stderr || r.stdout}`);
  } finally {
    rmdirSync(lock);
  }
};
