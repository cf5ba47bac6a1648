// The sample operator as real OS processes against the API-server emulator over HTTP: it takes the Lease,
// writes the NAD of a SpiderMultusConfig, answers /healthz /readyz /metrics; a standby takes over after the
// leader is SIGKILLed; SIGTERM releases the Lease and exits 0.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Lease, NetworkAttachmentDefinition } from '@spiderpool-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSeededEmulator } from './emulator.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const CWD = fileURLToPath(new URL('..', import.meta.url));
type Seeded = Awaited<ReturnType<typeof startSeededEmulator>>;
let seeded: Seeded | undefined;
const children: ChildProcess[] = [];

beforeAll(async () => {
  seeded = await startSeededEmulator();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await seeded?.emulator.close();
});

interface Proc {
  child: ChildProcess;
  out: () => string;
  waitFor: (re: RegExp, ms: number) => Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

const operator = (args: string[]): Proc => {
  const child = spawn(
    process.execPath,
    ['--conditions=@spiderpool-ts/source', '--import', 'tsx', MAIN, ...args],
    {
      cwd: CWD,
      env: { ...process.env, KUBECONFIG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
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

const lease = async () => {
  const r = await seeded?.emulator.store.get<Lease>({
    kind: 'Lease',
    namespace: 'kube-system',
    name: 'spiderpool-ts-operator',
  });
  return r?.isOk() ? r.value : undefined;
};

const until = async <T>(probe: () => Promise<T | undefined>, ms: number): Promise<T> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

// Startup compiles the TypeScript sources through tsx: slow on a loaded machine.
const START_MS = 120_000;
const FAST = ['--port', '0', '--lease-duration', '4', '--renew-deadline', '3', '--retry-period', '1'];

describe('sample operator process', () => {
  it(
    '--help prints usage and exits 0',
    async () => {
      const p = operator(['--help']);
      expect(await p.exited).toBe(0);
      expect(p.out()).toContain('Usage: pnpm operator');
    },
    START_MS,
  );

  it(
    'leads, writes NADs, serves probes and metrics; a standby takes over after SIGKILL; SIGTERM releases',
    async () => {
      if (!seeded) throw new Error('no emulator');
      const { emulator, kubeconfig } = seeded;
      const a = operator(['--kubeconfig', kubeconfig, '--identity', 'op-a', ...FAST]);
      const port = Number((await a.waitFor(/on port (\d+)/, START_MS))[1]);
      await a.waitFor(/leading: holds Lease/, 30_000);
      expect((await lease())?.spec?.holderIdentity).toBe('op-a');

      await emulator.store.create({
        apiVersion: 'spiderpool.spidernet.io/v2beta1',
        kind: 'SpiderMultusConfig',
        metadata: { name: 'macvlan-eth0', namespace: 'default' },
        spec: { cniType: 'macvlan', macvlan: { master: ['eth0'] } },
      });
      const nad = await until(async () => {
        const r = await emulator.store.get<NetworkAttachmentDefinition>({
          kind: 'NetworkAttachmentDefinition',
          namespace: 'default',
          name: 'macvlan-eth0',
        });
        return r.isOk() ? r.value : undefined;
      }, 30_000);
      expect(nad.metadata.ownerReferences?.[0]?.kind).toBe('SpiderMultusConfig');
      await a.waitFor(/SpiderCoordinator default: Synced/, 30_000);

      const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
      expect((await get('/healthz')).status).toBe(200);
      expect((await get('/readyz')).status).toBe(200);
      const metrics = await (await get('/metrics')).text();
      expect(metrics).toContain('spiderpool_ts_leader 1');
      expect(metrics).toMatch(/spiderpool_ip_gc_counts(\{[^}]*\})? 0/);
      expect(metrics).toContain('spiderpool_ts_nad_reconciles_total{outcome="created"} 1');
      expect(metrics).toContain('spiderpool_total_ippool_counts 0');

      const b = operator(['--kubeconfig', kubeconfig, '--identity', 'op-b', ...FAST]);
      await b.waitFor(/standby: Lease held by op-a/, START_MS);
      a.child.kill('SIGKILL');
      await a.exited;
      // No release from a killed process: b waits out the lease duration, then takes over.
      await b.waitFor(/leading: holds Lease/, 30_000);
      expect((await lease())?.spec).toMatchObject({ holderIdentity: 'op-b', leaseTransitions: 1 });
      // The new leader repairs what happens meanwhile: a deleted NAD comes back.
      await emulator.store.delete({
        kind: 'NetworkAttachmentDefinition',
        namespace: 'default',
        name: 'macvlan-eth0',
      });
      await until(async () => {
        const r = await emulator.store.get({
          kind: 'NetworkAttachmentDefinition',
          namespace: 'default',
          name: 'macvlan-eth0',
        });
        return r.isOk() ? true : undefined;
      }, 30_000);

      b.child.kill('SIGTERM');
      expect(await b.exited).toBe(0);
      expect(b.out()).toContain('Lease released; stopped');
      expect((await lease())?.spec?.holderIdentity).toBe('');
    },
    4 * START_MS,
  );
});
