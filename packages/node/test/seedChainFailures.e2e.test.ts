// Failures injected at each step of a real chain run by the chain runner's Multus stand-in, on the topology
// kit: the IPAM step (agent unreachable), the main plugin (macvlan's master missing), and a step after the
// main plugin (Debian's real `tuning` with a sysctl the kernel does not have). attachPod unwinds as Multus
// does (DEL of what was added, and of the failing network); after each failure the node netns is identical
// to before, the Pod netns holds only `lo`, and no cache file is left. The IP of a Pod that is still alive is
// kept for it (Spiderpool's DEL semantics: the kubelet retry gets the same IP) and freed once the Pod is
// deleted. Needs root, netns/veth/macvlan/bridge, Debian's containernetworking-plugins, iptables.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMemoryStore,
  type MemoryStore,
  type NetworkAttachmentDefinition,
  type Pod,
} from '@spiderpool-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../src/index.ts';
import {
  createTopology,
  hasIptables,
  ipJson,
  type NodeSnapshot,
  probeTopology,
  stableSnapshot,
  type Topology,
} from '../src/testing/index.ts';
import { findPluginDir, OUR_BIN_DIR } from './cniKit.ts';
import { gate } from './netnsKit.ts';
import {
  allocated,
  applySeed,
  createDeployment,
  createPod,
  type SeedNode,
  sandbox,
  startNodeAgents,
} from './seedKit.ts';

const pluginDir = findPluginDir('macvlan');
const reason =
  probeTopology() ??
  (pluginDir === undefined || findPluginDir('tuning') === undefined
    ? 'macvlan/tuning CNI plugins not installed (containernetworking-plugins)'
    : undefined) ??
  (hasIptables() ? undefined : 'iptables not installed');
const skip = gate('node/seed chain failures e2e', reason);

const linkNames = (netns: string): string[] =>
  (ipJson(netns, 'link', 'show') as { ifname: string }[]).map((l) => l.ifname);

describe.skipIf(skip)('failures injected at each step of the chain leave nothing behind', () => {
  let topo: Topology;
  let store: MemoryStore;
  let node: SeedNode;
  let nodes: SeedNode[] = [];
  let nad: NetworkAttachmentDefinition;
  let pod: Pod;
  let podNetns = '';
  let dir = '';
  let before: NodeSnapshot;
  const cniPath = `${OUR_BIN_DIR}:${pluginDir ?? ''}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spts-fail-'));
    topo = createTopology({ nodes: [['master-11', '10.20.1.11/16']], vfCount: 2 });
    store = createMemoryStore({ now: () => new Date() });
    nad = await applySeed(store, 'macvlan-test', {
      cniType: 'macvlan',
      macvlan: { master: ['enp4s0f0np0'] },
      enableCoordinator: false,
    });
    await createDeployment(store);
    nodes = await startNodeAgents(store, topo, dir);
    const first = nodes[0];
    if (first === undefined) throw new Error('one node expected');
    node = first;
    pod = await createPod(store, 'xfsvj', node.name, 'kube-system/macvlan-test');
    podNetns = topo.addPod('pod');
    before = await stableSnapshot(node.netns);
  });

  afterAll(async () => {
    for (const n of nodes) {
      await n.agent.close();
      rmSync(n.cacheDir, { recursive: true, force: true });
    }
    topo?.destroy();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  const withTuning = (sysctl: Record<string, string>): NetworkAttachmentDefinition => {
    const conf = JSON.parse(nad.spec?.config ?? '{}') as JsonObject;
    const plugins = Array.isArray(conf.plugins) ? conf.plugins : [];
    return {
      ...nad,
      spec: { config: JSON.stringify({ ...conf, plugins: [...plugins, { type: 'tuning', sysctl }] }) },
    };
  };

  const expectNothingLeft = async () => {
    expect(linkNames(podNetns)).toEqual(['lo']);
    expect(await stableSnapshot(node.netns)).toEqual(before);
    const results = join(node.cacheDir, 'results');
    expect(existsSync(results) ? readdirSync(results) : []).toEqual([]);
  };

  // [name, the NAD, a node-local patch injecting the failure, the plugin that fails, whether the runtime's DEL
  // retry is needed: macvlan 1.1.1's DEL asks its IPAM first, so with the agent down the unwind DEL fails too
  // and eth0 stays until kubelet's DEL retry reaches the agent again]
  const cases: [
    string,
    () => NetworkAttachmentDefinition,
    ((p: JsonObject) => JsonObject) | undefined,
    string,
    boolean,
  ][] = [
    [
      'IPAM: the agent is unreachable',
      () => nad,
      (p) =>
        p.ipam
          ? { ...p, ipam: { ...(p.ipam as JsonObject), ipam_unix_socket_path: join(dir, 'nobody.sock') } }
          : p,
      'macvlan',
      true,
    ],
    [
      'main plugin: macvlan master missing',
      () => nad,
      (p) => (p.type === 'macvlan' ? { ...p, master: 'nosuchpf0' } : p),
      'macvlan',
      false,
    ],
    [
      'after the main plugin: tuning with an unknown sysctl',
      () => withTuning({ 'net.ipv4.conf.eth0.no_such_knob': '1' }),
      undefined,
      'tuning',
      false,
    ],
  ];

  it.each(cases)('%s', async (_name, nadOf, patch, failing, retryDel) => {
    const nads = [nadOf()];
    const r = await sandbox({
      node,
      pod,
      podNetns,
      nads,
      cniPath,
      command: 'ADD',
      ...(patch ? { patch } : {}),
    });
    expect(r.isErr()).toBe(true);
    expect(r.isErr() ? r.error : undefined, r.isErr() ? r.error.message : '').toMatchObject({
      _tag: 'PluginFailed',
      plugin: failing,
      command: 'ADD',
    });
    if (retryDel) {
      const d = await sandbox({ node, pod, podNetns, nads, cniPath, command: 'DEL' });
      expect(d.isOk(), d.isErr() ? d.error.message : '').toBe(true);
    }
    await expectNothingLeft();
  });

  it('the kubelet retry then succeeds; deleting the Pod frees its IP', async () => {
    const r = await sandbox({ node, pod, podNetns, nads: [nad], cniPath, command: 'ADD' });
    expect(r.isOk(), r.isErr() ? r.error.message : '').toBe(true);
    expect(await allocated(store)).toEqual(['10.20.168.190']);
    (await store.delete({ kind: 'Pod', namespace: 'default', name: pod.metadata.name }))._unsafeUnwrap();
    expect((await sandbox({ node, pod, podNetns, nads: [nad], cniPath, command: 'DEL' })).isOk()).toBe(true);
    await expectNothingLeft();
    expect(await allocated(store)).toEqual([]);
  });
});
