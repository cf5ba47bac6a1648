// What the GC loop reclaimed and why, as a plain object a host exports (the sample operator maps it to
// Prometheus: `spiderpool_ip_gc_counts`, `spiderpool_ip_gc_failure_counts`, and per-reason series).
import type { GcReport } from './gcPass.ts';
import type { GcReason } from './reasons.ts';
import type { TraceReason } from './traceEntry.ts';

export interface GcCounters {
  /** IPs released by either path (Spiderpool's spiderpool_ip_gc_counts). */
  ipGc: number;
  /** Failed releases: write errors, records that could not be freed (spiderpool_ip_gc_failure_counts). */
  ipGcFailures: number;
  /** Scan-all passes run, and passes that could not read their snapshot. */
  scanPasses: number;
  scanPassFailures: number;
  /** IPs released by scan-all, by decision-table row. */
  scanReleased: Partial<Record<GcReason, number>>;
  /** IPs released by the trace path, by why the Pod was traced. */
  traceReleased: Partial<Record<TraceReason, number>>;
  /** SpiderEndpoints deleted by either path. */
  endpointsDeleted: number;
  /** Pods in the trace database now (a gauge). */
  traced: number;
}

export const createGcCounters = (): GcCounters => ({
  ipGc: 0,
  ipGcFailures: 0,
  scanPasses: 0,
  scanPassFailures: 0,
  scanReleased: {},
  traceReleased: {},
  endpointsDeleted: 0,
  traced: 0,
});

const bump = <K extends string>(m: Partial<Record<K, number>>, k: K, n = 1): void => {
  m[k] = (m[k] ?? 0) + n;
};

export const countScan = (c: GcCounters, report: GcReport): void => {
  c.scanPasses++;
  for (const e of report.entries) {
    if (e.outcome === 'released') {
      c.ipGc++;
      bump(c.scanReleased, e.reason);
    }
  }
  c.ipGcFailures += report.failed;
  c.endpointsDeleted += report.endpointsDeleted + report.outdatedEndpointsDeleted;
};

export const countTrace = (
  c: GcCounters,
  reason: TraceReason,
  ips: number,
  endpointDeleted: boolean,
): void => {
  c.ipGc += ips;
  if (ips > 0) bump(c.traceReleased, reason, ips);
  if (endpointDeleted) c.endpointsDeleted++;
};
