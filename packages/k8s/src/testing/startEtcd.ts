// startEtcd: a real etcd process for tests and benches, not a double. Debian's `etcd-server` binary on
// loopback, random free client and peer ports, a mkdtemp data dir; resolves once /health answers healthy
// (within a deadline) and close() stops it and removes the dir.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ETCD_BINARY = '/usr/bin/etcd';

export interface StartEtcdOptions {
  /** The etcd binary (default /usr/bin/etcd). */
  binary?: string;
  /** etcd's `--max-request-bytes` (its default is 1.5 MiB). */
  maxRequestBytes?: number;
  /** More etcd flags. */
  args?: readonly string[];
  /** How long to wait for health (default 20000 ms). */
  timeoutMs?: number;
}

export interface EtcdProcess {
  /** The client URL, e.g. `http://127.0.0.1:40123`. */
  readonly endpoint: string;
  readonly dataDir: string;
  /** Stops etcd (SIGTERM, SIGKILL after 5 s) and removes the data dir; idempotent. */
  close(): Promise<void>;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const healthy = async (endpoint: string): Promise<boolean> => {
  try {
    const res = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
    const body: unknown = await res.json();
    return typeof body === 'object' && body !== null && (body as { health?: unknown }).health === 'true';
  } catch {
    return false;
  }
};

const stop = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });

/** Starts etcd and waits until it is healthy; rejects (after cleaning up) when it exits or the deadline passes. */
export const startEtcd = async (options: StartEtcdOptions = {}): Promise<EtcdProcess> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'spiderpool-etcd-'));
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const args = [
    '--name=default',
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${endpoint}`,
    `--advertise-client-urls=${endpoint}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=default=${peer}`,
    '--log-level=error',
    ...(options.maxRequestBytes === undefined ? [] : [`--max-request-bytes=${options.maxRequestBytes}`]),
    ...(options.args ?? []),
  ];
  const child = spawn(options.binary ?? ETCD_BINARY, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  let spawnError: Error | undefined;
  child.once('error', (e) => {
    spawnError = e;
  });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await stop(child);
    await rm(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (!(await healthy(endpoint))) {
    const exited = child.exitCode !== null || spawnError !== undefined;
    if (exited || Date.now() > deadline) {
      await close();
      const why = spawnError
        ? spawnError.message
        : exited
          ? `exited ${child.exitCode}`
          : 'not healthy in time';
      throw new Error(`etcd did not start (${why}): ${stderr}`);
    }
    await sleep(50);
  }
  return { endpoint, dataDir, close };
};
