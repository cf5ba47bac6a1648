// The storm's OS processes: the sample operator and the `spiderpool-agent` executable, each a child with its
// output captured and a deadline on every wait. `spawnOperator` is the one place that knows how the operator
// is started: its built bundle (dist/operator.js, built when missing or stale) with the flags of ../args.ts.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUNDLE, ensureBundle } from '../processTestKit.ts';

const EMULATOR_MAIN = fileURLToPath(new URL('./emulatorProcess.ts', import.meta.url));
const OPERATOR_CWD = fileURLToPath(new URL('../..', import.meta.url));
/** The agent's executable wrapper (runs packages/node/dist/spiderpool-agent.js with plain node). */
export const AGENT_BIN = fileURLToPath(
  new URL('../../../../packages/node/bin/spiderpool-agent', import.meta.url),
);
export const AGENT_BUNDLE = fileURLToPath(
  new URL('../../../../packages/node/dist/spiderpool-agent.js', import.meta.url),
);
/** The IPAM CNI plugin's executable wrapper (runs packages/node/dist/bin/spiderpool-ipam.js). */
export const IPAM_PLUGIN_BIN = fileURLToPath(
  new URL('../../../../packages/node/bin/spiderpool', import.meta.url),
);

export interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  out(): string;
  /** Resolves with the first match of `re` in the output; rejects at the deadline or when the process ends. */
  waitFor(re: RegExp, ms: number, from?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  readonly exited: Promise<number | string>;
  alive(): boolean;
}

const track = (name: string, child: ChildProcess): Proc => {
  let text = '';
  const add = (b: Buffer) => {
    text += b.toString();
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  const waitFor = async (re: RegExp, ms: number, from = 0): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = text.slice(from).match(re);
      if (m) return m;
      if (!alive()) throw new Error(`${name} ended before its output matched ${re}:\n${text.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`${name}: no ${re} within ${ms} ms:\n${text.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { name, child, out: () => text, waitFor, exited, alive };
};

/** The sample operator with `args` (../args.ts flags); KUBECONFIG is cleared so only --kubeconfig counts. */
export const spawnOperator = (name: string, args: readonly string[]): Proc => {
  ensureBundle();
  return track(
    name,
    spawn(process.execPath, [BUNDLE, ...args], {
      cwd: OPERATOR_CWD,
      env: { ...process.env, KUBECONFIG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
};

/** The API-server emulator in its own process (./emulatorProcess.ts); stdin is kept open as its lifeline. */
export const spawnEmulator = (): Proc =>
  track(
    'emulator',
    spawn(process.execPath, ['--conditions=@spiderpool-ts/source', '--import', 'tsx', EMULATOR_MAIN], {
      cwd: OPERATOR_CWD,
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );

/** One `spiderpool-agent` for `nodeName` (the built bundle, as a DaemonSet Pod runs it). */
export const spawnAgent = (nodeName: string, kubeconfig: string, socketPath: string): Proc => {
  if (!existsSync(AGENT_BUNDLE)) throw new Error(`${AGENT_BUNDLE} is missing: run pnpm build`);
  return track(
    `agent ${nodeName}`,
    spawn(
      AGENT_BIN,
      ['--node-name', nodeName, '--kubeconfig', kubeconfig, '--ipam-unix-socket-path', socketPath],
      { env: { ...process.env, KUBECONFIG: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  );
};

/** SIGKILL and wait for the end (deadline `ms`). */
export const killHard = async (p: Proc, ms = 10_000): Promise<void> => {
  if (!p.alive()) return;
  p.child.kill('SIGKILL');
  await Promise.race([
    p.exited,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`${p.name} did not die within ${ms} ms`)), ms),
    ),
  ]);
};

/** CPU seconds (user + system) the live process has used so far, from /proc (undefined elsewhere or once gone). */
export const cpuSeconds = (p: Proc): number | undefined => {
  if (!p.alive() || p.child.pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${p.child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
};
