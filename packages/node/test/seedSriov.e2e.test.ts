// The seed's chain for real: the NAD core generates for the seed's SpiderMultusConfig (cniType sriov) —
// `sriov` → `spiderpool` → `coordinator` — run by the chain runner's Multus stand-in (attachPod) inside two
// node netns of the topology kit (`master-11`, `worker-12`), each with 8 VF stand-ins behind a fixture sysfs
// (the device plugin's PCI addresses), its own agent (one MemoryStore, SpiderCoordinator `default` Synced
// with the service CIDR 10.43.0.0/16) and a kube-proxy stand-in (ClusterIP 10.43.54.100:80 and NodePort
// 30080 DNAT to both Pods, masquerade). The two Pods of Deployment `sriov-deploy` each get a VF:
//   - eth0 (the VF stand-in) with 10.20.168.190/16 and .191/16, default route via 10.20.0.1;
//   - Pod → Pod ping across the nodes; the node reaches its Pod through veth0;
//   - HTTP from a Pod to 10.43.54.100 answers 200, and does not without the coordinator (same Pod, the NAD
//     generated with enableCoordinator false);
//   - a Pod sandbox re-created with the same IP on another VF (another MAC) answers the other node's ping
//     within 1 s (the sriov plugin's arp_notify announces it);
//   - failures injected at each step (sriov: unknown VF; spiderpool: agent down; coordinator: agent refuses)
//     leave the node netns and the Pod netns as they were;
//   - DEL of both Pods: each node netns identical to before (links incl. the VF stand-ins' names, MAC, MTU;
//     addresses; routes of all tables; rules; iptables-save), the pool empty.
// Needs root, netns/veth/macvlan/bridge, iptables, ping and the built plugins (ensureBuilt).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMemoryStore,
  type MemoryStore,
  type NetworkAttachmentDefinition,
  type Pod,
  SPIDERPOOL_GROUP_VERSION,
  type SpiderCoordinator,
} from '@spiderpool-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../src/index.ts';
import {
  createTopology,
  hasIptables,
  httpGetFrom,
  ipJson,
  type KubeProxy,
  type NodeSnapshot,
  type PodServer,
  probeTopology,
  sh,
  stableSnapshot,
  startKubeProxy,
  startPodServer,
  type Topology,
  writeFixturePf,
} from '../src/testing/index.ts';
import { ensureBuilt } from './buildKit.ts';
import { OUR_BIN_DIR } from './cniKit.ts';
import { gate } from './netnsKit.ts';
import {
  allocated,
  applySeed,
  createDeployment,
  createPod,
  RESOURCE,
  type SeedNode,
  sandbox,
  startNodeAgents,
} from './seedKit.ts';

const reason =
  probeTopology() ??
  (hasIptables() ? undefined : 'iptables not installed') ??
  (sh(['ping', '-V']).code === 0 ? undefined : 'ping not installed (iputils-ping)');
const skip = gate('node/seed sriov chain e2e', reason);

const PF_PCI = '0000:04:00.0';
const vfPci = (i: number) => `0000:04:00.${i + 2}`;
const CLUSTER_IP = '10.43.54.100';

interface AddrRow {
  ifname: string;
  address?: string;
  link_type?: string;
  addr_info?: { family: string; local: string; prefixlen: number }[];
}
const v4 = (netns: string, ifName: string): string[] =>
  ((ipJson(netns, 'addr', 'show') as AddrRow[]).find((l) => l.ifname === ifName)?.addr_info ?? [])
    .filter((a) => a.family === 'inet')
    .map((a) => `${a.local}/${a.prefixlen}`);
const linkNames = (netns: string): string[] =>
  (ipJson(netns, 'link', 'show') as AddrRow[]).map((l) => l.ifname);
const macOf = (netns: string, ifName: string): string | undefined =>
  (ipJson(netns, 'link', 'show') as AddrRow[]).find((l) => l.ifname === ifName)?.address;
const ping = (netns: string, ip: string, wait = 2) =>
  sh(['ip', 'netns', 'exec', netns, 'ping', '-c1', `-W${wait}`, ip]).code === 0;

describe.skipIf(skip)('seed chain sriov → spiderpool → coordinator on VF stand-ins, two nodes', () => {
  let topo: Topology;
  let store: MemoryStore;
  let nodes: SeedNode[] = [];
  let nad: NetworkAttachmentDefinition;
  let nadNoCoord: NetworkAttachmentDefinition;
  let dir = '';
  const proxies: KubeProxy[] = [];
  const servers: PodServer[] = [];
  const pods: { pod: Pod; node: SeedNode; netns: string; vf: number; ctr?: string }[] = [];
  const before = new Map<string, NodeSnapshot>();
  const cniPath = OUR_BIN_DIR;

  /** Node-local files of the sriov plugin: this node's fixture sysfs and state dir. */
  const local =
    (node: SeedNode) =>
    (p: JsonObject): JsonObject =>
      p.type === 'sriov'
        ? { ...p, sysfsRoot: join(dir, node.name, 'sys'), stateDir: join(dir, node.name, 'state') }
        : p;

  const run = (
    i: number,
    command: 'ADD' | 'DEL',
    o: {
      nads?: NetworkAttachmentDefinition[];
      patch?: (p: JsonObject) => JsonObject;
      containerId?: string;
    } = {},
  ) => {
    const p = pods[i];
    if (p === undefined) throw new Error(`no pod ${i}`);
    const patch = o.patch;
    return sandbox({
      node: p.node,
      pod: p.pod,
      podNetns: p.netns,
      nads: o.nads ?? [nad],
      cniPath,
      command,
      allocatedDevices: { [RESOURCE]: [vfPci(p.vf)] },
      patch: (x) => (patch ? patch(local(p.node)(x)) : local(p.node)(x)),
      ...(p.ctr ? { containerId: p.ctr } : {}),
    });
  };

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'spts-seed-sriov-'));
    topo = createTopology();
    for (const n of topo.nodes) {
      mkdirSync(join(dir, n.name, 'state'), { recursive: true });
      await writeFixturePf(join(dir, n.name, 'sys'), {
        pciAddress: PF_PCI,
        netdev: n.pf,
        totalVfs: n.vfs.length,
        vfs: n.vfs.map((netdev, index) => ({ index, pciAddress: vfPci(index), netdev })),
      });
    }
    store = createMemoryStore({ now: () => new Date() });
    nad = await applySeed(store, 'sriov-test', { cniType: 'sriov', sriov: { resourceName: RESOURCE } });
    const coord: SpiderCoordinator = {
      apiVersion: SPIDERPOOL_GROUP_VERSION,
      kind: 'SpiderCoordinator',
      metadata: { name: 'default' },
      spec: {
        mode: 'auto',
        podCIDRType: 'cluster',
        tunePodRoutes: true,
        hostRuleTable: 500,
        podRPFilter: 0,
        vethMTU: 1500,
      },
    };
    const created = (await store.create(coord))._unsafeUnwrap();
    (
      await store.updateStatus<SpiderCoordinator>({
        ...created,
        status: { phase: 'Synced', overlayPodCIDR: [], serviceCIDR: ['10.43.0.0/16'] },
      })
    )._unsafeUnwrap();
    await createDeployment(store);
    nodes = await startNodeAgents(store, topo, dir);
    for (const [suffix, node] of [
      ['xfsvj', nodes[0]],
      ['mmpsm', nodes[1]],
    ] as const) {
      if (node === undefined) throw new Error('two nodes expected');
      pods.push({
        pod: await createPod(store, suffix, node.name, 'kube-system/sriov-test'),
        node,
        netns: topo.addPod('pod'),
        vf: 0,
      });
    }
    // The same SMC without the coordinator, to prove the Service path needs it.
    const plain = JSON.parse(nad.spec?.config ?? '{}') as JsonObject;
    nadNoCoord = {
      ...nad,
      spec: {
        config: JSON.stringify({
          ...plain,
          plugins: (plain.plugins as JsonObject[]).filter((p) => p.type !== 'coordinator'),
        }),
      },
    };
    for (const n of topo.nodes)
      proxies.push(
        startKubeProxy({
          netns: n.netns,
          clusterIP: CLUSTER_IP,
          port: 80,
          nodeIP: n.ip,
          nodePort: 30080,
          endpoints: ['10.20.168.190:80', '10.20.168.191:80'],
        }),
      );
    for (const n of topo.nodes) before.set(n.netns, await stableSnapshot(n.netns));
  });

  afterAll(async () => {
    for (const s of servers) s.stop();
    for (const n of nodes) {
      await n.agent.close();
      rmSync(n.cacheDir, { recursive: true, force: true });
    }
    for (const p of proxies) p.remove();
    topo?.destroy();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('the NAD is the seed chain sriov → spiderpool → coordinator with the device plugin resource', () => {
    expect(nad.metadata.annotations?.['k8s.v1.cni.cncf.io/resourceName']).toBe(RESOURCE);
    const conf = JSON.parse(nad.spec?.config ?? '{}') as { plugins: { type: string }[] };
    expect(conf.plugins.map((p) => p.type)).toEqual(['sriov', 'coordinator']);
  });

  it('failures injected at each step leave the node and the Pod netns as they were', async () => {
    const steps: [string, (p: JsonObject) => JsonObject][] = [
      [
        'sriov: the VF is unknown',
        (p) => (p.type === 'sriov' ? { ...p, deviceID: '0000:09:00.7', pciBusID: '0000:09:00.7' } : p),
      ],
      [
        'spiderpool: the agent is down',
        (p) =>
          p.ipam
            ? { ...p, ipam: { ...(p.ipam as JsonObject), ipam_unix_socket_path: join(dir, 'none.sock') } }
            : p,
      ],
      [
        'coordinator: its agent is down',
        (p) => (p.type === 'coordinator' ? { ...p, ipam_unix_socket_path: join(dir, 'none.sock') } : p),
      ],
    ];
    const p = pods[0];
    if (p === undefined) throw new Error('pod');
    for (const [name, patch] of steps) {
      const r = await run(0, 'ADD', { patch });
      expect(r.isErr(), name).toBe(true);
      // kubelet's DEL retry with the node's real settings, as after any failed ADD.
      expect((await run(0, 'DEL')).isOk(), name).toBe(true);
      expect(linkNames(p.netns), name).toEqual(['lo']);
      expect(await stableSnapshot(p.node.netns), name).toEqual(before.get(p.node.netns));
    }
  });

  it('without the coordinator the Pod cannot reach the ClusterIP', async () => {
    expect((await run(0, 'ADD', { nads: [nadNoCoord] })).isOk()).toBe(true);
    const p = pods[0];
    servers.push(await startPodServer(p?.netns ?? '', 'pod-a'));
    const answer = await httpGetFrom(p?.netns ?? '', CLUSTER_IP, 80, 1500);
    expect(answer.status).toBeUndefined();
    expect((await run(0, 'DEL', { nads: [nadNoCoord] })).isOk()).toBe(true);
    servers.pop()?.stop();
  });

  it('ADD: eth0 is the VF stand-in with .190/16 and .191/16, default route via 10.20.0.1', async () => {
    for (const i of [0, 1]) {
      const r = await run(i, 'ADD');
      expect(r.isOk(), r.isErr() ? r.error.message : '').toBe(true);
    }
    expect(v4(pods[0]?.netns ?? '', 'eth0')).toEqual(['10.20.168.190/16']);
    expect(v4(pods[1]?.netns ?? '', 'eth0')).toEqual(['10.20.168.191/16']);
    for (const p of pods) {
      expect(linkNames(p.node.netns)).not.toContain(topo.node(p.node.name).vfs[0]);
      expect(linkNames(p.netns)).toContain('veth0');
      const routes = ipJson(p.netns, 'route', 'show') as { dst: string; gateway?: string; dev: string }[];
      expect(routes.find((r) => r.dst === 'default')).toMatchObject({ gateway: '10.20.0.1', dev: 'eth0' });
    }
    expect(await allocated(store)).toEqual(['10.20.168.190', '10.20.168.191']);
  });

  it('Pod → Pod across the nodes, node → its Pod through veth0, Pod → ClusterIP answers 200', async () => {
    const [a, b] = pods;
    expect(ping(a?.netns ?? '', '10.20.168.191')).toBe(true);
    expect(ping(b?.netns ?? '', '10.20.168.190')).toBe(true);
    expect(ping(a?.node.netns ?? '', '10.20.168.190')).toBe(true);
    expect(ping(b?.node.netns ?? '', '10.20.168.191')).toBe(true);
    servers.push(
      await startPodServer(a?.netns ?? '', 'pod-a'),
      await startPodServer(b?.netns ?? '', 'pod-b'),
    );
    // Each endpoint alone (the remote Pod, the Pod itself through its node), then both (random).
    for (const eps of [
      ['10.20.168.191:80'],
      ['10.20.168.190:80'],
      ['10.20.168.190:80', '10.20.168.191:80'],
    ]) {
      for (const p of proxies) p.setEndpoints(eps);
      const answer = await httpGetFrom(a?.netns ?? '', CLUSTER_IP, 80, 3000);
      expect(answer.status, `${eps.join(',')}: ${JSON.stringify(answer)}`).toBe(200);
    }
  });

  it('a Pod sandbox re-created with the same IP on another VF answers the other node within 1 s', async () => {
    const a = pods[0];
    const b = pods[1];
    if (a === undefined || b === undefined) throw new Error('pods');
    expect(ping(b.netns, '10.20.168.190')).toBe(true); // b's ARP cache holds a's MAC now
    const oldMac = macOf(a.netns, 'eth0');
    for (const s of servers.splice(0)) s.stop();
    expect((await run(0, 'DEL')).isOk()).toBe(true);
    a.vf = 1;
    a.ctr = `ctr-${a.pod.metadata.name}-2`;
    expect((await run(0, 'ADD')).isOk()).toBe(true);
    expect(v4(a.netns, 'eth0')).toEqual(['10.20.168.190/16']);
    expect(macOf(a.netns, 'eth0')).not.toBe(oldMac);
    const t0 = Date.now();
    let reached = false;
    while (!reached && Date.now() - t0 < 1000) reached = ping(b.netns, '10.20.168.190', 1);
    expect(reached).toBe(true);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('DEL of both Pods: each node netns exactly as before, VF stand-ins back, pool empty', async () => {
    for (const i of [1, 0]) {
      const p = pods[i];
      if (p === undefined) throw new Error('pod');
      (await store.delete({ kind: 'Pod', namespace: 'default', name: p.pod.metadata.name }))._unsafeUnwrap();
      const r = await run(i, 'DEL');
      expect(r.isOk(), r.isErr() ? r.error.message : '').toBe(true);
      expect(linkNames(p.netns)).toEqual(['lo']);
    }
    for (const n of topo.nodes) expect(await stableSnapshot(n.netns)).toEqual(before.get(n.netns));
    expect(await allocated(store)).toEqual([]);
  });
});
