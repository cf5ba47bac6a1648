// CNI 1.1.0 GC end to end over a real unix socket: the IPAM plugin (in process, real transport) sends the
// runtime's valid attachments, the agent releases what it served that is no longer listed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMemoryStore,
  decodeAllocatedIPs,
  type MemoryStore,
  type Pod,
  SPIDERPOOL_GROUP_VERSION,
  type SpiderIPPool,
} from '@spiderpool-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unixSocketTransport } from '../cni/agentClient.ts';
import { runIpamPlugin } from '../cni/plugin.ts';
import { createAttachmentLedger } from './attachmentLedger.ts';
import { type IpamAgent, startIpamAgent } from './ipamAgent.ts';

const pool: SpiderIPPool = {
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

describe('GC through the agent', () => {
  let dir = '';
  let store: MemoryStore;
  let agent: IpamAgent;
  const uids = new Map<string, string>();
  const transport = unixSocketTransport(10_000);
  const conf = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      cniVersion: '1.1.0',
      name: 'net',
      ipam: { type: 'spiderpool', ipam_unix_socket_path: agent.socketPath },
      ...extra,
    });
  const add = (name: string, containerID: string) =>
    runIpamPlugin({
      env: {
        CNI_COMMAND: 'ADD',
        CNI_CONTAINERID: containerID,
        CNI_NETNS: '/var/run/netns/x',
        CNI_IFNAME: 'eth0',
        CNI_PATH: '/opt/cni/bin',
        CNI_ARGS: `K8S_POD_NAMESPACE=default;K8S_POD_NAME=${name};K8S_POD_UID=${uids.get(name) ?? ''}`,
      },
      stdin: conf(),
      transport,
    });
  const gc = (valid: { containerID: string; ifname: string }[]) =>
    runIpamPlugin({
      env: { CNI_COMMAND: 'GC', CNI_PATH: '/opt/cni/bin' },
      stdin: conf({ 'cni.dev/valid-attachments': valid }),
      transport,
    });
  const ips = async () => {
    const p = (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'ippool-test' }))._unsafeUnwrap();
    return [...decodeAllocatedIPs(p.status?.allocatedIPs)._unsafeUnwrap().keys()].sort();
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spts-gc-'));
    store = createMemoryStore({ now: () => new Date() });
    (await store.create(pool))._unsafeUnwrap();
    for (const n of ['a', 'b']) uids.set(n, (await store.create(pod(n)))._unsafeUnwrap().metadata.uid ?? '');
    agent = (
      await startIpamAgent({ store, nodeName: 'node-1', socketPath: join(dir, 'a.sock') })
    )._unsafeUnwrap();
  });
  afterAll(async () => {
    await agent?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('releases the attachment the runtime no longer lists (its Pod is gone), keeps the listed one', async () => {
    expect((await add('a', 'ctr-a')).exitCode).toBe(0);
    expect((await add('b', 'ctr-b')).exitCode).toBe(0);
    expect(await ips()).toEqual(['10.20.168.190', '10.20.168.191']);
    // The DEL of pod a was lost (node crash); the Pod object is gone.
    (await store.delete({ kind: 'Pod', namespace: 'default', name: 'a' }))._unsafeUnwrap();
    const r = await gc([{ containerID: 'ctr-b', ifname: 'eth0' }]);
    expect(r).toEqual({ stdout: '', exitCode: 0 });
    expect(await ips()).toEqual(['10.20.168.191']);
    // Nothing left to collect: a second GC changes nothing.
    expect((await gc([{ containerID: 'ctr-b', ifname: 'eth0' }])).exitCode).toBe(0);
    expect(await ips()).toEqual(['10.20.168.191']);
  });

  it('an alive Pod keeps its IP (release as DEL would), and a new sandbox of a Pod supersedes the old one', async () => {
    // Pod b gets a new sandbox (same IP kept by the engine); GC listing only the new one releases nothing.
    expect((await add('b', 'ctr-b2')).exitCode).toBe(0);
    expect((await gc([{ containerID: 'ctr-b2', ifname: 'eth0' }])).exitCode).toBe(0);
    expect(await ips()).toEqual(['10.20.168.191']);
    // Even listed as gone, an alive Pod keeps its IP (Spiderpool's DEL semantics).
    expect((await gc([])).exitCode).toBe(0);
    expect(await ips()).toEqual(['10.20.168.191']);
  });
});

describe('createAttachmentLedger', () => {
  const req = (pod: string, containerID: string) => ({
    podNamespace: 'ns',
    podName: pod,
    containerID,
    ifName: 'eth0',
    ipamConfig: {},
  });
  it('keys by Pod + interface; forget only matches the recorded container', () => {
    const l = createAttachmentLedger();
    l.record(req('p', 'c1'));
    l.record(req('p', 'c2'));
    l.forget(req('p', 'c1'));
    expect(l.size()).toBe(1);
    expect(l.takeStale([{ containerID: 'c2', ifname: 'eth0' }])).toEqual([]);
    expect(l.takeStale([]).map((r) => r.containerID)).toEqual(['c2']);
    expect(l.size()).toBe(0);
  });
});
