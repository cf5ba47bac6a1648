// The one place a CNI plugin executable is found and run (libcni's FindInPath + RawExec), shared by the
// plugins' own IPAM call (cni/invokePlugin.ts) and the chain runner (chain/invoke.ts), which map the exit to
// their own error types. The child gets its own process group, so a deadline kills what it started too (a
// main plugin's IPAM plugin would otherwise hold stdout open).
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';

/** The first `<dir>/<type>` in CNI_PATH order that is an executable file; undefined when none is. */
export const findInCniPath = (type: string, cniPath: readonly string[]): string | undefined => {
  for (const dir of cniPath) {
    const full = join(dir, type);
    try {
      if (!statSync(full).isFile()) continue;
      accessSync(full, constants.X_OK);
      return full;
    } catch {}
  }
  return undefined;
};

export interface RawExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  spawnError?: string;
}

export interface RawExecCall {
  file: string;
  argv: readonly string[];
  env: Readonly<Record<string, string>>;
  stdin: string;
  deadlineMs: number;
}

/**
 * Runs one executable to its end or its deadline: then SIGKILL to its whole group, and the answer is given at
 * once (a grandchild that left the group could hold the pipes open for ever). Never rejects.
 */
export const rawExec = (c: RawExecCall): Promise<RawExit> =>
  new Promise((resolve) => {
    const child = spawn(c.file, [...c.argv], {
      env: { ...c.env },
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let spawnError: string | undefined;
    let settled = false;
    const done = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout,
        stderr,
        timedOut,
        ...(spawnError === undefined ? {} : { spawnError }),
      });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      done(null, 'SIGKILL');
    }, c.deadlineMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.stdin.on('error', () => {}); // EPIPE: the plugin exited before reading its config
    child.on('error', (e) => {
      spawnError = e.message;
      done(null, null);
    });
    child.on('close', (code, signal) => done(code, signal));
    child.stdin.end(c.stdin);
  });
