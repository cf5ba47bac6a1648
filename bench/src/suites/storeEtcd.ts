// store-etcd suite: allocation-storm writes (CAS get + updateStatus of a pool's allocated count, retried on
// Conflict) on EtcdStore over a real etcd (Debian's etcd-server, started on loopback for this run) against
// MemoryStore as the baseline of the same run. Two shapes: 10 writers on one hot pool (every write races),
// and 10 writers on a pool each (no races: the cost of the round trip and etcd's fsync'd commit).

import { existsSync } from 'node:fs';
import { createMemoryStore, type KubeObject, type Store } from '@spiderpool-ts/core';
import { createEtcdStore } from '@spiderpool-ts/k8s';
import { ETCD_BINARY, startEtcd } from '@spiderpool-ts/k8s/testing';
import type { BenchRow, SuiteResult } from '../report.ts';

interface Pool extends KubeObject {
  spec: { subnet: string; ips: string[] };
  status?: { allocatedIPCount: number };
}

const SUITE = 'store-etcd';
const WRITERS = 10;
const EACH = 50;

const pool = (name: string): Pool => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: { name },
  spec: { subnet: '10.6.0.0/16', ips: ['10.6.0.10-10.6.0.200'] },
});

/** One CAS increment of status.allocatedIPCount; returns the conflicts retried. */
const increment = async (store: Store, name: string): Promise<number> => {
  for (let conflicts = 0; ; conflicts++) {
    const cur = (await store.get<Pool>({ kind: 'SpiderIPPool', name }))._unsafeUnwrap();
    const count = cur.status?.allocatedIPCount ?? 0;
    const r = await store.updateStatus({ ...cur, status: { allocatedIPCount: count + 1 } });
    if (r.isOk()) return conflicts;
    if (r.error._tag !== 'Conflict') throw new Error(r.error.message);
  }
};

interface Storm {
  writesPerSec: number;
  conflicts: number;
  final: number;
}

const storm = async (store: Store, tag: string, hot: boolean): Promise<Storm> => {
  const names = Array.from({ length: hot ? 1 : WRITERS }, (_, i) => `${tag}-${hot ? 'hot' : i}`);
  for (const n of names) (await store.create(pool(n)))._unsafeUnwrap();
  const started = performance.now();
  const conflicts = await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      let c = 0;
      for (let i = 0; i < EACH; i++) c += await increment(store, names[hot ? 0 : w] ?? '');
      return c;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  let final = 0;
  for (const n of names) {
    final +=
      (await store.get<Pool>({ kind: 'SpiderIPPool', name: n }))._unsafeUnwrap().status?.allocatedIPCount ??
      0;
  }
  return { writesPerSec: (WRITERS * EACH) / seconds, conflicts: conflicts.reduce((a, b) => a + b, 0), final };
};

export const run = async (): Promise<SuiteResult> => {
  if (!existsSync(ETCD_BINARY)) {
    if (process.env.CI === 'true') throw new Error(`${SUITE}: ${ETCD_BINARY} missing under CI=true`);
    console.log(`${SUITE}: skipped, ${ETCD_BINARY} missing (apt-get install etcd-server)`);
    return { suite: SUITE, rows: [] };
  }
  const etcd = await startEtcd();
  const store = createEtcdStore({ endpoints: [etcd.endpoint] });
  try {
    const rows: BenchRow[] = [];
    for (const hot of [true, false]) {
      const shape = hot
        ? `${WRITERS} writers x ${EACH} on one hot pool`
        : `${WRITERS} writers x ${EACH}, a pool each`;
      const memory = await storm(createMemoryStore({ now: () => new Date() }), 'm', hot);
      const onEtcd = await storm(store, `e-${hot ? 'h' : 's'}`, hot);
      const expected = WRITERS * EACH;
      rows.push({
        suite: SUITE,
        name: `baseline: MemoryStore, ${shape}`,
        value: memory.writesPerSec,
        unit: 'writes/s',
        note: `${memory.conflicts} conflicts retried, count ${memory.final}/${expected}`,
      });
      rows.push({
        suite: SUITE,
        name: `EtcdStore on etcd, ${shape}`,
        value: onEtcd.writesPerSec,
        unit: 'writes/s',
        target: 'no lost update',
        met: onEtcd.final === expected,
        ratio: onEtcd.writesPerSec / memory.writesPerSec,
        baseline: `baseline: MemoryStore, ${shape}`,
        note: `${onEtcd.conflicts} conflicts retried, count ${onEtcd.final}/${expected}`,
      });
    }
    return { suite: SUITE, rows };
  } finally {
    store.close();
    await etcd.close();
  }
};
