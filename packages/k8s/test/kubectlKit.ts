// Running a real kubectl binary against the emulator from a test: the binary is looked up (PATH, then the
// Cloud SDK folder that ships versioned ones), and a suite without it skips, or fails under CI=true.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const SDK_BIN = '/usr/lib/google-cloud-sdk/bin';

/** The runnable path of `name` (e.g. `kubectl.1.27`), or the reason it is missing. */
export const findKubectl = (name: string): { path: string } | { missing: string } => {
  const candidates = [name, join(SDK_BIN, name)];
  for (const c of candidates) {
    if (c.includes('/') && !existsSync(c)) continue;
    const probe = spawnSync(c, ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
    if (probe.status === 0) return { path: c };
  }
  return { missing: `${name} not runnable (looked on PATH and in ${SDK_BIN})` };
};

/** Same pattern as packages/node/test/netnsKit.ts `gate`: true means skip. */
export const gate = (suite: string, reason: string | undefined): boolean => {
  if (reason === undefined) return false;
  if (process.env.CI === 'true') throw new Error(`[${suite}] needed under CI=true but missing: ${reason}`);
  console.log(`[${suite}] skipped: ${reason}`);
  return true;
};

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlEnv {
  kubeconfig: string;
  /** HOME and cache dir (a mkdtemp dir). */
  dir: string;
  extraEnv?: Record<string, string>;
}

/** Runs kubectl asynchronously (the emulator lives in this process and must keep answering). */
export const runKubectl = (
  bin: string,
  env: KubectlEnv,
  args: readonly string[],
  stdin?: string,
): Promise<Run> =>
  new Promise((resolve) => {
    const child = execFile(
      bin,
      [...args, '--cache-dir', join(env.dir, 'cache')],
      {
        env: { ...process.env, KUBECONFIG: env.kubeconfig, HOME: env.dir, ...env.extraEnv },
        timeout: 30_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
