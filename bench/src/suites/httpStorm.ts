// HTTP storm suite (issue 13): the allocation storm through KubernetesStore against the API-server emulator
// running in a SEPARATE process (storm/emulatorProcess.ts), engine vs a Spiderpool-style baseline in the
// same run, each side on a fresh emulator with the same world (storm/world.ts: 2047-address default pools,
// enough for the Pods + 10 %).
// - engine: each agent has its own KubernetesStore and runs the engine on the cached store of
//   createEngineStore over the node informer set (pools, endpoints, Pods, ... from watches), as
//   bin/spiderpool-agent does; informer start-up (LIST + WATCH) is counted apart from the storm.
// - baseline: storm/spiderpoolStyleAgent.ts, per ADD: GET Pod, LIST pools, GET the pool, parse the whole
//   status, lowest free IP, re-encode, CAS write (5 attempts), create the SpiderEndpoint.
// Each agent gets at most 16 ADDs in flight (a kubelet starting Pods); an ADD that failed retryably is run
// again up to 10 times (kubelet's retry, counted). Requests and bytes are counted on the emulator's sockets
// (request + response bytes with headers; watch event bytes reported apart). Duplicates and failures are
// checked in the emulator's store afterwards: endpoint IPs unique, each recorded in its pool for its Pod.
// Cases: 1000 Pods / 10 agents, 10,000 Pods / 50 agents, and 1000 Pods / 10 agents with the emulator on a
// real etcd (skipped when etcd-server is missing; under CI=true that fails). The baseline allocates only the
// first HTTP_STORM_BASELINE_1K / _10K / _ETCD Pods (defaults 1000 / 300 / 200, spread over all agents; the
// full 1000 take 45 s on a quiet machine here and 4 minutes at load 20, so lower _1K then): rates are
// compared. A sample starts on pools pre-filled (records of Pods outside the storm, world.ts prefillPools)
// so that it runs around the engine's mean fill: on empty pools a baseline whose per-ADD cost grows with the
// records it parses would be timed at its cheapest (300 Pods on empty pools ran 6x faster than the
// baseline's average). See bench/README.md.
// HTTP_STORM_QUICK=1: 200 Pods / 4 agents, in memory and on etcd; HTTP_STORM_CASES=1k,10k,etcd picks cases; HTTP_STORM_PROF=<dir> writes --cpu-prof
// profiles of the emulator child there; HTTP_STORM_ONLY=engine|baseline runs one side (no ratios).
import { existsSync } from 'node:fs';
import { createKubernetesStore } from '@spiderpool-ts/k8s';
import { ETCD_BINARY } from '@spiderpool-ts/k8s/testing';
import type { BenchRow, SuiteResult } from '../report.ts';
import { seeded } from '../seeded.ts';
import { type DriveResult, driveStorm, percentile, type StormAgent } from '../storm/driver.ts';
import {
  type EmulatorChild,
  type StormCheck,
  type StormCounters,
  spawnEmulator,
} from '../storm/emulatorChild.ts';
import { type EngineAgent, startEngineAgent } from '../storm/engineAgent.ts';
import { createSpiderpoolStyleAgent, type SpiderpoolStyleCounters } from '../storm/spiderpoolStyleAgent.ts';
import { nodeName, poolCount, STORM_NAMESPACE, stormPods, type WorldSpec } from '../storm/world.ts';

const SUITE = 'http-storm';
const QUICK = process.env.HTTP_STORM_QUICK === '1';
const NODE_PARALLEL = 16;
const KUBELET_RETRIES = 10;
const PROF = process.env.HTTP_STORM_PROF;
/** HTTP_STORM_ONLY=engine|baseline: run one side (for profiling), without ratios. */
const ONLY = process.env.HTTP_STORM_ONLY;

/** Baseline sample size from the environment (a positive integer), else `fallback`. */
const sample = (name: string, fallback: number): number => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};

interface StormCase {
  key: '1k' | '10k' | 'etcd';
  label: string;
  world: WorldSpec;
  /** Pods the baseline allocates (the first ones, spread over all agents). */
  baselinePods: number;
  etcd: boolean;
}

const CASES: StormCase[] = QUICK
  ? [
      {
        key: '1k',
        label: '200 Pods / 4 agents',
        world: { pods: 200, agents: 4 },
        baselinePods: 200,
        etcd: false,
      },
      {
        key: 'etcd',
        label: '200 Pods / 4 agents, emulator on etcd',
        world: { pods: 200, agents: 4 },
        baselinePods: 200,
        etcd: true,
      },
    ]
  : [
      {
        key: '1k',
        label: '1000 Pods / 10 agents',
        world: { pods: 1000, agents: 10 },
        baselinePods: sample('HTTP_STORM_BASELINE_1K', 1000),
        etcd: false,
      },
      {
        key: '10k',
        label: '10,000 Pods / 50 agents',
        world: { pods: 10_000, agents: 50 },
        baselinePods: sample('HTTP_STORM_BASELINE_10K', 300),
        etcd: false,
      },
      {
        key: 'etcd',
        label: '1000 Pods / 10 agents, emulator on etcd',
        world: { pods: 1000, agents: 10 },
        baselinePods: sample('HTTP_STORM_BASELINE_ETCD', 200),
        etcd: true,
      },
    ];

/**
 * Records per pool the baseline's sample starts on: the engine fills every pool from 0 to pods / pools, so a
 * sample of n Pods centred on the mean fill starts at (pods - n) / 2 / pools (0 when the baseline runs all).
 */
const baselinePrefill = (c: StormCase): number =>
  Math.max(0, Math.floor((c.world.pods - c.baselinePods) / 2 / poolCount(c.world)));

interface SideResult {
  pods: number;
  drive: DriveResult;
  storm: StormCounters;
  start: StormCounters;
  conflicts: number;
  writes: number;
  check: StormCheck;
  /** CPU of this process (all agents) during the storm, ms. */
  agentsCpuMs: number;
}

const minus = (a: StormCounters, b: StormCounters): StormCounters => ({
  requests: a.requests - b.requests,
  watches: a.watches - b.watches,
  bytesIn: a.bytesIn - b.bytesIn,
  bytesOut: a.bytesOut - b.bytesOut,
  watchBytesOut: a.watchBytesOut - b.watchBytesOut,
  cpuMs: a.cpuMs - b.cpuMs,
});

const runSide = async (c: StormCase, engine: boolean): Promise<SideResult> => {
  const side = engine ? 'engine' : 'baseline';
  const emu: EmulatorChild = await spawnEmulator({
    etcd: c.etcd,
    ...(PROF ? { cpuProf: `${PROF}/${c.key}-${side}` } : {}),
  });
  const agents: EngineAgent[] = [];
  try {
    await emu.seed(c.world);
    const pods = stormPods(c.world).slice(0, engine ? c.world.pods : c.baselinePods);
    // A baseline sample runs at the engine's mean fill: its per-ADD cost grows with the records it parses.
    const prefill = engine ? 0 : baselinePrefill(c);
    if (prefill > 0) await emu.prefill(c.world, prefill);
    const c0 = await emu.counters();
    const counters: SpiderpoolStyleCounters = { writes: 0, conflicts: 0 };
    const storm: StormAgent[] = [];
    for (let a = 0; a < c.world.agents; a++) {
      if (engine) {
        const agent = await startEngineAgent({
          kubeConfig: emu.kubeConfig(),
          nodeName: nodeName(a),
          informers: true,
          random: seeded(a + 1),
        });
        agents.push(agent);
        storm.push(agent);
      } else {
        const store = createKubernetesStore({ kubeConfig: emu.kubeConfig() })._unsafeUnwrap();
        storm.push(
          createSpiderpoolStyleAgent({
            store,
            nodeName: nodeName(a),
            namespace: STORM_NAMESPACE,
            random: seeded(a + 101),
            sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
            counters,
          }),
        );
      }
    }
    const c1 = await emu.counters();
    const cpu0 = process.cpuUsage();
    console.log(`  [${c.label}] ${side}: ${pods.length} Pods...`);
    const drive = await driveStorm(storm, pods, {
      parallel: NODE_PARALLEL,
      kubeletRetries: KUBELET_RETRIES,
      progress: (done) => console.log(`    ${side}: ${done}/${pods.length}`),
      progressEvery: Math.max(250, Math.floor(pods.length / 4)),
    });
    const cpu1 = process.cpuUsage(cpu0);
    const c2 = await emu.counters();
    if (drive.failures > 0)
      console.log(`    failures: ${JSON.stringify(drive.reasons)}; first: ${drive.firstFailure ?? ''}`);
    const stats = agents.map((a) => a.engine.stats().writer);
    const check = await emu.check();
    return {
      pods: pods.length,
      drive,
      storm: minus(c2, c1),
      start: minus(c1, c0),
      conflicts: engine ? stats.reduce((n, s) => n + s.conflicts, 0) : counters.conflicts,
      writes: engine ? stats.reduce((n, s) => n + s.writes, 0) : counters.writes,
      check,
      agentsCpuMs: (cpu1.user + cpu1.system) / 1000,
    };
  } finally {
    for (const a of agents) a.stop();
    await emu.close();
  }
};

const rate = (r: SideResult): number => r.pods / r.drive.seconds;
const failedAdds = (r: SideResult): number => Math.max(r.drive.failures, r.pods - r.check.endpoints);
const badIPs = (r: SideResult): number => r.check.duplicates + r.check.unrecorded;

const sideRows = (c: StormCase, label: string, r: SideResult, base?: SideResult): BenchRow[] => {
  const n = r.pods;
  const name = (what: string): string => `${c.label}, ${label}: ${what}`;
  const vs = (ours: number, theirs: number | undefined): Partial<BenchRow> =>
    base && theirs !== undefined
      ? { ratio: theirs / Math.max(ours, 1e-9), baseline: `${c.label}, baseline` }
      : {};
  const bytes = (x: SideResult): number =>
    (x.storm.bytesIn + x.storm.bytesOut - x.storm.watchBytesOut) / x.pods;
  const rows: BenchRow[] = [
    {
      suite: SUITE,
      name: name(`allocations/s (${n} Pods, ${c.world.agents} agents x ${NODE_PARALLEL} in flight)`),
      value: rate(r),
      unit: 'alloc/s',
      ...(base
        ? {
            target: '>= 10x baseline, 0 failed, 0 duplicates',
            met: rate(r) >= 10 * rate(base) && failedAdds(r) === 0 && badIPs(r) === 0,
            ratio: rate(r) / rate(base),
            baseline: `${c.label}, baseline`,
          }
        : {}),
      note: `${r.drive.seconds.toFixed(2)} s wall (this machine), ${failedAdds(r)} failed ADDs, ${r.check.duplicates} duplicate IPs, ${r.check.unrecorded} IPs without their pool record, ${r.drive.kubeletRetries} kubelet retries, ${r.writes} status writes (${(n / Math.max(1, r.writes)).toFixed(1)} allocations each)`,
    },
    { suite: SUITE, name: name('wall time'), value: r.drive.seconds * 1e9, unit: 'ns' },
    {
      suite: SUITE,
      name: name('HTTP requests per allocation (watches apart)'),
      value: r.storm.requests / n,
      unit: 'req/alloc',
      ...vs(r.storm.requests / n, base ? base.storm.requests / base.pods : undefined),
      note: `${r.storm.requests} requests, ${r.storm.watches} watch (re)connects in the storm; start-up: ${r.start.requests} requests + ${r.start.watches} watches, ${(r.start.bytesIn + r.start.bytesOut) / 1024 ** 2 > 0.01 ? ((r.start.bytesIn + r.start.bytesOut) / 1024 ** 2).toFixed(2) : '0'} MiB`,
    },
    {
      suite: SUITE,
      name: name('request + response bytes per allocation (watch events apart)'),
      value: bytes(r),
      unit: 'B/alloc',
      ...vs(bytes(r), base ? bytes(base) : undefined),
      note: `in ${(r.storm.bytesIn / n).toFixed(0)} B, out ${((r.storm.bytesOut - r.storm.watchBytesOut) / n).toFixed(0)} B per allocation; largest pool object ${(r.check.largestPoolBytes / 1024).toFixed(0)} KiB`,
    },
    {
      suite: SUITE,
      name: name('watch event bytes per allocation (all agents)'),
      value: r.storm.watchBytesOut / n,
      unit: 'B/alloc',
    },
    {
      suite: SUITE,
      name: name('CPU per allocation: agents (one process) + emulator'),
      value: ((r.agentsCpuMs + r.storm.cpuMs) / n) * 1e6,
      unit: 'ns',
      ...vs(
        r.agentsCpuMs + r.storm.cpuMs,
        base ? ((base.agentsCpuMs + base.storm.cpuMs) / base.pods) * n : undefined,
      ),
      note: `agents ${(r.agentsCpuMs / n).toFixed(2)} ms, emulator ${(r.storm.cpuMs / n).toFixed(2)} ms per allocation (this machine)`,
    },
    { suite: SUITE, name: name('conflicts per allocation'), value: r.conflicts / n, unit: 'conflicts/alloc' },
    {
      suite: SUITE,
      name: name('p50 ADD latency'),
      value: percentile(r.drive.latencies, 50),
      unit: 'ms',
      ...vs(percentile(r.drive.latencies, 50), base ? percentile(base.drive.latencies, 50) : undefined),
    },
    {
      suite: SUITE,
      name: name('p99 ADD latency'),
      value: percentile(r.drive.latencies, 99),
      unit: 'ms',
      ...vs(percentile(r.drive.latencies, 99), base ? percentile(base.drive.latencies, 99) : undefined),
    },
    {
      suite: SUITE,
      name: name('failed ADDs + duplicate IPs'),
      value: failedAdds(r) + badIPs(r),
      unit: 'count',
      target: '0',
      met: failedAdds(r) + badIPs(r) === 0,
    },
  ];
  return rows;
};

const runCases = async (suite: string, defaults: string): Promise<SuiteResult> => {
  const wanted = (process.env.HTTP_STORM_CASES ?? defaults).split(',');
  const rows: BenchRow[] = [];
  for (const c of CASES) {
    if (!wanted.includes(c.key)) continue;
    if (c.etcd && !existsSync(ETCD_BINARY)) {
      if (process.env.CI === 'true') throw new Error(`${SUITE}: ${ETCD_BINARY} missing under CI=true`);
      console.log(`  [${c.label}] skipped: ${ETCD_BINARY} missing (apt-get install etcd-server)`);
      continue;
    }
    if (ONLY === 'engine' || ONLY === 'baseline') {
      // Profiling iterations: one side only, no ratios.
      const r = await runSide(c, ONLY === 'engine');
      rows.push(...sideRows(c, ONLY, r));
      continue;
    }
    const base = await runSide(c, false);
    const eng = await runSide(c, true);
    rows.push(...sideRows(c, 'engine (informers, cached store)', eng, base));
    rows.push(
      ...sideRows(
        c,
        base.pods < c.world.pods
          ? `Spiderpool-style baseline (${base.pods} Pods sampled at the mean fill, ${baselinePrefill(c)} records per pool)`
          : 'Spiderpool-style baseline',
        base,
      ),
    );
  }
  return { suite, rows: rows.map((r) => ({ ...r, suite })) };
};

/** `pnpm bench http-storm`: 1000 Pods / 10 agents, in memory and on etcd (~6 minutes here). */
export const run = (): Promise<SuiteResult> => runCases(SUITE, '1k,etcd');

/** `pnpm bench http-storm-10k`: 10,000 Pods / 50 agents (the long one: run it a few times only). */
export const run10k = (): Promise<SuiteResult> => runCases(`${SUITE}-10k`, '10k');
