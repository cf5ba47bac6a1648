// Test-only (the process tests; main.ts never imports it): runs the operator's built bundle
// dist/operator.js as an OS process with plain node, building it first when it is missing or older than
// a (non-test) source file of this example.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CWD = fileURLToPath(new URL('..', import.meta.url));
export const BUNDLE = fileURLToPath(new URL('../dist/operator.js', import.meta.url));

/** `pnpm test` builds the bundle when missing (scripts/test.mjs); a direct vitest run gets it here. */
export const ensureBundle = (): void => {
  const built = existsSync(BUNDLE) ? statSync(BUNDLE).mtimeMs : 0;
  const src = fileURLToPath(new URL('.', import.meta.url));
  const sources = readdirSync(src).filter(
    (f) => f.endsWith('.ts') && !f.includes('.test.') && !f.includes('TestKit'),
  );
  if (sources.some((f) => statSync(join(src, f)).mtimeMs > built)) {
    const b = spawnSync('pnpm', ['build'], { cwd: CWD, stdio: 'inherit', timeout: 240_000 });
    if (b.status !== 0 || !existsSync(BUNDLE)) throw new Error(`building ${BUNDLE} failed`);
  }
};

export interface Proc {
  child: ChildProcess;
  out: () => string;
  waitFor: (re: RegExp, ms: number) => Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];

/** SIGKILLs every operator still running and removes the bundle copies (afterAll). */
export const killAll = (): void => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
};

/** A copy of the bundle alone in a fresh temp dir (no node_modules near it): is it self-contained? */
export const lonelyBundle = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'operator-bundle-'));
  dirs.push(dir);
  copyFileSync(BUNDLE, join(dir, 'operator.js'));
  return join(dir, 'operator.js');
};

/** Starts `node <bundle> ...args` (KUBECONFIG cleared unless `env` sets it). */
export const operator = (args: string[], env: Record<string, string> = {}, bundle = BUNDLE): Proc => {
  const child = spawn(process.execPath, [bundle, ...args], {
    cwd: dirname(bundle),
    env: { ...process.env, KUBECONFIG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let text = '';
  child.stdout?.on('data', (b: Buffer) => {
    text += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => {
    text += b.toString();
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const waitFor = async (re: RegExp, ms: number) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = text.match(re);
      if (m) return m;
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`operator output never matched ${re}:\n${text}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, out: () => text, waitFor, exited };
};

/** Polls `probe` every 50 ms until it gives a value, or throws at the deadline. */
export const until = async <T>(probe: () => Promise<T | undefined>, ms: number): Promise<T> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};
