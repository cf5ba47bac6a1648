// The agent over a real unix socket (no netns needed): the plugin logic in-process with the real transport,
// the routes, and start-up failures.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMemoryStore,
  decodeAllocatedIPs,
  defaultSubnet,
  type MemoryStore,
  type Pod,
  SPIDERPOOL_GROUP_VERSION,
  type SpiderIPPool,
} from '@spiderpool-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unixSocketTransport } from '../cni/agentClient.ts';
import { runIpamPlugin } from '../cni/plugin.ts';
import { type IpamAgent, startIpamAgent } from './ipamAgent.ts';
import { leaveStaleSocket } from './socketTestKit.ts';

const seedPool: SpiderIPPool = {
  apiVersion: SPIDERPOOL_GROUP_VERSION,
  kind: 'SpiderIPPool',
  metadata: { name: 'ippool-test' },
  spec: {
    ipVersion: 4,
    subnet: '10.20.0.0/16',
    ips: ['10.20.168.190-10.20.168.199'],
    gateway: '10.20.0.1',
    default: true,
  },
};
const pod = (name: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: 'default', name },
  spec: { nodeName: 'node-1' },
  status: { phase: 'Running' },
});

/** A raw request, for what the plugin never sends (bad JSON, unknown routes). */
const raw = (socketPath: string, method: string, path: string, body: string) =>
  new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const req = request({ socketPath, method, path }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
    });
    req.on('error', reject);
    req.end(body);
  });

describe('startIpamAgent', () => {
  let dir = '';
  let store: MemoryStore;
  let agent: IpamAgent;
  const transport = unixSocketTransport(10_000);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spts-agent-'));
    store = createMemoryStore({ now: () => new Date() });
    for (const o of [seedPool, pod('web-1')]) (await store.create(o))._unsafeUnwrap();
    const socketPath = join(dir, 'run', 'spiderpool.sock');
    // A stale socket from a previous run (its agent was killed) must not stop the agent.
    const first = (await startIpamAgent({ store, nodeName: 'node-1', socketPath }))._unsafeUnwrap();
    await first.close();
    leaveStaleSocket(socketPath);
    agent = (await startIpamAgent({ store, nodeName: 'node-1', socketPath }))._unsafeUnwrap();
  });
  afterAll(async () => {
    await agent?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const plugin = (command: string, podName: string, cniVersion = '0.4.0', uid = '') =>
    runIpamPlugin({
      env: {
        CNI_COMMAND: command,
        CNI_CONTAINERID: `ctr-${podName}`,
        CNI_NETNS: '/var/run/netns/x',
        CNI_IFNAME: 'eth0',
        CNI_PATH: '/opt/cni/bin',
        CNI_ARGS: `K8S_POD_NAMESPACE=default;K8S_POD_NAME=${podName};K8S_POD_UID=${uid}`,
      },
      stdin: JSON.stringify({
        cniVersion,
        name: 'n',
        ipam: { type: 'spiderpool', ipam_unix_socket_path: agent.socketPath },
      }),
      transport,
    });

  it('serves ADD to the plugin: the seed IP, recorded in the pool', async () => {
    const out = await plugin('ADD', 'web-1');
    expect(out.exitCode).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({
      cniVersion: '0.4.0',
      ips: [{ version: '4', address: '10.20.168.190/16', gateway: '10.20.0.1' }],
      routes: [{ dst: '0.0.0.0/0', gw: '10.20.0.1' }],
      dns: {},
    });
    const p = (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'ippool-test' }))._unsafeUnwrap();
    expect([...decodeAllocatedIPs(p.status?.allocatedIPs)._unsafeUnwrap().keys()]).toEqual(['10.20.168.190']);
  });

  it('a Pod of a third-party controller (a CloneSet) gets its SpiderSubnet auto-pool at its first ADD', async () => {
    const subnet = defaultSubnet({
      apiVersion: SPIDERPOOL_GROUP_VERSION,
      kind: 'SpiderSubnet',
      metadata: { name: 'subnet-30' },
      spec: { subnet: '10.30.0.0/24', ips: ['10.30.0.10-10.30.0.20'] },
    });
    const clone: Pod = {
      ...pod('clone-0'),
      metadata: {
        namespace: 'default',
        name: 'clone-0',
        annotations: {
          'ipam.spidernet.io/subnet': '{"ipv4":["subnet-30"]}',
          'ipam.spidernet.io/ippool-ip-number': '3',
        },
        ownerReferences: [
          {
            apiVersion: 'apps.kruise.io/v1alpha1',
            kind: 'CloneSet',
            name: 'clone',
            uid: 'a-b-c-d-e7f8a9',
            controller: true,
          },
        ],
      },
    };
    for (const o of [subnet, clone]) (await store.create(o))._unsafeUnwrap();
    const out = await plugin('ADD', 'clone-0', '1.0.0');
    expect(out.exitCode).toBe(0);
    expect(JSON.parse(out.stdout).ips).toEqual([{ address: '10.30.0.10/24' }]);
    const made = (
      await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'auto4-clone-eth0-e7f8a' })
    )._unsafeUnwrap();
    expect(made.spec.ips).toEqual(['10.30.0.10-10.30.0.12']);
    expect(made.metadata.labels?.['ipam.spidernet.io/ippool-reclaim']).toBe('false');
  });

  it('a repeat ADD answers the same IP; an unknown Pod is a CNI error with the IPAM tag', async () => {
    expect(JSON.parse((await plugin('ADD', 'web-1', '1.0.0')).stdout).ips).toEqual([
      { address: '10.20.168.190/16', gateway: '10.20.0.1' },
    ]);
    const out = await plugin('ADD', 'nobody');
    expect(out.exitCode).toBe(1);
    expect(JSON.parse(out.stdout)).toMatchObject({ code: 999, details: 'PodNotFound' });
  });

  it('explain and healthy over GET', async () => {
    const h = await transport(agent.socketPath, { method: 'GET', path: '/v1/ipam/healthy' });
    expect(h._unsafeUnwrap()).toEqual({ status: 200, body: { status: 'ok', nodeName: 'node-1' } });
    const e = (
      await transport(agent.socketPath, {
        method: 'GET',
        path: '/v1/ipam/explain?namespace=default&pod=web-1',
      })
    )._unsafeUnwrap();
    expect(e.status).toBe(200);
    expect(JSON.stringify(e.body)).toContain('ippool-test');
    const bad = (
      await transport(agent.socketPath, { method: 'GET', path: '/v1/ipam/explain' })
    )._unsafeUnwrap();
    expect(bad).toMatchObject({ status: 400, body: { _tag: 'BadRequest' } });
  });

  it('refuses bad JSON, bad requests and unknown routes with an error body', async () => {
    expect(await raw(agent.socketPath, 'POST', '/v1/ipam/ip', '{')).toMatchObject({
      status: 400,
      body: { _tag: 'BadRequest' },
    });
    expect(await raw(agent.socketPath, 'POST', '/v1/ipam/ip', '{"podName":"x"}')).toMatchObject({
      status: 400,
      body: { _tag: 'BadRequest', message: 'podNamespace must be a non-empty string' },
    });
    expect(await raw(agent.socketPath, 'PUT', '/v1/ipam/ip', '')).toMatchObject({
      status: 404,
      body: { _tag: 'NotFound' },
    });
  });

  it('DEL keeps the IP of an alive Pod and frees it once the Pod is gone', async () => {
    expect(await plugin('DEL', 'web-1')).toEqual({ stdout: '', exitCode: 0 });
    const records = async () => {
      const p = (
        await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'ippool-test' })
      )._unsafeUnwrap();
      return decodeAllocatedIPs(p.status?.allocatedIPs)._unsafeUnwrap().size;
    };
    expect(await records()).toBe(1);
    const uid = (await store.get<Pod>({ kind: 'Pod', namespace: 'default', name: 'web-1' }))._unsafeUnwrap()
      .metadata.uid;
    (await store.delete({ kind: 'Pod', namespace: 'default', name: 'web-1' }))._unsafeUnwrap();
    // Pod gone and no K8S_POD_UID: nothing to match the records against, left to GC (§3.7 step 2).
    expect(await plugin('DEL', 'web-1')).toEqual({ stdout: '', exitCode: 0 });
    expect(await records()).toBe(1);
    expect(await plugin('DEL', 'web-1', '0.4.0', uid)).toEqual({ stdout: '', exitCode: 0 });
    expect(await records()).toBe(0);
    expect(agent.served()).toBeGreaterThanOrEqual(8);
  });

  it('start-up failures are errors, not throws', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const r = await startIpamAgent({ store, nodeName: 'n', socketPath: join(file, 'x.sock') });
    expect(r._unsafeUnwrapErr()._tag).toBe('SocketSetupFailed');
    // Node would silently truncate a path past sun_path's 107 bytes and bind another file.
    const long = await startIpamAgent({ store, nodeName: 'n', socketPath: join(dir, 'x'.repeat(120)) });
    expect(long._unsafeUnwrapErr()).toMatchObject({ _tag: 'SocketSetupFailed' });
    const dirPath = await startIpamAgent({ store, nodeName: 'n', socketPath: dir });
    expect(dirPath._unsafeUnwrapErr()).toMatchObject({ _tag: 'SocketSetupFailed' });
    if (process.getuid?.() === 0) {
      // Even root cannot bind in procfs.
      const proc = await startIpamAgent({ store, nodeName: 'n', socketPath: '/proc/spts-agent-test.sock' });
      expect(proc._unsafeUnwrapErr()).toMatchObject({ _tag: 'ListenFailed', code: 'EACCES' });
    }
  });
});
