// The demo's child processes: each in its own process group (so a stop reaches the whole group and a
// terminal's Ctrl-C reaches only the demo, which then stops them in order), output kept for `waitFor` and
// for the failure report, and a synchronous last-resort kill when the demo exits any other way.
import { type ChildProcess, spawn } from 'node:child_process';

export interface Proc {
  readonly name: string;
  readonly pid: number;
  /** Everything the process printed (stdout and stderr), in order. */
  output(): string;
  /** Resolves true once the output matches, false when the deadline passed or the process exited. */
  waitFor(re: RegExp, ms: number): Promise<boolean>;
  /** Whether the process is still running. */
  running(): boolean;
  /** SIGTERM to its group, SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();

/** Kills every still-running child group (synchronous: for `process.on('exit')`). */
export const killAllSync = (): void => {
  for (const c of live) {
    if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) {
      try {
        process.kill(-c.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  live.clear();
};

export const spawnProc = (
  name: string,
  command: string,
  args: readonly string[],
  o: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Proc => {
  const child = spawn(command, [...args], {
    cwd: o.cwd,
    env: o.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  live.add(child);
  let text = '';
  const onData = (b: Buffer) => {
    text += b.toString();
    if (text.length > 1_000_000) text = text.slice(-500_000);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      live.delete(child);
      resolve();
    });
    child.once('error', (e) => {
      text += `\nspawn failed: ${e.message}\n`;
      live.delete(child);
      resolve();
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  const signal = (sig: NodeJS.Signals) => {
    if (child.pid === undefined || !running()) return;
    try {
      process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  return {
    name,
    pid: child.pid ?? -1,
    output: () => text,
    running,
    waitFor: async (re, ms) => {
      const until = Date.now() + ms;
      for (;;) {
        if (re.test(text)) return true;
        if (Date.now() > until || !running()) return re.test(text);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    stop: async (graceMs = 5000) => {
      if (!running()) return;
      signal('SIGTERM');
      const t = setTimeout(() => signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
};

/** The last `n` lines a process printed, indented, for a failure report. */
export const tail = (p: Proc, n = 15): string =>
  p
    .output()
    .trimEnd()
    .split('\n')
    .slice(-n)
    .map((l) => `        ${p.name}: ${l}`)
    .join('\n');
