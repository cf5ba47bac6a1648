// The `spiderpool-agent` executable (the built bundle through bin/spiderpool-agent, a separate OS process)
// over KubernetesStore against the API-server emulator: --help, an ADD through the real plugin code path
// served from the informer caches (only the pool status write and the endpoint create reach the server),
// socket 0600, refusal of a live agent's socket and of a non-socket file, a typed failure when the API
// server is unreachable, and a clean SIGTERM.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeAllocatedIPs,
  type Pod,
  SPIDERPOOL_GROUP_VERSION,
  type SpiderIPPool,
} from '@spiderpool-ts/core';
import { type ApiServerEmulator, startApiServerEmulator } from '@spiderpool-ts/k8s/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unixSocketTransport } from '../src/cni/agentClient.ts';
import { runIpamPlugin } from '../src/cni/plugin.ts';
import { gate } from './netnsKit.ts';

const bin = new URL('../bin/spiderpool-agent', import.meta.url).pathname;
const bundle = new URL('../dist/spiderpool-agent.js', import.meta.url).pathname;
const skip = gate(
  'agent process',
  existsSync(bundle) ? undefined : 'dist/spiderpool-agent.js not built (pnpm build)',
);

const pool: SpiderIPPool = {
  apiVersion: SPIDERPOOL_GROUP_VERSION,
  kind: 'SpiderIPPool',
  metadata: { name: 'agent-proc-pool' },
  spec: {
    ipVersion: 4,
    subnet: '10.30.0.0/16',
    ips: ['10.30.1.10-10.30.1.19'],
    gateway: '10.30.0.1',
    default: true,
  },
};
const pod = (name: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: 'default', name },
  spec: { nodeName: 'node-a' },
  status: { phase: 'Running' },
});

interface Proc {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

const run = (args: string[]): Proc => {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exited };
};

describe.skipIf(skip)('spiderpool-agent process', () => {
  let emu: ApiServerEmulator;
  let dir = '';
  let kubeconfig = '';
  const procs: Proc[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spts-agentd-'));
    emu = await startApiServerEmulator();
    kubeconfig = emu.writeKubeconfig(join(dir, 'kubeconfig'));
    for (const o of [
      pool,
      pod('web-1'),
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
    ])
      (await emu.store.create(o))._unsafeUnwrap();
  });
  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGKILL');
    await emu?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--help exits 0 and prints the flags', () => {
    const r = spawnSync(bin, ['--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--node-name/);
    expect(spawnSync(bin, [], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } }).status).toBe(2);
  }, 60_000);

  it('serves ADD from its caches, 0600 socket; refuses a second agent and a non-socket path; SIGTERM is clean', async () => {
    const socket = join(dir, 'run', 'agent.sock');
    const agent = run([
      '--node-name',
      'node-a',
      '--kubeconfig',
      kubeconfig,
      '--ipam-unix-socket-path',
      socket,
    ]);
    procs.push(agent);
    await expect.poll(() => agent.stderr(), { timeout: 20_000 }).toMatch(/agent ready/);
    expect(statSync(socket).mode & 0o777).toBe(0o600);

    const before = emu.requests.length;
    const out = await runIpamPlugin({
      env: {
        CNI_COMMAND: 'ADD',
        CNI_CONTAINERID: 'ctr-web-1',
        CNI_NETNS: '/var/run/netns/x',
        CNI_IFNAME: 'eth0',
        CNI_PATH: '/opt/cni/bin',
        CNI_ARGS: 'K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-1;K8S_POD_UID=u1',
      },
      stdin: JSON.stringify({
        cniVersion: '1.0.0',
        name: 'n',
        ipam: { type: 'spiderpool', ipam_unix_socket_path: socket },
      }),
      transport: unixSocketTransport(20_000),
    });
    expect(out.exitCode).toBe(0);
    expect(JSON.parse(out.stdout).ips[0].address).toBe('10.30.1.10/16');
    const hot = emu.requests.slice(before).filter((r) => !r.includes('watch='));
    // The Pod's SpiderEndpoint is read from the server (ADR 0034), everything else from the caches.
    expect(hot.map((r) => r.split('?')[0])).toEqual([
      'GET /apis/spiderpool.spidernet.io/v2beta1/namespaces/default/spiderendpoints/web-1',
      'PUT /apis/spiderpool.spidernet.io/v2beta1/spiderippools/agent-proc-pool/status',
      'POST /apis/spiderpool.spidernet.io/v2beta1/namespaces/default/spiderendpoints',
    ]);
    const p = (
      await emu.store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'agent-proc-pool' })
    )._unsafeUnwrap();
    expect([...decodeAllocatedIPs(p.status?.allocatedIPs)._unsafeUnwrap().keys()]).toEqual(['10.30.1.10']);

    const second = run([
      '--node-name',
      'node-a',
      '--kubeconfig',
      kubeconfig,
      '--ipam-unix-socket-path',
      socket,
    ]);
    procs.push(second);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toMatch(/live agent/);
    expect(statSync(socket).isSocket()).toBe(true);

    const file = join(dir, 'not-a-socket');
    writeFileSync(file, 'keep me');
    const third = run(['--node-name', 'node-a', '--kubeconfig', kubeconfig, '--ipam-unix-socket-path', file]);
    procs.push(third);
    expect(await third.exited).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe('keep me');

    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    expect(existsSync(socket)).toBe(false);
  }, 60_000);

  it('an unreachable API server is a typed failure at the start deadline (exit 1)', async () => {
    const dead = join(dir, 'dead-kubeconfig');
    writeFileSync(dead, readFileSync(kubeconfig, 'utf8').replace(/127\.0\.0\.1:\d+/, '127.0.0.1:1'));
    const t0 = Date.now();
    const p = run([
      '--node-name',
      'node-a',
      '--kubeconfig',
      dead,
      '--start-timeout',
      '0.5',
      '--ipam-unix-socket-path',
      join(dir, 'x.sock'),
    ]);
    procs.push(p);
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(/InformerStartTimeout/);
    expect(Date.now() - t0).toBeLessThan(25_000);
    expect(existsSync(join(dir, 'x.sock'))).toBe(false);
    const bad = run(['--node-name', 'node-a', '--kubeconfig', join(dir, 'missing')]);
    procs.push(bad);
    expect(await bad.exited).toBe(1);
    expect(bad.stderr()).toMatch(/KubeConfigInvalid/);
  }, 60_000);
});
