// Evicting the Pods that use the VFs about to be re-created, through the Eviction API (PodEvictor:
// `pods/<name>/eviction` on a real API server, the same budget check over any other Store). A blocked
// eviction is retried every `retryMs` until `timeoutMs`; each round's blocked list is reported (the daemon
// writes it into the node state), and at the deadline the drain fails with the Pods and the reasons.
// An evicted Pod counts as gone once the Store no longer has it.
import type { EvictionBlocked, PodEvictor, Store } from '@spiderpool-ts/core';
import { err, ok, type Result, ResultAsync } from 'neverthrow';
import { sleep } from './deadline.ts';
import { type DaemonError, drainBlocked, storeFailed } from './errors.ts';
import type { PodUse } from './podUsage.ts';

export interface DrainOptions {
  store: Store;
  evictor: PodEvictor;
  nodeName: string;
  pods: readonly PodUse[];
  timeoutMs: number;
  retryMs: number;
  now: () => number;
  /** Called after every round with the evictions still blocked ([] when none). */
  onBlocked: (blocked: EvictionBlocked[]) => Promise<void>;
}

const gone = async (store: Store, p: PodUse): Promise<Result<boolean, DaemonError>> => {
  const got = await store.get({ kind: 'Pod', namespace: p.namespace, name: p.name });
  if (got.isOk()) return ok(false);
  return got.error._tag === 'NotFound'
    ? ok(true)
    : err(storeFailed(`read pod ${p.namespace}/${p.name}`, got.error));
};

const run = async (o: DrainOptions): Promise<Result<void, DaemonError>> => {
  const deadline = o.now() + o.timeoutMs;
  let pending = [...o.pods];
  let blocked: EvictionBlocked[] = [];
  for (;;) {
    blocked = [];
    const still: PodUse[] = [];
    for (const p of pending) {
      const r = await o.evictor.evict({ namespace: p.namespace, name: p.name });
      if (r.isErr()) {
        if (r.error._tag !== 'EvictionBlocked')
          return err(storeFailed(`evict pod ${p.namespace}/${p.name}`, r.error));
        blocked.push(r.error);
        still.push(p);
        continue;
      }
      const g = await gone(o.store, p);
      if (g.isErr()) return err(g.error);
      if (!g.value) still.push(p);
    }
    pending = still;
    await o.onBlocked(blocked);
    if (pending.length === 0) return ok(undefined);
    if (o.now() + o.retryMs > deadline) return err(drainBlocked(o.nodeName, blocked));
    await sleep(o.retryMs);
  }
};

export const drainPods = (o: DrainOptions): ResultAsync<void, DaemonError> => new ResultAsync(run(o));
