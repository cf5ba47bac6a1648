// Informers suite: the allocation storm through KubernetesStore + the API-server emulator over real HTTP,
// once with every agent reading from informer caches (core's createEngineStore: pools, reserved IPs,
// endpoints, Namespaces, Nodes, Pods) and once without (the baseline: every ADD GETs and LISTs what it
// needs). Requests are counted at the emulator; watch streams are counted apart. Default 200 Pods over 4
// agents (one pool, shared: the contended case); `--large`: 1000 Pods over 10 agents.
import {
  type CachedStore,
  createEngineStore,
  createIpamEngine,
  type IpamEngine,
  type Pod,
  type SpiderEndpoint,
  type SpiderIPPool,
  type Store,
} from '@spiderpool-ts/core';
import { createKubernetesStore, createNodeInformerSet } from '@spiderpool-ts/k8s';
import { type ApiServerEmulator, startApiServerEmulator } from '@spiderpool-ts/k8s/testing';
import type { BenchRow, SuiteResult } from '../report.ts';
import { seeded } from '../seeded.ts';

const SUITE = 'informers';
const LARGE = process.argv.includes('--large');
const PODS = LARGE ? 1000 : 200;
const AGENTS = LARGE ? 10 : 4;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;

interface StormResult {
  seconds: number;
  p50: number;
  p99: number;
  requests: number;
  watches: number;
  startRequests: number;
  conflicts: number;
  failures: number;
  duplicates: number;
}

const seed = async (emu: ApiServerEmulator): Promise<{ name: string; agent: number }[]> => {
  const pool: SpiderIPPool = {
    apiVersion: 'spiderpool.spidernet.io/v2beta1',
    kind: 'SpiderIPPool',
    metadata: { name: 'storm' },
    spec: { subnet: '10.40.0.0/16', ips: ['10.40.0.1-10.40.7.255'], gateway: '10.40.255.254', default: true },
  };
  (await emu.store.create(pool))._unsafeUnwrap();
  (
    await emu.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'storm' } })
  )._unsafeUnwrap();
  const pods: { name: string; agent: number }[] = [];
  for (let i = 0; i < PODS; i++) {
    const agent = i % AGENTS;
    const name = `storm-${i}`;
    const p: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { namespace: 'storm', name },
      spec: { nodeName: `node-${agent}` },
      status: { phase: 'Running' },
    };
    (await emu.store.create(p))._unsafeUnwrap();
    pods.push({ name, agent });
  }
  for (let a = 0; a < AGENTS; a++)
    (
      await emu.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${a}` } })
    )._unsafeUnwrap();
  return pods;
};

const storm = async (cached: boolean): Promise<StormResult> => {
  const emu = await startApiServerEmulator({ historyLimit: 100_000 });
  const pods = await seed(emu);
  const random = seeded(cached ? 7 : 8);
  const stops: (() => void)[] = [];
  const stores: Store[] = [];
  const caches: CachedStore[] = [];
  const before = emu.requests.length;
  for (let a = 0; a < AGENTS; a++) {
    const ks = createKubernetesStore({ kubeConfig: emu.kubeConfig() })._unsafeUnwrap();
    if (!cached) {
      stores.push(ks);
      continue;
    }
    const informers = createNodeInformerSet(ks);
    const store = createEngineStore(ks, informers);
    (await informers.start())._unsafeUnwrap();
    stops.push(() => informers.stop());
    stores.push(store);
    caches.push(store);
  }
  const startRequests = emu.requests.length - before;
  const engines: IpamEngine[] = stores.map((store, a) =>
    createIpamEngine({ store, nodeName: `node-${a}`, sleep, random }),
  );
  const from = emu.requests.length;
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    pods.map(async (p) => {
      const t0 = performance.now();
      const r = await (engines[p.agent] as IpamEngine).allocate({
        podNamespace: 'storm',
        podName: p.name,
        containerID: p.name,
        ifName: 'eth0',
        ipamConfig: {},
      });
      latencies.push(performance.now() - t0);
      if (r.isErr()) failures++;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const during = emu.requests.slice(from);
  const watches = during.filter((r) => r.includes('watch=')).length;
  const eps = (await emu.store.list<SpiderEndpoint>('SpiderEndpoint'))._unsafeUnwrap().items;
  const ips = eps.flatMap((e) => e.status.current.ips.map((d) => d.ipv4 ?? ''));
  const conflicts = engines.reduce((n, e) => n + e.stats().writer.conflicts, 0);
  for (const e of engines) e.dispose();
  for (const s of stops) s();
  await emu.close();
  latencies.sort((a, b) => a - b);
  return {
    seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requests: during.length - watches,
    watches,
    startRequests,
    conflicts,
    failures: failures + (PODS - eps.length),
    duplicates: ips.length - new Set(ips).size,
  };
};

const rows = (label: string, r: StormResult, base?: StormResult): BenchRow[] => {
  const perAlloc = r.requests / PODS;
  const out: BenchRow[] = [
    {
      suite: SUITE,
      name: `${label}: allocations/s (${PODS} Pods, ${AGENTS} agents, HTTP)`,
      value: PODS / r.seconds,
      unit: 'alloc/s',
      ...(base ? { ratio: base.seconds / r.seconds, baseline: 'without informers' } : {}),
      note: `${r.failures} failed, ${r.duplicates} duplicate IPs`,
    },
    {
      suite: SUITE,
      name: `${label}: API requests per allocation (watches apart)`,
      value: perAlloc,
      unit: 'req/alloc',
      ...(base ? { target: '<= 3', met: perAlloc <= 3 } : {}),
      ...(base ? { ratio: base.requests / Math.max(1, r.requests), baseline: 'without informers' } : {}),
      note: `${r.watches} watch requests during the storm, ${r.startRequests} at start`,
    },
    {
      suite: SUITE,
      name: `${label}: conflicts per allocation`,
      value: r.conflicts / PODS,
      unit: 'conflicts/alloc',
    },
    { suite: SUITE, name: `${label}: p50 per allocation`, value: r.p50, unit: 'ms' },
    { suite: SUITE, name: `${label}: p99 per allocation`, value: r.p99, unit: 'ms' },
  ];
  return out;
};

export const run = async (): Promise<SuiteResult> => {
  console.log(`  without informers: ${PODS} Pods, ${AGENTS} agents`);
  const without = await storm(false);
  console.log(`  with informers`);
  const withInformers = await storm(true);
  for (const r of [without, withInformers]) {
    if (r.failures > 0 || r.duplicates > 0)
      throw new Error(`storm failed: ${r.failures} failures, ${r.duplicates} duplicates`);
  }
  return {
    suite: SUITE,
    rows: [
      ...rows('without informers (LIST per ADD)', without),
      ...rows('with informers', withInformers, without),
    ],
  };
};
