// Prometheus metrics of the operator (prom-client). Spiderpool's names where it has them
// (spiderpool_ip_gc_counts, spiderpool_ip_gc_failure_counts, spiderpool_total_ippool_counts,
// spiderpool_total_subnet_counts); the rest carry a spiderpool_ts_ prefix. Counters are read from the plain
// counter objects the core loops keep, at scrape time.
import type { GcCounters, Store } from '@spiderpool-ts/core';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export interface OperatorCounters {
  gc: GcCounters;
  leader: boolean;
  nadReconciles: Record<string, number>;
  errors: Record<string, number>;
}

/** A counter whose value is read from `read()` at scrape time. */
const readCounter = (
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[],
  read: () => [Record<string, string>, number][],
): void => {
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, v] of read()) if (v > 0) this.inc(labels, v);
    },
  });
};

export const createMetrics = (store: Store, c: OperatorCounters): Registry => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  readCounter(registry, 'spiderpool_ip_gc_counts', 'Number of IPs released by garbage collection', [], () => [
    [{}, c.gc.ipGc],
  ]);
  readCounter(
    registry,
    'spiderpool_ip_gc_failure_counts',
    'Number of IP garbage collection failures',
    [],
    () => [[{}, c.gc.ipGcFailures]],
  );
  readCounter(
    registry,
    'spiderpool_ts_ip_gc_released_total',
    'IPs released by GC, by path (scan, trace) and reason',
    ['path', 'reason'],
    () => [
      ...Object.entries(c.gc.scanReleased).map(([reason, v]): [Record<string, string>, number] => [
        { path: 'scan', reason },
        v ?? 0,
      ]),
      ...Object.entries(c.gc.traceReleased).map(([reason, v]): [Record<string, string>, number] => [
        { path: 'trace', reason },
        v ?? 0,
      ]),
    ],
  );
  readCounter(registry, 'spiderpool_ts_gc_scan_passes_total', 'GC scan-all passes run', [], () => [
    [{}, c.gc.scanPasses],
  ]);
  readCounter(
    registry,
    'spiderpool_ts_nad_reconciles_total',
    'NAD controller reconciles by outcome',
    ['outcome'],
    () => Object.entries(c.nadReconciles).map(([outcome, v]) => [{ outcome }, v]),
  );
  readCounter(
    registry,
    'spiderpool_ts_controller_errors_total',
    'Reconcile errors by controller',
    ['controller'],
    () => Object.entries(c.errors).map(([controller, v]) => [{ controller }, v]),
  );
  new Gauge({
    name: 'spiderpool_ts_gc_traced_pods',
    help: 'Pods in the GC trace database',
    registers: [registry],
    collect() {
      this.set(c.gc.traced);
    },
  });
  new Gauge({
    name: 'spiderpool_ts_leader',
    help: '1 while this operator holds the Lease',
    registers: [registry],
    collect() {
      this.set(c.leader ? 1 : 0);
    },
  });
  const countOf = (kind: string, name: string, help: string) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const r = await store.list(kind);
        if (r.isOk()) this.set(r.value.items.length);
      },
    });
  countOf('SpiderIPPool', 'spiderpool_total_ippool_counts', 'Number of SpiderIPPools');
  countOf('SpiderSubnet', 'spiderpool_total_subnet_counts', 'Number of SpiderSubnets');
  return registry;
};
