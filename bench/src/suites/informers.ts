// Informers suite: the allocation storm through KubernetesStore + the API-server emulator over real HTTP,
// once with every agent reading from informer caches (core's createEngineStore: pools, reserved IPs,
// Namespaces, Nodes, Pods; SpiderEndpoints by GET, ADR 0034) and once without (the baseline: every ADD GETs and LISTs what it
// needs). Requests are counted at the emulator; watch streams are counted apart. Default 200 Pods over 4
// agents (one pool, shared: the contended case), each agent with at most 16 ADDs in flight (a kubelet
// starting Pods); `--large`: 1000 Pods over 10 agents. World, kubelets and agents are the http-storm
// suite's (bench/src/storm/).
import type { SpiderEndpoint } from '@spiderpool-ts/core';
import { type ApiServerEmulator, startApiServerEmulator } from '@spiderpool-ts/k8s/testing';
import type { BenchRow, SuiteResult } from '../report.ts';
import { seeded } from '../seeded.ts';
import { driveStorm, percentile } from '../storm/driver.ts';
import { type EngineAgent, startEngineAgent } from '../storm/engineAgent.ts';
import { nodeName, seedWorld } from '../storm/world.ts';

const SUITE = 'informers';
const LARGE = process.argv.includes('--large');
const PODS = LARGE ? 1000 : 200;
const AGENTS = LARGE ? 10 : 4;
/** ADDs in flight per agent. */
const NODE_PARALLEL = 16;
/** Times a failed ADD is run again (kubelet retries a failed sandbox setup). */
const KUBELET_RETRIES = 10;

interface StormResult {
  seconds: number;
  p50: number;
  p99: number;
  requests: number;
  watches: number;
  startRequests: number;
  conflicts: number;
  kubeletRetries: number;
  failures: number;
  duplicates: number;
}

/** The storm with the emulator in this process (the http-storm suite runs it in its own). */
const storm = async (cached: boolean): Promise<StormResult> => {
  const emu: ApiServerEmulator = await startApiServerEmulator({ historyLimit: 100_000 });
  const pods = await seedWorld(emu.store, { pods: PODS, agents: AGENTS });
  const before = emu.requests.length;
  const agents: EngineAgent[] = [];
  for (let a = 0; a < AGENTS; a++)
    agents.push(
      await startEngineAgent({
        kubeConfig: emu.kubeConfig(),
        nodeName: nodeName(a),
        informers: cached,
        random: seeded((cached ? 7 : 8) + a),
      }),
    );
  const startRequests = emu.requests.length - before;
  const from = emu.requests.length;
  const drive = await driveStorm(agents, pods, { parallel: NODE_PARALLEL, kubeletRetries: KUBELET_RETRIES });
  if (drive.failures > 0)
    console.log(`  failures: ${JSON.stringify(drive.reasons)}; first: ${drive.firstFailure}`);
  const during = emu.requests.slice(from);
  const watches = during.filter((r) => r.includes('watch=')).length;
  const eps = (await emu.store.list<SpiderEndpoint>('SpiderEndpoint'))._unsafeUnwrap().items;
  const ips = eps.flatMap((e) => e.status.current.ips.map((d) => d.ipv4 ?? ''));
  const conflicts = agents.reduce((n, a) => n + a.engine.stats().writer.conflicts, 0);
  for (const a of agents) a.stop();
  await emu.close();
  return {
    seconds: drive.seconds,
    p50: percentile(drive.latencies, 50),
    p99: percentile(drive.latencies, 99),
    requests: during.length - watches,
    watches,
    startRequests,
    conflicts,
    kubeletRetries: drive.kubeletRetries,
    failures: Math.max(drive.failures, PODS - eps.length),
    duplicates: ips.length - new Set(ips).size,
  };
};

const rows = (label: string, r: StormResult, base?: StormResult): BenchRow[] => {
  const perAlloc = r.requests / PODS;
  const out: BenchRow[] = [
    {
      suite: SUITE,
      name: `${label}: allocations/s (${PODS} Pods, ${AGENTS} agents x ${NODE_PARALLEL} in flight, HTTP)`,
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
