// Chain suite: the whole CNI chain of one Pod through the chain runner's Multus stand-in (attachPod), on the
// netns stand-ins of @spiderpool-ts/node/testing: Debian's real macvlan plugin + our `spiderpool` IPAM
// executable asking a node agent (one MemoryStore), ADD then DEL, 50 times. Baseline in the same run: the
// start of a bare Node process (`node -e 0`, the plugins' environment: no tsx loader), once per iteration of
// the same loop. Figures: ADD / DEL p50 and p99 (target: chain ADD
// p99 <= 500 ms), and their ratio to the baseline's p50 (a chain has at least one Node plugin process).
// Needs root, netns/veth/macvlan and /usr/lib/cni/macvlan; otherwise every row says why it was skipped.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createMemoryStore,
  DEFAULT_CLUSTER_SETTINGS,
  defaultIPPool,
  defaultMultusConfig,
  generateNetAttachDef,
  type NetworkAttachmentDefinition,
  type Pod,
  SPIDERPOOL_GROUP_VERSION,
} from '@spiderpool-ts/core';
import { attachPod, type JsonObject, startIpamAgent } from '@spiderpool-ts/node';
import { createTopology, netnsPath, probeTopology } from '@spiderpool-ts/node/testing';
import type { BenchRow, SuiteResult } from '../report.ts';

const SUITE = 'chain';
const RUNS = 50;
const here = dirname(fileURLToPath(import.meta.url));
const NODE_BIN = join(here, '..', '..', '..', 'packages', 'node', 'bin');
const PLUGINS = '/usr/lib/cni';

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? Number.NaN;
};

const skipped = (why: string): SuiteResult => ({
  suite: SUITE,
  rows: [
    {
      suite: SUITE,
      name: 'chain ADD p99 (macvlan + spiderpool)',
      value: Number.NaN,
      unit: 'ms',
      note: `skipped: ${why}`,
    },
  ],
});

export const run = async (): Promise<SuiteResult> => {
  const why =
    probeTopology() ??
    (existsSync(join(PLUGINS, 'macvlan')) ? undefined : `${PLUGINS}/macvlan not installed`);
  if (why !== undefined) return skipped(why);
  const topo = createTopology({ nodes: [['master-11', '10.20.1.11/16']], vfCount: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'spts-bench-chain-'));
  try {
    const store = createMemoryStore({ now: () => new Date() });
    const settings = DEFAULT_CLUSTER_SETTINGS;
    const pool = defaultIPPool(
      {
        apiVersion: SPIDERPOOL_GROUP_VERSION,
        kind: 'SpiderIPPool',
        metadata: { name: 'ippool-test' },
        spec: {
          default: true,
          ips: ['10.20.168.190-10.20.168.199'],
          subnet: '10.20.0.0/16',
          gateway: '10.20.0.1',
        },
      },
      { settings, subnets: [] },
    );
    (await store.create(pool))._unsafeUnwrap();
    const smc = defaultMultusConfig(
      {
        apiVersion: SPIDERPOOL_GROUP_VERSION,
        kind: 'SpiderMultusConfig',
        metadata: { name: 'macvlan-test', namespace: 'kube-system' },
        spec: { cniType: 'macvlan', macvlan: { master: ['enp4s0f0np0'] }, enableCoordinator: false },
      },
      { apiserverDefaults: false },
    );
    const nad: NetworkAttachmentDefinition = generateNetAttachDef(smc)._unsafeUnwrap();
    const node = topo.nodes[0];
    if (node === undefined) return skipped('no node');
    const agent = (
      await startIpamAgent({ store, nodeName: node.name, socketPath: join(dir, 'a.sock') })
    )._unsafeUnwrap();
    const podNetns = topo.addPod('bench');
    const socket = (p: JsonObject): JsonObject =>
      typeof p.ipam === 'object' && p.ipam !== null && !Array.isArray(p.ipam)
        ? { ...p, ipam: { ...p.ipam, ipam_unix_socket_path: agent.socketPath } }
        : p;
    const add: number[] = [];
    const del: number[] = [];
    // The baseline is measured inside the same loop, so a busy machine weighs on both alike.
    const base: number[] = [];
    let failure: string | undefined;
    for (let i = 0; i < RUNS && failure === undefined; i++) {
      const pod = (
        await store.create<Pod>({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            namespace: 'default',
            name: `bench-${i}`,
            annotations: { 'v1.multus-cni.io/default-network': 'kube-system/macvlan-test' },
          },
          spec: { nodeName: node.name },
        })
      )._unsafeUnwrap();
      const req = {
        pod,
        nads: [nad],
        containerId: `ctr-bench-${i}`,
        netns: netnsPath(podNetns),
        cniPath: `${NODE_BIN}:${PLUGINS}`,
        cacheDir: dir,
        hostNetns: node.netns,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
        patchPlugin: socket,
      };
      const tb = performance.now();
      spawnSync(process.execPath, ['-e', '0'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
      base.push(performance.now() - tb);
      const t0 = performance.now();
      const a = await attachPod({ ...req, command: 'ADD' });
      add.push(performance.now() - t0);
      if (a.isErr()) failure = a.error.message;
      (await store.delete({ kind: 'Pod', namespace: 'default', name: pod.metadata.name }))._unsafeUnwrap();
      const t1 = performance.now();
      const d = await attachPod({ ...req, command: 'DEL' });
      del.push(performance.now() - t1);
      if (d.isErr()) failure = d.error.message;
    }
    await agent.close();
    if (failure !== undefined) return skipped(`chain failed: ${failure}`);
    const baseP50 = quantile(base, 0.5);
    const row = (name: string, xs: number[], q: number, target?: [string, number]): BenchRow => {
      const value = quantile(xs, q);
      return {
        suite: SUITE,
        name,
        value,
        unit: 'ms',
        ratio: value / baseP50,
        baseline: 'node -e 0 p50',
        ...(target ? { target: target[0], met: value <= target[1] } : {}),
      };
    };
    return {
      suite: SUITE,
      rows: [
        row('node -e 0 start (baseline)', base, 0.5),
        row('chain ADD p50 (macvlan + spiderpool)', add, 0.5),
        row('chain ADD p99 (macvlan + spiderpool)', add, 0.99, ['<= 500 ms', 500]),
        row('chain DEL p50', del, 0.5),
        row('chain DEL p99', del, 0.99),
      ],
    };
  } finally {
    topo.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
};
