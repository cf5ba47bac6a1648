// The blocks pool format (ADR 0029) against the Spiderpool format at the same fill, same run, MemoryStore:
// one pool (10.0.0.0/10, 4,194,302 addresses) pre-filled to 0 / 5k / 13k / 100k / 1M records, then one agent
// (engine) doing ADDs one after the other (no batching: the cost of one allocation). Per fill and format:
// allocations/s, API bytes per allocation (request bodies of writes + response bodies of reads, the JSON an
// API server would carry), CPU per allocation, the largest stored object, and the agent's cold start (its
// first ADD). Then 10 agents x 1000 Pods at once on the compact pool at 0 and 1M (contention, duplicates).
// Past ~14k records the Spiderpool format only exists on the MemoryStore: etcd refuses an object > 1.5 MiB.
import {
  BLOCK_SIZE_ANNOTATION,
  createIpamEngine,
  createMemoryStore,
  encodeAllocatedIPs,
  formatIPValue,
  type IpamEngine,
  KIND_SPIDER_IP_BLOCK,
  type KubeObject,
  listBlockPoolRecords,
  type MemoryStore,
  newBlockObject,
  POOL_FORMAT_ANNOTATION,
  type Pod,
  type PoolIPAllocation,
  type SpiderIPBlock,
  type SpiderIPPool,
  type Store,
  utf8Length,
} from '@spiderpool-ts/core';
import type { BenchRow, SuiteResult } from '../report.ts';
import { seeded } from '../seeded.ts';

const SUITE = 'large-pool';
const FILLS = [0, 5_000, 13_000, 100_000, 1_000_000] as const;
const BLOCK = 64;
const FIRST = 0x0a000001n; // 10.0.0.1
const ETCD_LIMIT = 1.5 * 1024 * 1024;
/** Sequential ADDs measured per run (after the first, which is the cold start). */
const COMPACT_ADDS = 300;
const SPIDERPOOL_ADDS: Record<number, number> = { 0: 300, 5000: 150, 13000: 80, 100000: 15, 1000000: 4 };
const AGENTS = 10;
const STORM_PODS = 1000;

const label = (n: number): string => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : `${n}`);

const uuid = (i: number): string => {
  const h = (i * 2654435761 + 0x9e3779b9).toString(16).padStart(12, '0').slice(-12);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4c7b-a6f5-${h}`;
};
const podName = (i: number): string =>
  `default/app-${i % 700}-6b7c8d9f-${(i % 36 ** 5).toString(36).padStart(5, 'x')}`;

const poolObject = (compact: boolean): SpiderIPPool => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: {
    name: 'large',
    ...(compact
      ? { annotations: { [POOL_FORMAT_ANNOTATION]: 'blocks', [BLOCK_SIZE_ANNOTATION]: String(BLOCK) } }
      : {}),
  },
  spec: { subnet: '10.0.0.0/10', ips: ['10.0.0.1-10.63.255.254'], gateway: '10.63.255.255', default: true },
});

/** n records on the lowest n addresses (10.0.0.1 ...), as lowest-free allocation leaves a pool. */
const spiderpoolFilled = (n: number): SpiderIPPool => {
  const m = new Map<string, PoolIPAllocation>();
  for (let i = 0; i < n; i++)
    m.set(formatIPValue(4, FIRST + BigInt(i)), { pod: podName(i), podUid: uuid(i) });
  const text = encodeAllocatedIPs(m);
  return {
    ...poolObject(false),
    ...(text === undefined ? {} : { status: { allocatedIPs: text, allocatedIPCount: n } }),
  };
};

/** n records in full blocks from the start of the subnet, the blocks spread over node-0 ... node-9. */
const compactFilled = (n: number): KubeObject[] => {
  const pool: SpiderIPPool = { ...poolObject(true), status: { allocatedIPCount: n } };
  const out: KubeObject[] = [pool];
  let i = 0;
  for (let b = 0; i < n; b++) {
    const tuples: [number, string, string, string, string][] = [];
    for (let o = b === 0 ? 1 : 0; o < BLOCK && i < n; o++, i++)
      tuples.push([o, podName(i), uuid(i), 'eth0', '']);
    const cidr = `${formatIPValue(4, 0x0a000000n + BigInt(b * BLOCK))}/26`;
    out.push(newBlockObject({ pool: 'large', index: String(b), cidr, node: `node-${b % AGENTS}` }, tuples));
  }
  return out;
};

const pods = (prefix: string, count: number, nodes: number): Pod[] =>
  Array.from({ length: count }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: 'default', name: `${prefix}-${i}`, labels: { 'pod-template-hash': '6b7c8d9f' } },
    spec: { nodeName: `node-${i % nodes}` },
  }));

interface Bytes {
  bytes: number;
  /** Counting is on only for the byte phase (JSON.stringify of a 100 MB pool would skew the timing). */
  on: boolean;
}

/** The Store with the JSON bytes an API server would carry counted: write bodies and read answers. */
const countingStore = (store: MemoryStore, acc: Bytes): Store =>
  new Proxy(store, {
    get(target, key) {
      const v: unknown = Reflect.get(target, key, target);
      if (typeof v !== 'function') return v;
      const f = (v as (...a: unknown[]) => unknown).bind(target);
      if (key === 'create' || key === 'update' || key === 'updateStatus')
        return (o: KubeObject) => {
          if (acc.on) acc.bytes += utf8Length(JSON.stringify(o));
          return (f(o) as { map: (g: (x: unknown) => unknown) => unknown }).map((x) => {
            if (acc.on) acc.bytes += utf8Length(JSON.stringify(x));
            return x;
          });
        };
      if (key === 'get' || key === 'list')
        return (...a: unknown[]) =>
          (f(...a) as { map: (g: (x: unknown) => unknown) => unknown }).map((x) => {
            if (acc.on) acc.bytes += utf8Length(JSON.stringify(x));
            return x;
          });
      return f;
    },
  });

const add = (e: IpamEngine, name: string) =>
  e.allocate({
    podNamespace: 'default',
    podName: name,
    containerID: `c-${name}`,
    ifName: 'eth0',
    ipamConfig: {},
  });

const noSleep = (): Promise<void> => Promise.resolve();

interface Measured {
  rate: number;
  cpuUsPerAlloc: number;
  bytesPerAlloc: number;
  coldMs: number;
  largest: number;
  seedMs: number;
}

const largestObject = async (store: MemoryStore, compact: boolean): Promise<number> => {
  const pool = (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'large' }))._unsafeUnwrap();
  let largest = utf8Length(JSON.stringify(pool));
  if (compact) {
    const blocks = (await store.list<SpiderIPBlock>(KIND_SPIDER_IP_BLOCK))._unsafeUnwrap().items;
    for (const b of blocks) largest = Math.max(largest, utf8Length(JSON.stringify(b)));
  }
  return largest;
};

/** One agent: a cold first ADD, `adds` sequential ADDs timed, then `byteAdds` more with the bytes counted. */
const measure = async (fill: number, compact: boolean, adds: number): Promise<Measured> => {
  const byteAdds = compact || fill < 100_000 ? 5 : 2;
  const t0 = performance.now();
  const store = createMemoryStore({ now: () => new Date(0), historyLimit: 16 });
  const objects: KubeObject[] = compact ? compactFilled(fill) : [spiderpoolFilled(fill)];
  store.seed([...objects, ...pods('m', adds + byteAdds + 1, 1)])._unsafeUnwrap();
  const seedMs = performance.now() - t0;
  const acc: Bytes = { bytes: 0, on: false };
  const e = createIpamEngine({
    store: countingStore(store, acc),
    nodeName: 'node-0',
    sleep: noSleep,
    random: seeded(1),
  });
  const c0 = performance.now();
  (await add(e, 'm-0'))._unsafeUnwrap();
  const coldMs = performance.now() - c0;
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  for (let i = 1; i <= adds; i++) (await add(e, `m-${i}`))._unsafeUnwrap();
  const seconds = (performance.now() - w0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  acc.on = true;
  for (let i = adds + 1; i <= adds + byteAdds; i++) (await add(e, `m-${i}`))._unsafeUnwrap();
  acc.on = false;
  e.dispose();
  const largest = await largestObject(store, compact);
  return {
    rate: adds / seconds,
    cpuUsPerAlloc: (cpu.user + cpu.system) / adds,
    bytesPerAlloc: acc.bytes / byteAdds,
    coldMs,
    largest,
    seedMs,
  };
};

interface Storm {
  rate: number;
  conflicts: number;
  duplicates: number;
  failures: number;
  claims: number;
}

/** 10 agents, 1000 Pods at once, compact pool at `fill`. */
const storm = async (fill: number): Promise<Storm> => {
  const store = createMemoryStore({ now: () => new Date(0), historyLimit: 16 });
  store.seed([...compactFilled(fill), ...pods('s', STORM_PODS, AGENTS)])._unsafeUnwrap();
  const engines = Array.from({ length: AGENTS }, (_, i) =>
    createIpamEngine({
      store,
      nodeName: `node-${i}`,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      random: seeded(10 + i),
    }),
  );
  // Cold start (each agent's own blocks listed) is not part of the storm: one ADD per agent first.
  const warm = pods('w', AGENTS, AGENTS);
  store.seed(warm)._unsafeUnwrap();
  await Promise.all(engines.map(async (e, i) => (await add(e, `w-${i}`))._unsafeUnwrap()));
  let failures = 0;
  const t0 = performance.now();
  const ips = await Promise.all(
    Array.from({ length: STORM_PODS }, async (_, i) => {
      const r = await add(engines[i % AGENTS] as IpamEngine, `s-${i}`);
      if (r.isErr()) failures++;
      return r.isOk() ? (r.value.ips[0]?.address ?? '') : '';
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const stats = engines.map((e) => e.stats().blocks);
  for (const e of engines) e.dispose();
  const pool = (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'large' }))._unsafeUnwrap();
  const recs = (await listBlockPoolRecords(store, pool))._unsafeUnwrap();
  const distinct = new Set(recs.map((r) => r.ip)).size;
  return {
    rate: (STORM_PODS - failures) / seconds,
    conflicts: stats.reduce((s, x) => s + x.blockConflicts, 0),
    duplicates: recs.length - distinct + (ips.filter(Boolean).length - new Set(ips.filter(Boolean)).size),
    failures,
    claims: stats.reduce((s, x) => s + x.claims, 0),
  };
};

const fmtBytes = (b: number): string =>
  b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`;

export const run = async (): Promise<SuiteResult> => {
  const rows: BenchRow[] = [];
  const compactAt = new Map<number, Measured>();
  for (const fill of FILLS) {
    const L = label(fill);
    console.log(`  fill ${L}: compact`);
    const c = await measure(fill, true, COMPACT_ADDS);
    compactAt.set(fill, c);
    console.log(`  fill ${L}: spiderpool format`);
    const s = await measure(fill, false, SPIDERPOOL_ADDS[fill] ?? 5);
    const storable = s.largest <= ETCD_LIMIT;
    const memOnly = storable
      ? ''
      : ` (MemoryStore only: a ${fmtBytes(s.largest)} object, etcd refuses > 1.5 MiB)`;
    rows.push(
      {
        suite: SUITE,
        name: `${L} records: compact (blocks) allocations/s, 1 agent, sequential ADDs`,
        value: c.rate,
        unit: 'allocs/s',
        ratio: c.rate / s.rate,
        baseline: `Spiderpool format at ${L}`,
        note: `cold first ADD ${c.coldMs.toFixed(1)} ms; seed ${c.seedMs.toFixed(0)} ms`,
      },
      {
        suite: SUITE,
        name: `${L} records: Spiderpool format allocations/s, 1 agent, sequential ADDs${storable ? '' : ' [MemoryStore only]'}`,
        value: s.rate,
        unit: 'allocs/s',
        note: `cold first ADD ${s.coldMs.toFixed(1)} ms${memOnly}`,
      },
      {
        suite: SUITE,
        name: `${L} records: compact API bytes per allocation`,
        value: c.bytesPerAlloc,
        unit: 'B',
        ratio: s.bytesPerAlloc / c.bytesPerAlloc,
        baseline: `Spiderpool format at ${L} (x fewer bytes)`,
      },
      {
        suite: SUITE,
        name: `${L} records: Spiderpool format API bytes per allocation`,
        value: s.bytesPerAlloc,
        unit: 'B',
      },
      {
        suite: SUITE,
        name: `${L} records: compact CPU per allocation`,
        value: c.cpuUsPerAlloc * 1000,
        unit: 'ns',
        ratio: s.cpuUsPerAlloc / c.cpuUsPerAlloc,
        baseline: `Spiderpool format at ${L} (x less CPU)`,
      },
      {
        suite: SUITE,
        name: `${L} records: Spiderpool format CPU per allocation`,
        value: s.cpuUsPerAlloc * 1000,
        unit: 'ns',
      },
      {
        suite: SUITE,
        name: `${L} records: largest stored object, compact`,
        value: c.largest,
        unit: 'bytes',
        target: '< 1 MiB',
        met: c.largest < 1024 * 1024,
      },
      {
        suite: SUITE,
        name: `${L} records: largest stored object, Spiderpool format`,
        value: s.largest,
        unit: 'bytes',
        target: '<= 1.5 MiB (etcd --max-request-bytes)',
        met: storable,
        ...(storable ? {} : { note: 'not storable in etcd' }),
      },
    );
  }
  const r0 = compactAt.get(0) as Measured;
  const r1m = compactAt.get(1_000_000) as Measured;
  rows.push({
    suite: SUITE,
    name: 'compact: allocations/s at 1M records vs at 0 records',
    value: r1m.rate / r0.rate,
    unit: 'x',
    target: '>= 0.5 (within 2x)',
    met: r1m.rate / r0.rate >= 0.5,
    ratio: r1m.rate / r0.rate,
    baseline: 'compact at 0 records',
    note: `bytes/alloc 1M vs 0: ${(r1m.bytesPerAlloc / r0.bytesPerAlloc).toFixed(2)}x; CPU/alloc 1M vs 0: ${(r1m.cpuUsPerAlloc / r0.cpuUsPerAlloc).toFixed(2)}x`,
  });
  const storms = new Map<number, Storm>();
  for (const fill of [0, 1_000_000]) {
    console.log(`  storm at ${label(fill)}: ${AGENTS} agents x ${STORM_PODS} Pods`);
    storms.set(fill, await storm(fill));
  }
  const s0 = storms.get(0) as Storm;
  for (const [fill, st] of storms) {
    rows.push({
      suite: SUITE,
      name: `${label(fill)} records: compact, +${STORM_PODS} Pods via ${AGENTS} agents at once`,
      value: st.rate,
      unit: 'allocs/s',
      target: 'zero duplicates, zero failures',
      met: st.duplicates === 0 && st.failures === 0,
      ratio: st.rate / s0.rate,
      baseline: 'the same storm at 0 records',
      note: `${st.conflicts} block write conflicts, ${st.claims} blocks claimed, failures ${st.failures}, duplicates ${st.duplicates}`,
    });
  }
  return { suite: SUITE, rows };
};
