// IPAM at scale: one pool already holding 1k / 10k / 100k records (Spiderpool caps a pool at 5000), then 1000
// more Pods allocated through 10 engines on the MemoryStore. Per fill: allocations/s, wall time and store time
// per status write, encode/decode time of the status, object size (bytes per record, the etcd bound). Same
// run, same fill: a Spiderpool-style baseline (per allocation: GET, parse the whole status, walk spec.ips from
// the start, re-encode everything, one write), and the old full-encode / decode-and-diff paths against the
// engine's incremental ones (before/after ratios).
import {
  createIpamEngine,
  createMemoryStore,
  decodeAllocatedIPs,
  encodeAllocatedIPs,
  formatIPValue,
  type IpamEngine,
  type MemoryStore,
  type Pod,
  PoolAllocator,
  type PoolIPAllocation,
  parseIPRanges,
  type SpiderEndpoint,
  type SpiderIPPool,
  type Store,
} from '@spiderpool-ts/core';
import { Bench } from 'tinybench';
import { type BenchRow, type SuiteResult, taskStats } from '../report.ts';
import { seeded } from '../seeded.ts';

const SUITE = 'ipam-scale';
const FILLS = [1_000, 10_000, 100_000] as const;
const NEW_PODS = 1000;
const AGENTS = 10;
/** Baseline allocations per fill: its per-allocation cost grows with the fill, so fewer at 100k. */
const BASELINE_PODS: Record<number, number> = { 1000: 1000, 10000: 200, 100000: 20 };
/** etcd's default request limit (--max-request-bytes), which bounds one object. */
export const ETCD_MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;
export const FIRST_IP = 0x0a000001n; // 10.0.0.1
/** Records one foreign write changes in the diff micro-benchmark (a batch of ~100 is what the storm sees). */
const FOREIGN_CHANGES = 100;

interface Fill {
  label: string;
  records: ReadonlyMap<string, PoolIPAllocation>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const uuid = (i: number): string => {
  const h = (i * 2654435761 + 0x9e3779b9).toString(16).padStart(12, '0').slice(-12);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4c7b-a6f5-${h}`;
};

/** n records on the lowest n IPs of the range, as a pool grown by lowest-free allocation looks. */
export const seedRecords = (n: number): Map<string, PoolIPAllocation> => {
  const m = new Map<string, PoolIPAllocation>();
  for (let i = 0; i < n; i++) {
    m.set(formatIPValue(4, FIRST_IP + BigInt(i)), {
      pod: `default/app-${i % 700}-6b7c8d9f-${(i % 36 ** 5).toString(36).padStart(5, 'x')}`,
      podUid: uuid(i),
    });
  }
  return m;
};

export const scalePool = (records: ReadonlyMap<string, PoolIPAllocation>): SpiderIPPool => {
  const text = encodeAllocatedIPs(records);
  return {
    apiVersion: 'spiderpool.spidernet.io/v2beta1',
    kind: 'SpiderIPPool',
    metadata: { name: 'big' },
    // 10.0.0.1 .. 10.3.255.254: 262142 addresses.
    spec: { subnet: '10.0.0.0/14', ips: ['10.0.0.1-10.3.255.254'], gateway: '10.3.255.255', default: true },
    ...(text === undefined ? {} : { status: { allocatedIPs: text, allocatedIPCount: records.size } }),
  };
};

const newPods = (count: number): Pod[] =>
  Array.from({ length: count }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      namespace: 'default',
      name: `scale-${i}-6b7c8d9f-${i.toString(36).padStart(5, 'x')}`,
      labels: { 'pod-template-hash': '6b7c8d9f' },
    },
    spec: { nodeName: `node-${i % AGENTS}` },
  }));

export const fillWorld = (records: ReadonlyMap<string, PoolIPAllocation>, pods: number): MemoryStore => {
  const store = createMemoryStore({ now: () => new Date(0), historyLimit: 64 });
  store.seed([scalePool(records), ...newPods(pods)])._unsafeUnwrap();
  return store;
};

/**
 * The store with the CPU time of `updateStatus` measured: the MemoryStore applies a write synchronously inside
 * the call (no fault hook here), so the call's own duration is the write; awaiting it would add queueing.
 */
const timedStore = (store: MemoryStore, acc: { ms: number; calls: number }): Store =>
  new Proxy(store, {
    get(target, key) {
      const v: unknown = Reflect.get(target, key, target);
      if (key === 'updateStatus') {
        return (o: SpiderIPPool) => {
          const t0 = performance.now();
          const r = target.updateStatus(o);
          acc.ms += performance.now() - t0;
          acc.calls++;
          return r;
        };
      }
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });

interface EngineRun {
  seconds: number;
  writes: number;
  storeMsPerWrite: number;
  failures: number;
  duplicates: number;
  conflicts: number;
}

const engineStorm = async (fill: Fill): Promise<EngineRun> => {
  const store = fillWorld(fill.records, NEW_PODS);
  const acc = { ms: 0, calls: 0 };
  const timed = timedStore(store, acc);
  const engines: IpamEngine[] = Array.from({ length: AGENTS }, (_, i) =>
    createIpamEngine({ store: timed, nodeName: `node-${i}`, sleep, random: seeded(i + 1) }),
  );
  let failures = 0;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    newPods(NEW_PODS).map(async (p, i) => {
      const r = await (engines[i % AGENTS] as IpamEngine).allocate({
        podNamespace: 'default',
        podName: p.metadata.name ?? '',
        containerID: `c${i}`,
        ifName: 'eth0',
        ipamConfig: {},
      });
      if (r.isErr()) failures++;
      if (++done % 250 === 0) console.log(`    engines: ${done}/${NEW_PODS}`);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const stats = engines.map((e) => e.stats().writer);
  for (const e of engines) e.dispose();
  const pool = (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'big' }))._unsafeUnwrap();
  const ips = Object.keys(JSON.parse(pool.status?.allocatedIPs ?? '{}') as object);
  const expected = fill.records.size + NEW_PODS - failures;
  return {
    seconds,
    writes: stats.reduce((s, x) => s + x.writes, 0),
    storeMsPerWrite: acc.calls === 0 ? 0 : acc.ms / acc.calls,
    failures,
    duplicates: expected - ips.length,
    conflicts: stats.reduce((s, x) => s + x.conflicts, 0),
  };
};

const objectBytes = (pool: SpiderIPPool): number => new TextEncoder().encode(JSON.stringify(pool)).length;

const sizeRows = (fill: Fill): BenchRow[] => {
  const empty = objectBytes(scalePool(new Map()));
  const bytes = objectBytes(scalePool(fill.records));
  const perRecord = (bytes - empty) / fill.records.size;
  const rawPerRecord = (encodeAllocatedIPs(fill.records)?.length ?? 0) / fill.records.size;
  const fits = Math.floor((ETCD_MAX_REQUEST_BYTES - empty) / perRecord);
  return [
    {
      suite: SUITE,
      name: `${fill.label}: SpiderIPPool object size (JSON as stored)`,
      value: bytes,
      unit: 'bytes',
      target: '<= 1.5 MiB (etcd --max-request-bytes)',
      met: bytes <= ETCD_MAX_REQUEST_BYTES,
      note: `${perRecord.toFixed(1)} B/record in the object (status string ${rawPerRecord.toFixed(1)} B/record before JSON escaping); ~${fits} records fit`,
    },
    {
      suite: SUITE,
      name: `${fill.label}: bytes per record in the stored object`,
      value: perRecord,
      unit: 'B',
    },
    { suite: SUITE, name: `${fill.label}: records that fit in etcd's 1.5 MiB`, value: fits, unit: 'records' },
  ];
};

const stormRows = (fill: Fill, eng: EngineRun, base: BaselineRun): BenchRow[] => {
  const engRate = (NEW_PODS - eng.failures) / eng.seconds;
  const baseRate = base.allocated / base.seconds;
  return [
    {
      suite: SUITE,
      name: `${fill.label}: engine, +${NEW_PODS} Pods via ${AGENTS} engines`,
      value: engRate,
      unit: 'allocs/s',
      target: 'zero duplicates, zero failures',
      met: eng.duplicates === 0 && eng.failures === 0,
      ratio: engRate / baseRate,
      baseline: `Spiderpool-style at ${fill.label}`,
      note: `${(eng.seconds * 1000).toFixed(0)} ms total, ${eng.writes} writes, ${eng.conflicts} conflicts, failures ${eng.failures}, duplicates ${eng.duplicates}`,
    },
    {
      suite: SUITE,
      name: `${fill.label}: engine wall time per status write`,
      value: (eng.seconds * 1e9) / Math.max(1, eng.writes),
      unit: 'ns',
      note: `${(NEW_PODS / Math.max(1, eng.writes)).toFixed(1)} allocations per write`,
    },
    {
      suite: SUITE,
      name: `${fill.label}: engine MemoryStore updateStatus CPU per write`,
      value: eng.storeMsPerWrite * 1e6,
      unit: 'ns',
    },
    {
      suite: SUITE,
      name: `${fill.label}: Spiderpool-style baseline (parse + walk + encode + 1 write per allocation)`,
      value: baseRate,
      unit: 'allocs/s',
      note: `${base.allocated} allocations in ${(base.seconds * 1000).toFixed(0)} ms, ${base.conflicts} conflicts, failures ${base.failures}`,
    },
    {
      suite: SUITE,
      name: `${fill.label}: baseline wall time per status write`,
      value: (base.seconds * 1e9) / Math.max(1, base.writes),
      unit: 'ns',
    },
  ];
};

interface BaselineRun {
  seconds: number;
  allocated: number;
  writes: number;
  conflicts: number;
  failures: number;
}

/** Spiderpool's per-allocation work: GET, parse the whole status, walk spec.ips from the start, 1 write. */
const baselineAllocate = async (store: MemoryStore, pod: string, podUid: string, random: () => number) => {
  let conflicts = 0;
  for (let attempt = 1; attempt <= 16; attempt++) {
    const pool = (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'big' }))._unsafeUnwrap();
    const parsed = JSON.parse(pool.status?.allocatedIPs ?? '{}') as Record<string, PoolIPAllocation>;
    const used = new Set(Object.keys(parsed));
    let ip: string | undefined;
    for (const iv of parseIPRanges(4, pool.spec.ips ?? [])._unsafeUnwrap().intervals) {
      for (let v = iv.start; v <= iv.end && ip === undefined; v++) {
        const text = formatIPValue(4, v);
        if (!used.has(text)) ip = text;
      }
      if (ip !== undefined) break;
    }
    if (ip === undefined) return { ip, conflicts };
    parsed[ip] = { pod, podUid };
    const records = new Map(Object.entries(parsed));
    const status = {
      ...pool.status,
      allocatedIPs: encodeAllocatedIPs(records) as string,
      allocatedIPCount: records.size,
    };
    if ((await store.updateStatus({ ...pool, status })).isOk()) return { ip, conflicts };
    conflicts++;
    await sleep(Math.min(100, 2 ** attempt) * random());
  }
  return { ip: undefined, conflicts };
};

const baselineStorm = async (fill: Fill, count: number): Promise<BaselineRun> => {
  const store = fillWorld(fill.records, count);
  const out: BaselineRun = { seconds: 0, allocated: 0, writes: 0, conflicts: 0, failures: 0 };
  const queues: Promise<void>[] = Array.from({ length: AGENTS }, () => Promise.resolve());
  const random = seeded(99);
  const step = Math.max(1, Math.floor(count / 4));
  const started = performance.now();
  await Promise.all(
    newPods(count).map((p, i) => {
      // The agent's ticket queue: one request per pool at a time.
      const run = (queues[i % AGENTS] as Promise<void>).then(async () => {
        const name = p.metadata.name ?? '';
        const pod = (await store.get<Pod>({ kind: 'Pod', namespace: 'default', name }))._unsafeUnwrap();
        const uid = pod.metadata.uid ?? '';
        const r = await baselineAllocate(store, `default/${name}`, uid, random);
        out.conflicts += r.conflicts;
        if (r.ip === undefined) {
          out.failures++;
        } else {
          out.allocated++;
          out.writes++;
          const ep: SpiderEndpoint = {
            apiVersion: 'spiderpool.spidernet.io/v2beta1',
            kind: 'SpiderEndpoint',
            metadata: { namespace: 'default', name, finalizers: ['spiderpool.spidernet.io'] },
            status: {
              current: {
                uid,
                node: pod.spec?.nodeName ?? '',
                ips: [{ interface: 'eth0', ipv4: `${r.ip}/14`, ipv4Pool: 'big', vlan: 0 }],
              },
              ownerControllerType: 'Pod',
              ownerControllerName: name,
            },
          };
          (await store.create(ep))._unsafeUnwrap();
        }
        if ((out.allocated + out.failures) % step === 0)
          console.log(`    baseline: ${out.allocated + out.failures}/${count}`);
      });
      queues[i % AGENTS] = run;
      return run;
    }),
  );
  out.seconds = (performance.now() - started) / 1000;
  return out;
};

/** The allocator's diff before this change: decode into a Map, copy the records, compare, then add. */
const oldReplaceRecords = (alloc: PoolAllocator, text: string | undefined): void => {
  const next = decodeAllocatedIPs(text)._unsafeUnwrap();
  for (const [ip, rec] of [...alloc.records]) {
    const n = next.get(ip);
    if (!n || n.podUid !== rec.podUid || n.pod !== rec.pod) alloc.removeRecord(ip);
  }
  for (const [ip, rec] of next) if (!alloc.records.has(ip)) alloc.addRecord(ip, rec);
};

/** Encode after k changes (full vs incremental), decode, and the foreign-write diff (old vs new). */
const codecRows = async (fill: Fill): Promise<BenchRow[]> => {
  const n = fill.records.size;
  const pool = scalePool(fill.records);
  const text = pool.status?.allocatedIPs;
  const foreign = new Map(fill.records);
  for (let i = 0; i < FOREIGN_CHANGES; i++)
    foreign.set(formatIPValue(4, FIRST_IP + BigInt(n + i)), {
      pod: `default/other-${i}`,
      podUid: uuid(n + i),
    });
  const foreignText = encodeAllocatedIPs(foreign);
  const mine = PoolAllocator.build(pool, undefined)._unsafeUnwrap();
  const full = new Map(fill.records);
  const oldAlloc = PoolAllocator.build(pool, undefined)._unsafeUnwrap();
  const newAlloc = PoolAllocator.build(pool, undefined)._unsafeUnwrap();
  newAlloc.encodeStatus();
  let sink = 0;
  const changeRound = (
    k: number,
    encode: () => string | undefined,
    add: (i: number) => string,
    drop: (ip: string) => void,
  ) => {
    const ips: string[] = [];
    for (let i = 0; i < k; i++) ips.push(add(i));
    sink += encode()?.length ?? 0;
    for (const ip of ips) drop(ip);
    sink += encode()?.length ?? 0;
  };
  const addFull = (i: number): string => {
    const ip = formatIPValue(4, FIRST_IP + BigInt(n + i));
    full.set(ip, { pod: 'default/x', podUid: `x${i}` });
    return ip;
  };
  const addMine = (i: number): string => {
    const ip = mine.take() as string;
    mine.addRecord(ip, { pod: 'default/x', podUid: `x${i}` });
    return ip;
  };
  const names = {
    full1: 'full encode after 1 change',
    inc1: 'incremental encode after 1 change',
    full100: `full encode after ${FOREIGN_CHANGES} changes`,
    inc100: `incremental encode after ${FOREIGN_CHANGES} changes`,
    decode: 'decode (parse + validate)',
    oldDiff: 'foreign write: old diff + full encode',
    newDiff: 'foreign write: new diff + incremental encode',
  };
  const bench = new Bench({ time: n >= 100_000 ? 400 : 250, iterations: 4, warmupIterations: 1 });
  bench
    .add(names.full1, () =>
      changeRound(
        1,
        () => encodeAllocatedIPs(full),
        addFull,
        (ip) => full.delete(ip),
      ),
    )
    .add(names.inc1, () =>
      changeRound(
        1,
        () => mine.encodeStatus(),
        addMine,
        (ip) => mine.removeRecord(ip),
      ),
    )
    .add(names.full100, () =>
      changeRound(
        FOREIGN_CHANGES,
        () => encodeAllocatedIPs(full),
        addFull,
        (ip) => full.delete(ip),
      ),
    )
    .add(names.inc100, () =>
      changeRound(
        FOREIGN_CHANGES,
        () => mine.encodeStatus(),
        addMine,
        (ip) => mine.removeRecord(ip),
      ),
    )
    .add(names.decode, () => {
      sink += decodeAllocatedIPs(text)._unsafeUnwrap().size;
    })
    .add(names.oldDiff, () => {
      for (const t of [foreignText, text]) {
        oldReplaceRecords(oldAlloc, t);
        sink += encodeAllocatedIPs(oldAlloc.records)?.length ?? 0;
      }
    })
    .add(names.newDiff, () => {
      for (const t of [foreignText, text]) {
        newAlloc.replaceRecords(t)._unsafeUnwrap();
        sink += newAlloc.encodeStatus()?.length ?? 0;
      }
    });
  await bench.run();
  for (const a of [mine, oldAlloc, newAlloc]) a.dispose();
  if (sink === 0) throw new Error('nothing encoded');
  // Every task does two of what it names (there and back): halve the mean.
  const half = (name: string): number => taskStats(bench, name).meanNs / (name === names.decode ? 1 : 2);
  const row = (name: string, base?: string): BenchRow => ({
    suite: SUITE,
    name: `${fill.label}: ${name}`,
    value: half(name),
    unit: 'ns',
    ...(base === undefined ? {} : { ratio: half(base) / half(name), baseline: base }),
  });
  return [
    row(names.inc1, names.full1),
    row(names.full1),
    row(names.inc100, names.full100),
    row(names.full100),
    row(names.decode),
    row(names.newDiff, names.oldDiff),
    row(names.oldDiff),
  ];
};

export const run = async (): Promise<SuiteResult> => {
  const out: BenchRow[] = [];
  for (const n of FILLS) {
    const fill: Fill = { label: `${n / 1000}k records`, records: seedRecords(n) };
    console.log(`  [${fill.label}] object size...`);
    out.push(...sizeRows(fill));
    console.log(`  [${fill.label}] encode / decode / foreign-diff micro-benchmarks...`);
    out.push(...(await codecRows(fill)));
    console.log(`  [${fill.label}] engine storm: +${NEW_PODS} Pods through ${AGENTS} engines...`);
    const eng = await engineStorm(fill);
    const count = BASELINE_PODS[n] ?? 20;
    console.log(`  [${fill.label}] Spiderpool-style baseline: ${count} allocations...`);
    const base = await baselineStorm(fill, count);
    out.push(...stormRows(fill, eng, base));
  }
  return { suite: SUITE, rows: out };
};
