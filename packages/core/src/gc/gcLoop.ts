// The GC loop of the leading operator: Spiderpool's two paths over one Store.
// - Trace path (§3.8 A): a Pod watch feeds a trace database (traceEntry.ts); every traceGap seconds the due
//   entries are released (traceRelease.ts), failures retried up to maxRetries times. A watch that ends with
//   ERROR is re-opened after a pause (a fresh watch replays every Pod as ADDED; deletions missed meanwhile
//   are the scan-all pass's job).
// - Scan-all (§3.8 B): runGcPass at start and every intervalSeconds (SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION,
//   600 s); `scanNow()` is the CLI trigger.
// Counters (gcCounters.ts) say what was reclaimed and why. The clock and the sleep are injected.
import { okAsync, type ResultAsync } from 'neverthrow';
import type { KubeObject, Pod } from '../api/index.ts';
import { KIND_POD } from '../api/index.ts';
import type { AbortSignalLike } from '../controllers/watchLoop.ts';
import type { IpamError } from '../ipam/errors.ts';
import type { Store, StoreError, WatchEvent, WatchHandle } from '../store/index.ts';
import { countScan, countTrace, createGcCounters, type GcCounters } from './gcCounters.ts';
import { type GcReport, runGcPass } from './gcPass.ts';
import { DEFAULT_GC_SETTINGS, type GcSettings } from './settings.ts';
import { type TraceEntry, traceEntryFor } from './traceEntry.ts';
import { releaseTracedPod, type TraceReleaseOutcome } from './traceRelease.ts';

export interface GcLoopOptions {
  signal: AbortSignalLike;
  now: () => Date;
  /** Waits `ms`, resolving early when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignalLike) => Promise<void>;
  settings?: Partial<GcSettings>;
  /** Trace worker tick, SPIDERPOOL_GC_TRACE_POD_GAP_DURATION (default 5 s). */
  traceGapSeconds?: number;
  /** Trace database size, SPIDERPOOL_GC_MAX_PODENTRY_DB_CAP (default 100000); beyond it new Pods wait for scan-all. */
  maxTraced?: number;
  /** Attempts per traced Pod, SPIDERPOOL_GC_PODENTRY_MAX_RETRIES (default 5). */
  maxRetries?: number;
  /** Pause before re-opening a Pod watch that ended with ERROR (default 1 s). */
  rewatchSeconds?: number;
  /** Counters to add to (default: a fresh object, see the handle). */
  counters?: GcCounters;
  /** Skip the scan-all pass at start (tests of the trace path alone). */
  noInitialScan?: boolean;
  onPass?: (report: GcReport) => void;
  onTraceRelease?: (entry: TraceEntry, outcome: TraceReleaseOutcome) => void;
  onError?: (error: IpamError | StoreError) => void;
}

export interface GcLoopHandle {
  readonly counters: GcCounters;
  /** The trace database now. */
  traced(): TraceEntry[];
  /** One scan-all pass now (joins one already running). */
  scanNow(): Promise<GcReport | undefined>;
  /** Releases the due trace entries now. */
  traceNow(): Promise<void>;
  /** Resolves once both loops have ended after the signal aborted. */
  readonly stopped: Promise<void>;
}

interface Traced extends TraceEntry {
  attempts: number;
}

export const runGcLoop = (store: Store, options: GcLoopOptions): ResultAsync<GcLoopHandle, StoreError> => {
  const settings: GcSettings = { ...DEFAULT_GC_SETTINGS, ...options.settings };
  const counters = options.counters ?? createGcCounters();
  const signal = options.signal;
  const db = new Map<string, Traced>();
  const maxTraced = options.maxTraced ?? 100_000;
  const maxRetries = options.maxRetries ?? 5;
  let watch: WatchHandle | undefined;

  const onPod = (ev: WatchEvent<KubeObject>): void => {
    if (ev.type === 'ERROR') {
      options.onError?.(ev.error);
      watch = undefined;
      void options.sleep((options.rewatchSeconds ?? 1) * 1000, signal).then(() => {
        if (!signal.aborted) void openWatch();
      });
      return;
    }
    if (ev.type === 'BOOKMARK') return;
    const pod = ev.object as Pod;
    const id = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}#${pod.metadata.uid ?? ''}`;
    const entry = traceEntryFor(pod, ev.type === 'DELETED', settings, options.now());
    const had = db.get(id);
    if (entry === undefined) {
      db.delete(id);
    } else if (had === undefined) {
      if (db.size < maxTraced) db.set(id, { ...entry, attempts: 0 });
    } else {
      const due = entry.due.getTime() < had.due.getTime() ? entry.due : had.due;
      db.set(id, { ...entry, due, attempts: had.attempts });
    }
    counters.traced = db.size;
  };

  const openWatch = (): ResultAsync<void, StoreError> =>
    store.watch<KubeObject>(KIND_POD, {}, onPod).map((h): undefined => {
      if (signal.aborted) h.close();
      else watch = h;
      return undefined;
    });

  const traceNow = async (): Promise<void> => {
    const now = options.now().getTime();
    const due = [...db].filter(([, e]) => e.due.getTime() <= now);
    for (const [id, e] of due) {
      if (signal.aborted) return;
      const r = await releaseTracedPod(store, e, settings);
      if (r.isOk()) {
        db.delete(id);
        const o = r.value;
        if (o._tag === 'Released') countTrace(counters, e.reason, o.ips.length, o.endpoint === 'deleted');
        options.onTraceRelease?.(e, o);
      } else {
        options.onError?.(r.error);
        const cur = db.get(id);
        if (cur !== undefined) {
          cur.attempts++;
          if (cur.attempts >= maxRetries) {
            db.delete(id);
            counters.ipGcFailures++;
          }
        }
      }
    }
    counters.traced = db.size;
  };

  let scanning: Promise<GcReport | undefined> | undefined;
  const scanNow = (): Promise<GcReport | undefined> => {
    scanning ??= (async () => {
      const r = await runGcPass(store, { now: options.now, settings });
      scanning = undefined;
      if (r.isErr()) {
        counters.scanPassFailures++;
        options.onError?.(r.error);
        return undefined;
      }
      countScan(counters, r.value);
      for (const e of r.value.errors) options.onError?.(e);
      options.onPass?.(r.value);
      return r.value;
    })();
    return scanning;
  };

  const scanLoop = async (): Promise<void> => {
    if (options.noInitialScan) await options.sleep(settings.intervalSeconds * 1000, signal);
    while (!signal.aborted) {
      await scanNow();
      await options.sleep(settings.intervalSeconds * 1000, signal);
    }
  };
  const traceLoop = async (): Promise<void> => {
    while (!signal.aborted) {
      await options.sleep((options.traceGapSeconds ?? 5) * 1000, signal);
      if (!signal.aborted) await traceNow();
    }
  };

  if (!settings.enabled) {
    return okAsync({
      counters,
      traced: () => [],
      scanNow: () => Promise.resolve(undefined),
      traceNow: () => Promise.resolve(),
      stopped: Promise.resolve(),
    });
  }
  return openWatch().map(() => {
    signal.addEventListener('abort', () => watch?.close(), { once: true });
    const stopped = Promise.all([scanLoop(), traceLoop()]).then(() => undefined);
    return {
      counters,
      traced: () => [...db.values()].map(({ attempts: _, ...e }) => e),
      scanNow,
      traceNow,
      stopped,
    };
  });
};
