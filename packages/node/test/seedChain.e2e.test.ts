// The seed end to end on real kernel objects, with what the data path has today: the seed's SpiderIPPool
// and a SpiderMultusConfig (cniType macvlan on the PF stand-in) through core's webhooks, the NAD core
// generates, one spiderpool agent per node over one MemoryStore, and the chain runner's Multus stand-in
// running Debian's REAL macvlan plugin with our `spiderpool` IPAM (bin/spiderpool) inside each node netns,
// for the two Pods of Deployment `sriov-deploy`. Asserted: 10.20.168.190/16 and .191/16 on eth0 with the
// default route via 10.20.0.1, Pod → Pod ping across the nodes, and after DEL each node netns identical to
// before (links, addresses, routes of all tables, rules, iptables-save), the Pod netns back to `lo`, the pool
// empty. Needs root, netns/veth/macvlan/bridge, Debian's containernetworking-plugins, iptables; skips outside
// CI with the reason, fails under CI=true.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMemoryStore,
  type MemoryStore,
  type NetworkAttachmentDefinition,
  type Pod,
} from '@spiderpool-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTopology,
  hasIptables,
  ipJson,
  type NodeSnapshot,
  probeTopology,
  sh,
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
  (pluginDir === undefined ? 'macvlan CNI plugin not installed (containernetworking-plugins)' : undefined) ??
  (hasIptables() ? undefined : 'iptables not installed') ??
  (sh(['ping', '-V']).code === 0 ? undefined : 'ping not installed (iputils-ping)');
const skip = gate('node/seed chain e2e (macvlan)', reason);

interface AddrRow {
  ifname: string;
  addr_info?: { family: string; local: string; prefixlen: number }[];
}
const v4 = (netns: string, ifName: string): string[] =>
  ((ipJson(netns, 'addr', 'show') as AddrRow[]).find((l) => l.ifname === ifName)?.addr_info ?? [])
    .filter((a) => a.family === 'inet')
    .map((a) => `${a.local}/${a.prefixlen}`);
const linkNames = (netns: string): string[] =>
  (ipJson(netns, 'link', 'show') as AddrRow[]).map((l) => l.ifname);

describe.skipIf(skip)(
  'seed chain: real macvlan + spiderpool IPAM through the chain runner, two nodes',
  () => {
    let topo: Topology;
    let store: MemoryStore;
    let nodes: SeedNode[] = [];
    let nad: NetworkAttachmentDefinition;
    let dir = '';
    const pods: { pod: Pod; node: SeedNode; netns: string }[] = [];
    const before = new Map<string, NodeSnapshot>();
    const cniPath = `${OUR_BIN_DIR}:${pluginDir ?? ''}`;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'spts-seed-'));
      topo = createTopology();
      store = createMemoryStore({ now: () => new Date() });
      nad = await applySeed(store, 'macvlan-test', {
        cniType: 'macvlan',
        macvlan: { master: ['enp4s0f0np0'] },
        enableCoordinator: false,
      });
      await createDeployment(store);
      nodes = await startNodeAgents(store, topo, dir);
      for (const [suffix, node] of [
        ['xfsvj', nodes[0]],
        ['mmpsm', nodes[1]],
      ] as const) {
        if (node === undefined) throw new Error('two nodes expected');
        pods.push({
          pod: await createPod(store, suffix, node.name, 'kube-system/macvlan-test'),
          node,
          netns: topo.addPod('pod'),
        });
      }
      for (const n of topo.nodes) before.set(n.netns, await stableSnapshot(n.netns));
    });

    afterAll(async () => {
      for (const n of nodes) {
        await n.agent.close();
        rmSync(n.cacheDir, { recursive: true, force: true });
      }
      topo?.destroy();
      if (dir !== '') rmSync(dir, { recursive: true, force: true });
    });

    it('the NAD core generated is a macvlan + spiderpool conflist', () => {
      expect(JSON.parse(nad.spec?.config ?? '')).toEqual({
        cniVersion: '0.3.1',
        name: 'macvlan-test',
        plugins: [
          { type: 'macvlan', master: 'enp4s0f0np0', mode: 'bridge', mtu: 0, ipam: { type: 'spiderpool' } },
        ],
      });
    });

    it('ADD: the two Pods get 10.20.168.190/16 and .191/16 on eth0, default route via 10.20.0.1', async () => {
      for (const p of pods) {
        const r = await sandbox({
          node: p.node,
          pod: p.pod,
          podNetns: p.netns,
          nads: [nad],
          cniPath,
          command: 'ADD',
        });
        expect(r.isOk(), r.isErr() ? r.error.message : '').toBe(true);
      }
      expect(v4(pods[0]?.netns ?? '', 'eth0')).toEqual(['10.20.168.190/16']);
      expect(v4(pods[1]?.netns ?? '', 'eth0')).toEqual(['10.20.168.191/16']);
      for (const p of pods) {
        const routes = ipJson(p.netns, 'route', 'show') as { dst: string; gateway?: string; dev: string }[];
        expect(routes.find((r) => r.dst === 'default')).toMatchObject({ gateway: '10.20.0.1', dev: 'eth0' });
      }
      expect(await allocated(store)).toEqual(['10.20.168.190', '10.20.168.191']);
    });

    it('Pod → Pod ping across the two nodes, and each Pod reaches the gateway', () => {
      const [a, b] = pods;
      expect(sh(['ip', 'netns', 'exec', a?.netns ?? '', 'ping', '-c1', '-W2', '10.20.168.191']).code).toBe(0);
      expect(sh(['ip', 'netns', 'exec', b?.netns ?? '', 'ping', '-c1', '-W2', '10.20.168.190']).code).toBe(0);
      expect(sh(['ip', 'netns', 'exec', b?.netns ?? '', 'ping', '-c1', '-W2', '10.20.0.1']).code).toBe(0);
    });

    it('DEL after the Pods are deleted: each node netns is exactly as before, the pool is empty', async () => {
      for (const p of [...pods].reverse()) {
        (
          await store.delete({ kind: 'Pod', namespace: 'default', name: p.pod.metadata.name })
        )._unsafeUnwrap();
        const r = await sandbox({
          node: p.node,
          pod: p.pod,
          podNetns: p.netns,
          nads: [nad],
          cniPath,
          command: 'DEL',
        });
        expect(r.isOk(), r.isErr() ? r.error.message : '').toBe(true);
        expect(linkNames(p.netns)).toEqual(['lo']);
      }
      for (const n of topo.nodes) expect(await stableSnapshot(n.netns)).toEqual(before.get(n.netns));
      expect(await allocated(store)).toEqual([]);
    });
  },
);
