// Store suite: MemoryStore get and compare-and-swap update cost against a bare Map + JSON-safe clone of the
// same object (the floor any copying store pays), and a 10-writer CAS storm on one hot object.
import { cloneJson, createMemoryStore, type KubeObject, type MemoryStore } from '@spiderpool-ts/core';
import { Bench } from 'tinybench';
import { type BenchRow, type SuiteResult, taskStats } from '../report.ts';

interface Pool extends KubeObject {
  spec: { subnet: string; ips: string[] };
  status: { allocatedIPCount: number; allocatedIPs: string };
}

const SUITE = 'store';
const now = () => new Date(0);
const pool = (name: string): Pool => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: {
    name,
    labels: { 'ipam.spidernet.io/ip-version': 'IPv4' },
    finalizers: ['spiderpool.spidernet.io'],
  },
  spec: { subnet: '10.6.0.0/16', ips: ['10.6.0.10-10.6.0.200'] },
  status: {
    allocatedIPCount: 3,
    allocatedIPs: JSON.stringify({ '10.6.0.10': { pod: 'default/a', podUid: 'u' } }),
  },
});

const filled = (objects: number, watchers: number): MemoryStore => {
  const store = createMemoryStore({ now, historyLimit: 1024 });
  store.seed(Array.from({ length: objects }, (_, i) => pool(`pool-${i}`)))._unsafeUnwrap();
  for (let i = 0; i < watchers; i++) void store.watch('SpiderIPPool', {}, () => {});
  return store;
};

/** One CAS increment of status.allocatedIPCount, retried on Conflict. */
const increment = async (store: MemoryStore, name: string): Promise<number> => {
  for (let conflicts = 0; ; conflicts++) {
    const cur = (await store.get<Pool>({ kind: 'SpiderIPPool', name }))._unsafeUnwrap();
    const next = { ...cur, status: { ...cur.status, allocatedIPCount: cur.status.allocatedIPCount + 1 } };
    const r = await store.updateStatus(next);
    if (r.isOk()) return conflicts;
  }
};

const storm = async (writers: number, each: number): Promise<{ writesPerSec: number; conflicts: number }> => {
  const store = filled(1, 0);
  const started = performance.now();
  const conflicts = await Promise.all(
    Array.from({ length: writers }, async () => {
      let c = 0;
      for (let i = 0; i < each; i++) c += await increment(store, 'pool-0');
      return c;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { writesPerSec: (writers * each) / seconds, conflicts: conflicts.reduce((a, b) => a + b, 0) };
};

export const run = async (): Promise<SuiteResult> => {
  const baseline = new Map<string, Pool>();
  for (let i = 0; i < 10_000; i++) baseline.set(`pool-${i}`, pool(`pool-${i}`));
  const big = filled(10_000, 0);
  const watched = filled(10_000, 4);
  let i = 0;
  const bench = new Bench({ time: 400, warmupTime: 100 });
  bench
    .add('baseline: Map get + clone + set', () => {
      const k = `pool-${i++ % 10_000}`;
      const cur = cloneJson(baseline.get(k) as Pool);
      baseline.set(
        k,
        cloneJson({ ...cur, status: { ...cur.status, allocatedIPCount: cur.status.allocatedIPCount + 1 } }),
      );
    })
    .add('MemoryStore get (10k objects)', async () => {
      await big.get({ kind: 'SpiderIPPool', name: `pool-${i++ % 10_000}` });
    })
    .add('MemoryStore CAS get + updateStatus (10k objects)', async () => {
      await increment(big, `pool-${i++ % 10_000}`);
    })
    .add('MemoryStore CAS get + updateStatus, 4 watchers', async () => {
      await increment(watched, `pool-${i++ % 10_000}`);
    });
  await bench.run();
  const base = taskStats(bench, 'baseline: Map get + clone + set');
  const rows: BenchRow[] = [
    { suite: SUITE, name: 'baseline: Map get + clone + set', value: base.hz, unit: 'ops/s' },
  ];
  for (const name of [
    'MemoryStore get (10k objects)',
    'MemoryStore CAS get + updateStatus (10k objects)',
    'MemoryStore CAS get + updateStatus, 4 watchers',
  ]) {
    const s = taskStats(bench, name);
    rows.push({
      suite: SUITE,
      name,
      value: s.hz,
      unit: 'ops/s',
      ratio: s.hz / base.hz,
      baseline: 'baseline',
      note: `mean ${s.meanNs.toFixed(0)} ns`,
    });
  }
  const hot = await storm(10, 300);
  rows.push({
    suite: SUITE,
    name: 'storm: 10 writers x 300 CAS increments, one hot object',
    value: hot.writesPerSec,
    unit: 'writes/s',
    target: '>= 1000 writes/s',
    met: hot.writesPerSec >= 1000,
    ratio: hot.writesPerSec / base.hz,
    baseline: 'baseline',
    note: `${hot.conflicts} conflicts retried`,
  });
  return { suite: SUITE, rows };
};
