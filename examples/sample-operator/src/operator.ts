// The part to copy: one Store, one Lease, and every controller started while (and only while) this
// process leads, writing through a fenced Store so a deposed leader cannot write even before its loops
// have noticed. Reads and the election itself use the plain Store.
import {
  type AbortSignalLike,
  createAbortLatch,
  createGcCounters,
  createLeaderElector,
  fencedStore,
  runAutoPoolController,
  runControllers,
  runCoordinatorController,
  runGcLoop,
  runNadController,
  type Store,
} from '@spiderpool-ts/core';
import { nodeSleep } from '@spiderpool-ts/k8s';
import type { ResultAsync } from 'neverthrow';
import type { OperatorArgs } from './args.ts';
import type { OperatorCounters } from './metrics.ts';

export type Log = (line: string) => void;

/** setTimeout that resolves early when `signal` aborts. */
export const sleep = (ms: number, signal: AbortSignalLike): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

export interface Operator {
  readonly counters: OperatorCounters;
  /** true while the last lease attempt reached the API server. */
  reachable(): boolean;
  /** Resolves after the controllers stopped and the Lease was released. */
  readonly done: Promise<void>;
  stop(): void;
}

const bump = (m: Record<string, number>, k: string) => {
  m[k] = (m[k] ?? 0) + 1;
};

/** Starts every controller on `store` under `leading`; a controller that fails to start is logged. */
const startControllers = (
  store: Store,
  leading: AbortSignalLike,
  args: OperatorArgs,
  c: OperatorCounters,
  log: Log,
) => {
  const err = (controller: string) => (detail: string) => {
    bump(c.errors, controller);
    log(`${controller}: ${detail}`);
  };
  const started = (name: string, r: ResultAsync<unknown, { message: string }>) =>
    void r.then((x) =>
      x.isOk() ? log(`${name} started`) : err(name)(`failed to start: ${x.error.message}`),
    );

  // The informer-backed loops (status, auto-pools, NAD) reconnect with backoff on a dropped watch or 410:
  // `sleep: nodeSleep` gives them real time (each loop owns its informers and stops them with `leading`).
  const informed = {
    signal: leading,
    sleep: nodeSleep,
    onWatchError: (e: { message: string }) => log(`watch: ${e.message}`),
  };
  started(
    'pool/subnet status controllers',
    runControllers(store, { ...informed, onError: (k, e) => err('status')(`${k}: ${e.message}`) }),
  );
  started(
    'auto-pool controller',
    runAutoPoolController(store, {
      ...informed,
      onError: (a, e) => err('autopool')(`${a.kind}/${a.namespace}/${a.name}: ${e.message}`),
    }),
  );
  started(
    'NAD controller',
    runNadController(store, {
      ...informed,
      onError: (k, e) => err('nad')(`${k}: ${e.message}`),
      onReconciled: (k, outcome) => {
        bump(c.nadReconciles, outcome);
        if (outcome !== 'unchanged' && outcome !== 'absent') log(`NAD ${k} ${outcome}`);
      },
    }),
  );
  started(
    'SpiderCoordinator controller',
    runCoordinatorController(store, {
      signal: leading,
      sleep,
      resyncSeconds: args.coordinatorResyncSeconds,
      onError: (e) => {
        if (e._tag !== 'Invalid') err('coordinator')(e.message);
      },
      onReconciled: (outcome, s) => {
        if (outcome === 'updated')
          log(`SpiderCoordinator default: ${s?.phase}${s?.reason ? ` (${s.reason})` : ''}`);
      },
    }),
  );
  started(
    'GC loop',
    runGcLoop(store, {
      signal: leading,
      now: () => new Date(),
      sleep,
      counters: c.gc,
      settings: {
        intervalSeconds: args.gcIntervalSeconds,
        additionalGraceDelaySeconds: args.gcAdditionalGraceDelaySeconds,
      },
      onError: (e) => err('gc')(e.message),
      onPass: (r) => log(`GC pass: ${r.scanned} records, ${r.released} released, ${r.traced} traced`),
      onTraceRelease: (e, o) => {
        if (o._tag === 'Released')
          log(`GC trace: ${e.key} (${e.reason}) released ${o.ips.join(', ') || 'no IPs'}`);
      },
    }),
  );
};

// The admission webhook server is not under the Lease: every replica serves it (src/webhook.ts, started
// by main.ts before this), since the API server calls whichever Pod its Service picks.
export const startOperator = (store: Store, args: OperatorArgs, log: Log): Operator => {
  const stopLatch = createAbortLatch();
  const counters: OperatorCounters = { gc: createGcCounters(), leader: false, nadReconciles: {}, errors: {} };
  let reachable = false;
  const elector = createLeaderElector(store, {
    namespace: args.leaseNamespace,
    name: args.leaseName,
    identity: args.identity,
    now: () => new Date(),
    leaseDurationSeconds: args.leaseDurationSeconds,
    renewDeadlineSeconds: args.renewDeadlineSeconds,
    retryPeriodSeconds: args.retryPeriodSeconds,
  });
  const done = elector.run({
    signal: stopLatch.signal,
    sleep,
    onStartedLeading: (leading) => {
      reachable = true;
      counters.leader = true;
      log(`leading: holds Lease ${args.leaseNamespace}/${args.leaseName} as ${args.identity}`);
      startControllers(fencedStore(store, elector.isLeader), leading, args, counters, log);
    },
    onStoppedLeading: () => {
      counters.leader = false;
      log('stopped leading: controllers stopped');
    },
    onNewLeader: (id) => {
      reachable = true;
      log(id === '' ? 'Lease is free' : `standby: Lease held by ${id}`);
    },
    onError: (e) => {
      reachable = false;
      bump(counters.errors, 'lease');
      log(`lease: ${e.message}`);
    },
  });
  return {
    counters,
    reachable: () => reachable || elector.isLeader(),
    done: done.then(() => log('Lease released; stopped')),
    stop: () => stopLatch.abort(),
  };
};
