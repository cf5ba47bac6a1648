// Running a program: the injectable port (`CommandRunner`) and its child_process adapter. A runner never
// rejects: spawn failures come back as `errno`, so the one error mapper sees every failure.
import { spawn } from 'node:child_process';

export interface RunRequest {
  file: string;
  args: readonly string[];
  /** Written to stdin, then stdin is closed. */
  stdin?: string;
  /** Kill after this long (default 30 s). */
  timeoutMs?: number;
}

export interface RunOutcome {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** errno code when the program could not be started. */
  errno?: string;
}

export type CommandRunner = (req: RunRequest) => Promise<RunOutcome>;

const errnoOf = (e: unknown): string =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : 'EUNKNOWN';

/** The real runner over `child_process.spawn` (no shell). */
export const spawnRunner: CommandRunner = (req) =>
  new Promise((resolve) => {
    const child = spawn(req.file, [...req.args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: req.timeoutMs ?? 30_000,
    });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const done = (o: RunOutcome): void => {
      if (settled) return;
      settled = true;
      resolve(o);
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', (e) => done({ exitCode: null, signal: null, stdout, stderr, errno: errnoOf(e) }));
    child.on('close', (code, signal) => done({ exitCode: code, signal, stdout, stderr }));
    child.stdin.on('error', () => {}); // EPIPE when the program exits before reading stdin
    child.stdin.end(req.stdin ?? '');
  });
