// Parent side of emulatorProcess.ts: forks it (same loader flags as this process, so it runs the sources
// through tsx like the bench), waits for its URL, and asks it over IPC to seed, count and check.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { kubeConfigFor } from '@spiderpool-ts/k8s/testing';
import type { WorldSpec } from './world.ts';

/** Requests and bytes the emulator saw; watch requests apart, watch event bytes inside bytesOut. */
export interface StormCounters {
  requests: number;
  watches: number;
  bytesIn: number;
  bytesOut: number;
  watchBytesOut: number;
  /** CPU time (user + system) of the emulator process so far, ms. */
  cpuMs: number;
}

export interface StormCheck {
  endpoints: number;
  /** Endpoint IPs given to more than one endpoint. */
  duplicates: number;
  /** Endpoint IPs whose pool has no record of that Pod UID on them. */
  unrecorded: number;
  poolRecords: number;
  largestPoolBytes: number;
}

export type ChildOp =
  | { op: 'seed'; world: WorldSpec }
  | { op: 'prefill'; world: WorldSpec; perPool: number }
  | { op: 'counters' }
  | { op: 'check' }
  | { op: 'close' };
export type ChildRequest = ChildOp & { id: number };

export type ChildReply =
  | { id: number; ok: true; url?: string; counters?: StormCounters; check?: StormCheck }
  | { id: number; ok: false; error: string };

export interface EmulatorChild {
  readonly url: string;
  readonly pid: number;
  kubeConfig(): ReturnType<typeof kubeConfigFor>;
  seed(world: WorldSpec): Promise<void>;
  /** Records of `perPool` Pods outside the storm on the lowest addresses of every pool (world.ts). */
  prefill(world: WorldSpec, perPool: number): Promise<void>;
  counters(): Promise<StormCounters>;
  check(): Promise<StormCheck>;
  close(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL('./emulatorProcess.ts', import.meta.url));
/** Deadline of one IPC exchange (seeding 10,000 Pods into etcd included). */
const IPC_TIMEOUT_MS = 180_000;
/** Loading the sources through tsx takes over a minute when the machine is loaded. */
const START_TIMEOUT_MS = 240_000;

export const spawnEmulator = async (o: { etcd: boolean; cpuProf?: string }): Promise<EmulatorChild> => {
  const execArgv = [...process.execArgv, ...(o.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProf}`] : [])];
  const child: ChildProcess = fork(ENTRY, o.etcd ? ['--etcd'] : [], { execArgv, stdio: 'inherit' });
  const waiting = new Map<number, (m: ChildReply) => void>();
  child.on('message', (raw: unknown) => {
    const m = raw as ChildReply;
    waiting.get(m.id)?.(m);
    waiting.delete(m.id);
  });
  const await_ = (id: number, ms: number): Promise<ChildReply> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`emulator child: no answer to #${id} within ${ms} ms`));
      }, ms);
      const exited = (): void => reject(new Error(`emulator child exited (code ${child.exitCode})`));
      child.once('exit', exited);
      waiting.set(id, (m) => {
        clearTimeout(timer);
        child.off('exit', exited);
        if (m.ok) resolve(m);
        else reject(new Error(`emulator child: ${m.error}`));
      });
    });
  const ready = await await_(0, START_TIMEOUT_MS);
  const url = ready.ok ? (ready.url ?? '') : '';
  let next = 1;
  const ask = async (req: ChildOp): Promise<ChildReply> => {
    const id = next++;
    const answer = await_(id, IPC_TIMEOUT_MS);
    child.send({ ...req, id });
    return answer;
  };
  return {
    url,
    pid: child.pid ?? 0,
    kubeConfig: () => kubeConfigFor(url),
    seed: async (world) => {
      await ask({ op: 'seed', world });
    },
    prefill: async (world, perPool) => {
      await ask({ op: 'prefill', world, perPool });
    },
    counters: async () => {
      const r = await ask({ op: 'counters' });
      if (!r.ok || !r.counters) throw new Error('emulator child: no counters');
      return r.counters;
    },
    check: async () => {
      const r = await ask({ op: 'check' });
      if (!r.ok || !r.check) throw new Error('emulator child: no check');
      return r.check;
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await ask({ op: 'close' }).catch(() => undefined);
      child.disconnect();
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(kill);
    },
  };
};
