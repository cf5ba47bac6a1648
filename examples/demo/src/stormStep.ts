// Beyond the walkthrough: Spiderpool's scale scenario shape (Deployments x replicas, several agents, one
// pool) on the same engine, with progress, to show what the bitmap allocator and batched writes buy.
import { createIpamEngine, type IpamEngine, type SpiderIPPool } from '@spiderpool-ts/core';
import type { Cluster } from './cluster.ts';
import { deploymentPod, namespace, node, spiderPool } from './manifests.ts';
import type { Printer } from './printer.ts';

export interface StormOptions {
  deployments: number;
  replicas: number;
  agents: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const stormStep = async (p: Printer, cluster: Cluster, o: StormOptions): Promise<boolean> => {
  const total = o.deployments * o.replicas;
  p.step(
    `scale: ${o.deployments} Deployments x ${o.replicas} replicas = ${total} Pods, ${o.agents} agents, one /16 pool`,
  );
  const denied = await cluster.applyPool(
    spiderPool('storm-pool', {
      subnet: '10.30.0.0/16',
      ips: ['10.30.0.10-10.30.255.250'],
      gateway: '10.30.0.1',
      default: false,
    }),
  );
  if (denied !== undefined) return p.fail(denied);
  const nodes = Array.from({ length: o.agents }, (_, i) => `storm-node-${i}`);
  await cluster.ensure(namespace('storm'));
  for (const n of nodes) await cluster.ensure(node(n));
  const agents: IpamEngine[] = nodes.map((n) =>
    createIpamEngine({ store: cluster.store, nodeName: n, sleep, random: Math.random }),
  );
  const annotations = { 'ipam.spidernet.io/ippool': JSON.stringify({ ipv4: ['storm-pool'] }) };
  const pods = [];
  const step = Math.max(1, Math.floor(total / 4));
  const creating = performance.now();
  for (let d = 0; d < o.deployments; d++) {
    const rs = { name: `storm-${d}-5f6d7c8b9`, uid: `storm-rs-${d}`, hash: '5f6d7c8b9' };
    for (let r = 0; r < o.replicas; r++) {
      const nodeName = nodes[(d * o.replicas + r) % nodes.length] ?? '';
      pods.push(
        await cluster.create(
          deploymentPod('storm', rs, `r${r}`, { nodeName, annotations, labels: { app: `storm-${d}` } }),
        ),
      );
      if (cluster.remote && pods.length % step === 0)
        p.info(
          `progress: ${pods.length}/${total} Pods created (${(performance.now() - creating).toFixed(0)} ms)`,
        );
    }
  }
  const started = performance.now();
  let done = 0;
  let failed = 0;
  const seen = new Set<string>();
  await Promise.all(
    pods.map(async (pod, i) => {
      const agent = agents[i % agents.length];
      const r = await agent?.allocate({
        podNamespace: 'storm',
        podName: pod.metadata.name,
        containerID: `c-${pod.metadata.name}`,
        ifName: 'eth0',
        ipamConfig: {},
      });
      if (r?.isOk()) seen.add(r.value.ips[0]?.address ?? '');
      else failed++;
      if (++done % step === 0)
        p.info(
          `progress: ${done}/${total} CNI ADDs answered (${(performance.now() - started).toFixed(0)} ms)`,
        );
    }),
  );
  const ms = performance.now() - started;
  const stats = agents.map((a) => a.stats().writer);
  const writes = stats.reduce((s, x) => s + x.writes, 0);
  const conflicts = stats.reduce((s, x) => s + x.conflicts, 0);
  for (const a of agents) a.dispose();
  const pool = await cluster.store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'storm-pool' });
  const recorded = pool.isOk() ? pool.value.status?.allocatedIPCount : undefined;
  p.table(
    [
      'PODS',
      'FAILED',
      'DISTINCT IPS',
      'POOL RECORDS',
      'TIME',
      'PODS/S',
      'STATUS WRITES',
      'ALLOCS/WRITE',
      'CONFLICTS',
    ],
    [
      [
        String(total),
        String(failed),
        String(seen.size),
        String(recorded),
        `${ms.toFixed(0)} ms`,
        (total / (ms / 1000)).toFixed(0),
        String(writes),
        (total / Math.max(1, writes)).toFixed(1),
        String(conflicts),
      ],
    ],
  );
  if (failed > 0 || seen.size !== total || recorded !== total)
    return p.fail('storm: missing or duplicate IPs');
  p.ok(`${total} Pods, ${total} distinct IPs, no duplicates; IPAM time only, on ${cluster.label}`);
  return true;
};
