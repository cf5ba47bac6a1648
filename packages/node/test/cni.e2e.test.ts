// End to end: the REAL macvlan CNI plugin (Debian's containernetworking-plugins) runs in a throwaway "host"
// netns, calls our `spiderpool` IPAM executable (bin/spiderpool, found on CNI_PATH), which asks the agent
// (startIpamAgent, a MemoryStore with the seed pool) over a temp unix socket. Asserted: the Pod netns gets
// eth0 with 10.20.168.190/16 and the default route via 10.20.0.1, the pool records the IP, the SpiderEndpoint
// exists; a second Pod gets .191 (cniVersion 0.4.0); DEL after the Pod is deleted frees the IP and removes
// eth0; an exhausted pool gives a CNI error and leaves no interface behind. Skips with a printed reason when
// not root, the kernel lacks netns/veth/macvlan, or the macvlan plugin is not installed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMemoryStore,
  decodeAllocatedIPs,
  type MemoryStore,
  type Pod,
  SPIDERPOOL_GROUP_VERSION,
  type SpiderEndpoint,
  type SpiderIPPool,
} from '@spiderpool-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IpamAgent, startIpamAgent } from '../src/index.ts';
import { ensureBuilt } from './buildKit.ts';
import { type CniInvocation, findPluginDir, OUR_BIN_DIR, runCni } from './cniKit.ts';
import { addNetns, cleanupAll, gate, ipj, probe, sh, uniqueName } from './netnsKit.ts';

const pluginDir = findPluginDir('macvlan');
const reason =
  probe() ??
  (pluginDir === undefined ? 'macvlan CNI plugin not installed (containernetworking-plugins)' : undefined);
const skip = gate('node/cni e2e', reason);

const NODE = 'node-1';
const NS = 'default';

const pool = (name: string, spec: SpiderIPPool['spec']): SpiderIPPool => ({
  apiVersion: SPIDERPOOL_GROUP_VERSION,
  kind: 'SpiderIPPool',
  metadata: { name },
  spec,
});

const pod = (name: string, annotations?: Record<string, string>): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: NS, name, ...(annotations ? { annotations } : {}) },
  spec: { nodeName: NODE },
  status: { phase: 'Running' },
});

interface Link {
  ifname: string;
  link_type?: string;
  addr_info?: { family: string; local: string; prefixlen: number }[];
}
interface RouteRow {
  dst: string;
  gateway?: string;
  dev: string;
}
const names = (netns: string): string[] => (ipj(netns, 'link', 'show') as Link[]).map((l) => l.ifname);
const v4 = (netns: string, ifName: string): string[] =>
  ((ipj(netns, 'addr', 'show') as Link[]).find((l) => l.ifname === ifName)?.addr_info ?? [])
    .filter((a) => a.family === 'inet')
    .map((a) => `${a.local}/${a.prefixlen}`);
const defaultRoute = (netns: string): RouteRow | undefined =>
  (ipj(netns, 'route', 'show') as RouteRow[]).find((r) => r.dst === 'default');

describe.skipIf(skip)('spiderpool IPAM under the real macvlan plugin', () => {
  let store: MemoryStore;
  let agent: IpamAgent;
  let dir = '';
  let host = '';
  /** Pod name → its netns name. */
  const pods = new Map<string, string>();
  /** Pod name → the uid the store gave it (the runtime passes it as K8S_POD_UID). */
  const uids = new Map<string, string>();

  const records = async (name: string) => {
    const p = (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name }))._unsafeUnwrap();
    return decodeAllocatedIPs(p.status?.allocatedIPs)._unsafeUnwrap();
  };
  const endpoint = async (name: string) =>
    (await store.get<SpiderEndpoint>({ kind: 'SpiderEndpoint', namespace: NS, name })).isOk();

  const cni = (command: CniInvocation['command'], podName: string, cniVersion: string) =>
    runCni({
      hostNetns: host,
      pluginPath: join(pluginDir ?? '', 'macvlan'),
      command,
      containerID: `ctr-${podName}`,
      podNetns: pods.get(podName) ?? '',
      ifName: 'eth0',
      cniPath: `${OUR_BIN_DIR}:${pluginDir ?? ''}`,
      pod: { namespace: NS, name: podName, uid: uids.get(podName) ?? '' },
      netconf: {
        cniVersion,
        name: 'macvlan-test',
        type: 'macvlan',
        master: 'p0',
        mode: 'bridge',
        ipam: { type: 'spiderpool', ipam_unix_socket_path: agent.socketPath },
      },
    });

  beforeAll(async () => {
    ensureBuilt(); // bin/spiderpool runs the bundle dist/bin/spiderpool-ipam.js
    dir = mkdtempSync(join(tmpdir(), 'spts-cni-'));
    host = addNetns(uniqueName('h'));
    for (const p of ['pod-a', 'pod-b', 'pod-c']) pods.set(p, addNetns(uniqueName('p')));
    // The parent: a veth pair in the host netns; gw0 holds the gateway, p0 is macvlan's master.
    for (const args of [
      ['link', 'add', 'gw0', 'type', 'veth', 'peer', 'name', 'p0'],
      ['addr', 'add', '10.20.0.1/16', 'dev', 'gw0'],
      ['link', 'set', 'gw0', 'up'],
      ['link', 'set', 'p0', 'up'],
    ])
      expect(sh(['ip', '-n', host, ...args]).code).toBe(0);
    store = createMemoryStore({ now: () => new Date() });
    const objects = [
      pool('ippool-test', {
        ipVersion: 4,
        subnet: '10.20.0.0/16',
        ips: ['10.20.168.190-10.20.168.199'],
        gateway: '10.20.0.1',
        default: true,
      }),
      // Every IP excluded: exhausted from the start.
      pool('ippool-full', {
        ipVersion: 4,
        subnet: '10.30.0.0/16',
        ips: ['10.30.0.10'],
        excludeIPs: ['10.30.0.10'],
      }),
      pod('pod-a'),
      pod('pod-b'),
      pod('pod-c', { 'ipam.spidernet.io/ippool': '{"ipv4":["ippool-full"]}' }),
    ];
    for (const o of objects) {
      const created = (await store.create(o))._unsafeUnwrap();
      if (created.kind === 'Pod') uids.set(created.metadata.name, created.metadata.uid ?? '');
    }
    agent = (
      await startIpamAgent({ store, nodeName: NODE, socketPath: join(dir, 'spiderpool.sock') })
    )._unsafeUnwrap();
  }, 180_000);

  afterAll(async () => {
    await agent?.close();
    cleanupAll();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('ADD gives pod-a eth0 with 10.20.168.190/16 and a default route via 10.20.0.1', async () => {
    const r = await cni('ADD', 'pod-a', '1.0.0');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({
      cniVersion: '1.0.0',
      interfaces: [{ name: 'eth0', sandbox: `/var/run/netns/${pods.get('pod-a')}` }],
      ips: [{ address: '10.20.168.190/16', gateway: '10.20.0.1', interface: 0 }],
      routes: [{ dst: '0.0.0.0/0', gw: '10.20.0.1' }],
    });
    const podNs = pods.get('pod-a') ?? '';
    expect(v4(podNs, 'eth0')).toEqual(['10.20.168.190/16']);
    expect(defaultRoute(podNs)).toMatchObject({ gateway: '10.20.0.1', dev: 'eth0' });
    expect((await records('ippool-test')).get('10.20.168.190')).toEqual({
      pod: 'default/pod-a',
      podUid: uids.get('pod-a'),
    });
    expect(await endpoint('pod-a')).toBe(true);
    // The pod can reach the gateway on the host side through macvlan → p0 → gw0.
    if (hasPingBinary())
      expect(sh(['ip', 'netns', 'exec', podNs, 'ping', '-c1', '-W2', '10.20.0.1']).code).toBe(0);
  });

  it('a second Pod (cniVersion 0.4.0) gets 10.20.168.191 with ips[].version', async () => {
    const r = await cni('ADD', 'pod-b', '0.4.0');
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({
      cniVersion: '0.4.0',
      ips: [{ version: '4', address: '10.20.168.191/16', gateway: '10.20.0.1' }],
    });
    expect(v4(pods.get('pod-b') ?? '', 'eth0')).toEqual(['10.20.168.191/16']);
    expect([...(await records('ippool-test')).keys()].sort()).toEqual(['10.20.168.190', '10.20.168.191']);
  });

  it('DEL after the Pod object is gone frees the IP, deletes the endpoint and removes eth0', async () => {
    (await store.delete({ kind: 'Pod', namespace: NS, name: 'pod-a' }))._unsafeUnwrap();
    const r = await cni('DEL', 'pod-a', '1.0.0');
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
    expect(names(pods.get('pod-a') ?? '')).toEqual(['lo']);
    expect([...(await records('ippool-test')).keys()]).toEqual(['10.20.168.191']);
    expect(await endpoint('pod-a')).toBe(false);
    // DEL again (kubelet retries) is still a success.
    expect((await cni('DEL', 'pod-a', '1.0.0')).code).toBe(0);
  });

  it('an exhausted pool: the CNI error reaches the runtime and no interface is left behind', async () => {
    const r = await cni('ADD', 'pod-c', '1.0.0');
    expect(r.code).not.toBe(0);
    expect(r.json).toMatchObject({ code: 999, details: 'AllPoolsExhausted' });
    expect(String(r.json?.msg)).toContain('ippool-full');
    // macvlan 1.1.1 shadows `err` around its IPAM call, so its own cleanup does not run and eth0 may stay;
    // a runtime always follows a failed ADD with DEL (containerd / CRI-O do), which removes it.
    expect((await cni('DEL', 'pod-c', '1.0.0')).code).toBe(0);
    expect(names(pods.get('pod-c') ?? '')).toEqual(['lo']);
    expect(names(host).sort()).toEqual(['gw0', 'lo', 'p0']);
    expect((await records('ippool-full')).size).toBe(0);
    expect(await endpoint('pod-c')).toBe(false);
  });

  it('the agent is unreachable: code 11 (try again later), no interface left behind', async () => {
    const r = await runCni({
      hostNetns: host,
      pluginPath: join(pluginDir ?? '', 'macvlan'),
      command: 'ADD',
      containerID: 'ctr-pod-c',
      podNetns: pods.get('pod-c') ?? '',
      ifName: 'eth0',
      cniPath: `${OUR_BIN_DIR}:${pluginDir ?? ''}`,
      pod: { namespace: NS, name: 'pod-c', uid: uids.get('pod-c') ?? '' },
      netconf: {
        cniVersion: '0.3.1',
        name: 'macvlan-test',
        type: 'macvlan',
        master: 'p0',
        ipam: { type: 'spiderpool', ipam_unix_socket_path: join(dir, 'nobody.sock') },
      },
    });
    expect(r.code).not.toBe(0);
    expect(r.json).toMatchObject({ code: 11, details: join(dir, 'nobody.sock') });
    expect(String(r.json?.msg)).toContain('cannot reach spiderpool-agent');
    // The runtime follows with DEL and retries it until it succeeds; once the agent answers, nothing is left.
    expect((await cni('DEL', 'pod-c', '1.0.0')).code).toBe(0);
    expect(names(pods.get('pod-c') ?? '')).toEqual(['lo']);
  });
});

const hasPingBinary = (): boolean => sh(['ping', '-V']).code === 0;
