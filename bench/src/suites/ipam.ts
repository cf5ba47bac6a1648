// IPAM suite: Spiderpool's own storm on the MemoryStore (docs/concepts/ipam-performance.md): 100 Deployments x
// 10 replicas = 1000 Pods, 10 agents (engines), one pool of exactly 1000 IPs. Time until all are allocated,
// p50/p99 per allocation, conflicts, retries, allocations per pool write, duplicates (must be 0). In the same
// run, the same storm with a baseline doing what Spiderpool does per allocation: GET the pool, re-parse the
// allocatedIPs JSON into a Set of strings, walk spec.ips from the start, write one record per status update,
// requests of one agent serialised per pool (its ticket queue). Both sides create the same SpiderEndpoints.
import {
  backoffDelay,
  createIpamEngine,
  createMemoryStore,
  DEFAULT_RETRY_POLICY,
  encodeAllocatedIPs,
  formatIPValue,
  type IpamEngine,
  type MemoryStore,
  type Pod,
  PoolAllocator,
  parseIPRanges,
  type SpiderEndpoint,
  type SpiderIPPool,
} from '@spiderpool-ts/core';
import { Bench } from 'tinybench';
import { type BenchRow, type SuiteResult, taskStats } from '../report.ts';
import { seeded } from '../seeded.ts';

const SUITE = 'ipam';
const DEPLOYMENTS = 100;
const REPLICAS = 10;
const AGENTS = 10;
const PODS = DEPLOYMENTS * REPLICAS;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface World {
  store: MemoryStore;
  pods: { namespace: string; name: string; agent: number }[];
}

/** `latencyMs` > 0: every write waits that long before its atomic check (an API server round trip). */
const world = async (latencyMs: number): Promise<World> => {
  const store = createMemoryStore({
    now: () => new Date(0),
    historyLimit: 256,
    ...(latencyMs > 0 ? { beforeWrite: () => sleep(latencyMs).then(() => undefined) } : {}),
  });
  const pool: SpiderIPPool = {
    apiVersion: 'spiderpool.spidernet.io/v2beta1',
    kind: 'SpiderIPPool',
    metadata: { name: 'storm' },
    // 10.20.0.1 .. 10.20.3.232: exactly 1000 addresses.
    spec: { subnet: '10.20.0.0/16', ips: ['10.20.0.1-10.20.3.232'], gateway: '10.20.255.254', default: true },
  };
  (await store.create(pool))._unsafeUnwrap();
  const pods: World['pods'] = [];
  for (let d = 0; d < DEPLOYMENTS; d++) {
    for (let r = 0; r < REPLICAS; r++) {
      const name = `deploy-${d}-6b7c8d9f-${r.toString(36).padStart(5, 'x')}`;
      const p: Pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          namespace: 'default',
          name,
          labels: { 'pod-template-hash': '6b7c8d9f' },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: `deploy-${d}-6b7c8d9f`,
              uid: `rs-${d}`,
              controller: true,
            },
          ],
        },
        spec: { nodeName: `node-${pods.length % AGENTS}` },
      };
      (await store.create(p))._unsafeUnwrap();
      pods.push({ namespace: 'default', name, agent: pods.length % AGENTS });
    }
  }
  return { store, pods };
};

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;

interface StormResult {
  seconds: number;
  p50: number;
  p99: number;
  conflicts: number;
  retries: number;
  writes: number;
  failures: number;
  duplicates: number;
}

const checkDuplicates = async (store: MemoryStore): Promise<{ duplicates: number; endpoints: number }> => {
  const eps = (await store.list<SpiderEndpoint>('SpiderEndpoint'))._unsafeUnwrap().items;
  const ips = eps.flatMap((e) => e.status.current.ips.map((d) => d.ipv4 ?? ''));
  return { duplicates: ips.length - new Set(ips).size, endpoints: eps.length };
};

const progress = (label: string, done: number): void => {
  if (done % 250 === 0) console.log(`  ${label}: ${done}/${PODS}`);
};

const engineStorm = async (latencyMs: number, maxBatch?: number): Promise<StormResult> => {
  const w = await world(latencyMs);
  const engines: IpamEngine[] = Array.from({ length: AGENTS }, (_, i) =>
    createIpamEngine({
      store: w.store,
      nodeName: `node-${i}`,
      sleep,
      random: seeded(i + 1),
      ...(maxBatch === undefined ? {} : { maxBatch }),
    }),
  );
  const latencies: number[] = [];
  let failures = 0;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    w.pods.map(async (p) => {
      const t0 = performance.now();
      const r = await (engines[p.agent] as IpamEngine).allocate({
        podNamespace: p.namespace,
        podName: p.name,
        containerID: p.name,
        ifName: 'eth0',
        ipamConfig: {},
      });
      latencies.push(performance.now() - t0);
      if (r.isErr()) failures++;
      progress('engine', ++done);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const stats = engines.map((e) => e.stats().writer);
  const { duplicates } = await checkDuplicates(w.store);
  for (const e of engines) e.dispose();
  latencies.sort((a, b) => a - b);
  return {
    seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    conflicts: stats.reduce((s, x) => s + x.conflicts, 0),
    retries: stats.reduce((s, x) => s + x.retries, 0),
    writes: stats.reduce((s, x) => s + x.writes, 0),
    failures,
    duplicates,
  };
};

/** Spiderpool's per-allocation work: fresh GET, JSON re-parse into a Set, range walk from the start, 1 write. */
const baselineAllocateIP = async (
  store: MemoryStore,
  pod: string,
  podUid: string,
  random: () => number,
  counters: { conflicts: number; retries: number; writes: number },
): Promise<string | undefined> => {
  for (let attempt = 1; attempt <= DEFAULT_RETRY_POLICY.attempts; attempt++) {
    const pool = (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'storm' }))._unsafeUnwrap();
    const parsed = JSON.parse(pool.status?.allocatedIPs ?? '{}') as Record<
      string,
      { pod: string; podUid: string }
    >;
    const used = new Set(Object.keys(parsed));
    const ranges = parseIPRanges(4, pool.spec.ips ?? [])._unsafeUnwrap();
    let ip: string | undefined;
    for (const iv of ranges.intervals) {
      for (let v = iv.start; v <= iv.end && ip === undefined; v++) {
        const text = formatIPValue(4, v);
        if (!used.has(text)) ip = text;
      }
      if (ip !== undefined) break;
    }
    if (ip === undefined) return undefined;
    parsed[ip] = { pod, podUid };
    const records = new Map(Object.entries(parsed));
    const next: SpiderIPPool = {
      ...pool,
      status: {
        ...pool.status,
        allocatedIPs: encodeAllocatedIPs(records) as string,
        allocatedIPCount: records.size,
      },
    };
    const w = await store.updateStatus(next);
    if (w.isOk()) {
      counters.writes++;
      return ip;
    }
    counters.conflicts++;
    if (attempt < DEFAULT_RETRY_POLICY.attempts) {
      counters.retries++;
      await sleep(backoffDelay(DEFAULT_RETRY_POLICY, attempt, random));
    }
  }
  return undefined;
};

const baselineStorm = async (latencyMs: number): Promise<StormResult> => {
  const w = await world(latencyMs);
  const counters = { conflicts: 0, retries: 0, writes: 0 };
  const latencies: number[] = [];
  let failures = 0;
  let done = 0;
  const queues: Promise<void>[] = Array.from({ length: AGENTS }, () => Promise.resolve());
  const started = performance.now();
  await Promise.all(
    w.pods.map((p) => {
      const t0 = performance.now();
      const random = seeded(done + 1000);
      // The agent's ticket queue: one request per pool at a time.
      const run = (queues[p.agent] as Promise<void>).then(async () => {
        const pod = (
          await w.store.get<Pod>({ kind: 'Pod', namespace: p.namespace, name: p.name })
        )._unsafeUnwrap();
        const uid = pod.metadata.uid as string;
        const ip = await baselineAllocateIP(w.store, `${p.namespace}/${p.name}`, uid, random, counters);
        if (ip === undefined) {
          failures++;
        } else {
          const ep: SpiderEndpoint = {
            apiVersion: 'spiderpool.spidernet.io/v2beta1',
            kind: 'SpiderEndpoint',
            metadata: { namespace: p.namespace, name: p.name, finalizers: ['spiderpool.spidernet.io'] },
            status: {
              current: {
                uid,
                node: pod.spec?.nodeName ?? '',
                ips: [{ interface: 'eth0', ipv4: `${ip}/16`, ipv4Pool: 'storm', vlan: 0 }],
              },
              ownerControllerType: 'Deployment',
              ownerControllerName: p.name.split('-').slice(0, 2).join('-'),
            },
          };
          (await w.store.create(ep))._unsafeUnwrap();
        }
        latencies.push(performance.now() - t0);
        progress('baseline', ++done);
      });
      queues[p.agent] = run;
      return run;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const { duplicates } = await checkDuplicates(w.store);
  latencies.sort((a, b) => a - b);
  return {
    seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    ...counters,
    failures,
    duplicates,
  };
};

const rows = (label: string, r: StormResult, base?: StormResult, baseName = 'baseline'): BenchRow[] => {
  const out: BenchRow[] = [
    {
      suite: SUITE,
      name: `${label}: 1000 Pods / 10 agents / 1000-IP pool, time to all allocated`,
      value: r.seconds * 1000,
      unit: 'ms',
      target: 'zero duplicates, zero failures',
      met: r.duplicates === 0 && r.failures === 0,
      note: `duplicates ${r.duplicates}, failures ${r.failures}`,
    },
    { suite: SUITE, name: `${label}: p50 per allocation`, value: r.p50, unit: 'ms' },
    { suite: SUITE, name: `${label}: p99 per allocation`, value: r.p99, unit: 'ms' },
    {
      suite: SUITE,
      name: `${label}: CAS conflicts`,
      value: r.conflicts,
      unit: 'conflicts',
      note: `retries ${r.retries}`,
    },
    { suite: SUITE, name: `${label}: CAS retries`, value: r.retries, unit: 'retries' },
    {
      suite: SUITE,
      name: `${label}: failed ADDs (retry budget exhausted)`,
      value: r.failures,
      unit: 'Pods',
      target: '0',
      met: r.failures === 0,
    },
    {
      suite: SUITE,
      name: `${label}: allocations per pool write`,
      value: r.writes === 0 ? 0 : PODS / r.writes,
      unit: 'allocs/write',
      note: `${r.writes} writes`,
    },
  ];
  if (base) {
    const head = out[0] as BenchRow;
    head.ratio = base.seconds / r.seconds;
    head.baseline = baseName;
  }
  return out;
};

/** CPU cost of finding the lowest free IP in a half-full 1000-IP pool: cached bitmap vs re-parse + walk. */
const pickCost = async (): Promise<BenchRow[]> => {
  const records = new Map<string, { pod: string; podUid: string }>();
  for (let i = 0; i < 500; i++)
    records.set(formatIPValue(4, 0x0a140001n + BigInt(i)), { pod: `default/p${i}`, podUid: `uid-${i}` });
  const pool: SpiderIPPool = {
    apiVersion: 'spiderpool.spidernet.io/v2beta1',
    kind: 'SpiderIPPool',
    metadata: { name: 'half' },
    spec: { subnet: '10.20.0.0/16', ips: ['10.20.0.1-10.20.3.232'] },
    status: { allocatedIPs: encodeAllocatedIPs(records) as string, allocatedIPCount: 500 },
  };
  const alloc = PoolAllocator.build(pool, undefined)._unsafeUnwrap();
  const bench = new Bench({ time: 500 });
  let sink = '';
  bench
    .add('baseline pick (parse JSON + Set + walk ranges)', () => {
      const used = new Set(Object.keys(JSON.parse(pool.status?.allocatedIPs ?? '{}') as object));
      const ranges = parseIPRanges(4, pool.spec.ips ?? [])._unsafeUnwrap();
      for (const iv of ranges.intervals) {
        for (let v = iv.start; v <= iv.end; v++) {
          const t = formatIPValue(4, v);
          if (!used.has(t)) {
            sink = t;
            return;
          }
        }
      }
    })
    .add('engine pick (cached bitmap allocator)', () => {
      sink = alloc.peek() ?? '';
    });
  await bench.run();
  alloc.dispose();
  if (sink === '') throw new Error('no IP picked');
  const base = taskStats(bench, 'baseline pick (parse JSON + Set + walk ranges)');
  const eng = taskStats(bench, 'engine pick (cached bitmap allocator)');
  return [
    {
      suite: SUITE,
      name: 'pick lowest free IP, 1000-IP pool half full (cached bitmap)',
      value: eng.meanNs,
      unit: 'ns',
      ratio: base.meanNs / eng.meanNs,
      baseline: 'parse + walk per allocation',
    },
    {
      suite: SUITE,
      name: 'pick lowest free IP, 1000-IP pool half full (parse + walk)',
      value: base.meanNs,
      unit: 'ns',
    },
  ];
};

export const run = async (): Promise<SuiteResult> => {
  const out: BenchRow[] = [];
  for (const latency of [0, 1]) {
    const tag = latency === 0 ? 'no store latency' : `${latency} ms per store write`;
    console.log(
      `  [${tag}] baseline storm (Spiderpool-style: re-parse + range walk + one record per write)...`,
    );
    const base = await baselineStorm(latency);
    console.log(`  [${tag}] engine storm, unbatched (bitmap cache, one record per write)...`);
    const single = await engineStorm(latency, 1);
    console.log(`  [${tag}] engine storm (bitmap cache + batched CAS writes)...`);
    const eng = await engineStorm(latency);
    const baseName = `baseline (${tag})`;
    out.push(
      ...rows(`engine (${tag})`, eng, base, baseName),
      ...rows(`engine unbatched (${tag})`, single, base, baseName),
      ...rows(baseName, base),
    );
  }
  console.log('  per-pick CPU cost...');
  out.push(...(await pickCost()));
  return { suite: SUITE, rows: out };
};
