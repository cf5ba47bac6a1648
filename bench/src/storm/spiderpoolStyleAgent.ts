// A Spiderpool-style agent over any Store, the baseline of the HTTP storms (reference §3.5, what
// spiderpool-agent does per ADD): GET the Pod, LIST the pools (candidate selection; cluster defaults in
// random order, as Spiderpool's unstable sort leaves equal-priority pools), then per candidate pool GET it
// from the API server (no cache), parse the whole `status.allocatedIPs`, return the Pod's own record if it
// has one, pick the lowest free IP of `spec.ips`, re-encode the whole status and write it with
// compare-and-swap; a Conflict retries after 10 ms x1.5 (10 % jitter), 5 attempts. Requests of one agent
// whose pools intersect run one at a time (its ticket limiter). The SpiderEndpoint is created afterwards.
// Not modelled: SpiderReservedIPs (the storm has none) and the IP-conflict / gateway detection (off by
// default in Spiderpool).
import {
  encodeAllocatedIPs,
  formatIPValue,
  type Pod,
  type PoolIPAllocation,
  parseIPRanges,
  type SpiderEndpoint,
  type SpiderIPPool,
  type Store,
} from '@spiderpool-ts/core';
import type { AddOutcome, StormAgent } from './driver.ts';
import type { StormPod } from './world.ts';

/** Spiderpool's `DefaultRetry{Steps:5, Duration:10ms, Factor:1.5, Jitter:0.1}` on the status update. */
export const SPIDERPOOL_RETRY = { steps: 5, durationMs: 10, factor: 1.5, jitter: 0.1 } as const;
/** `SPIDERPOOL_IPPOOL_MAX_ALLOCATED_IPS`. */
export const SPIDERPOOL_MAX_ALLOCATED_IPS = 5000;

export interface SpiderpoolStyleCounters {
  writes: number;
  conflicts: number;
}

export interface SpiderpoolStyleOptions {
  store: Store;
  nodeName: string;
  namespace: string;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Shared counters (one object for all agents of a run is fine). */
  counters: SpiderpoolStyleCounters;
}

type Pick = { ip: string; pool: SpiderIPPool } | { failure: AddOutcome };

const failed = (tag: string, message: string, retryable: boolean): { failure: AddOutcome } => ({
  failure: { ok: false, tag, message, retryable },
});

/** Lowest free IP of the pool's ranges, walked from the start as Spiderpool's FindAvailableIPs does. */
const lowestFree = (pool: SpiderIPPool, used: ReadonlySet<string>): string | undefined => {
  const ranges = parseIPRanges(4, pool.spec.ips ?? []);
  if (ranges.isErr()) return undefined;
  for (const iv of ranges.value.intervals) {
    for (let v = iv.start; v <= iv.end; v++) {
      const text = formatIPValue(4, v);
      if (!used.has(text)) return text;
    }
  }
  return undefined;
};

const parseRecords = (text: string | undefined): Record<string, PoolIPAllocation> => {
  const parsed: unknown = JSON.parse(text ?? '{}');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('allocatedIPs is not an object');
  return parsed as Record<string, PoolIPAllocation>;
};

export const createSpiderpoolStyleAgent = (o: SpiderpoolStyleOptions): StormAgent => {
  let tickets: Promise<unknown> = Promise.resolve();
  const { store, counters } = o;

  /** One pool, Spiderpool's AllocateIP: undefined when the pool is used up (the next one is tried). */
  const fromPool = async (name: string, podKey: string, uid: string): Promise<Pick | undefined> => {
    let delay = SPIDERPOOL_RETRY.durationMs;
    for (let step = 1; step <= SPIDERPOOL_RETRY.steps; step++) {
      const got = await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name });
      if (got.isErr()) return failed(`Store/${got.error._tag}`, got.error.message, true);
      const pool = got.value;
      const records = parseRecords(pool.status?.allocatedIPs);
      for (const [ip, r] of Object.entries(records)) if (r.podUid === uid) return { ip, pool };
      const ip = lowestFree(pool, new Set(Object.keys(records)));
      const count = Object.keys(records).length + 1;
      if (ip === undefined || count > SPIDERPOOL_MAX_ALLOCATED_IPS) return undefined;
      records[ip] = { pod: podKey, podUid: uid };
      const allocatedIPs = encodeAllocatedIPs(new Map(Object.entries(records)));
      const w = await store.updateStatus<SpiderIPPool>({
        ...pool,
        status: {
          ...pool.status,
          ...(allocatedIPs === undefined ? {} : { allocatedIPs }),
          allocatedIPCount: count,
        },
      });
      if (w.isOk()) {
        counters.writes++;
        return { ip, pool: w.value };
      }
      if (w.error._tag !== 'Conflict') return failed(`Store/${w.error._tag}`, w.error.message, true);
      counters.conflicts++;
      if (step < SPIDERPOOL_RETRY.steps) {
        await o.sleep(delay * (1 + SPIDERPOOL_RETRY.jitter * o.random()));
        delay *= SPIDERPOOL_RETRY.factor;
      }
    }
    return failed(
      'RetriesExhausted',
      `exhaust all retries (${SPIDERPOOL_RETRY.steps} times), failed to allocate IP from IPPool ${name}`,
      true,
    );
  };

  const allocate = async (p: StormPod): Promise<AddOutcome> => {
    const pod = await store.get<Pod>({ kind: 'Pod', namespace: o.namespace, name: p.name });
    if (pod.isErr())
      return { ok: false, tag: `Store/${pod.error._tag}`, message: pod.error.message, retryable: true };
    const uid = pod.value.metadata.uid ?? '';
    const pools = await store.list<SpiderIPPool>('SpiderIPPool');
    if (pools.isErr())
      return { ok: false, tag: `Store/${pools.error._tag}`, message: pools.error.message, retryable: true };
    const candidates = pools.value.items
      .filter((x) => x.spec.default === true && x.spec.disable !== true)
      .map((x) => ({ name: x.metadata.name ?? '', key: o.random() }))
      .sort((a, b) => a.key - b.key);
    // The ticket limiter: this agent's requests on intersecting pool sets (here: all) run one at a time.
    const run = tickets.then(async (): Promise<Pick | undefined> => {
      for (const c of candidates) {
        const r = await fromPool(c.name, `${o.namespace}/${p.name}`, uid);
        if (r !== undefined) return r;
      }
      return undefined;
    });
    tickets = run.catch(() => undefined);
    const picked = await run;
    if (picked === undefined)
      return { ok: false, tag: 'NoFreeIP', message: 'all IP addresses used out', retryable: false };
    if ('failure' in picked) return picked.failure;
    const prefix = picked.pool.spec.subnet.split('/')[1] ?? '32';
    const ep: SpiderEndpoint = {
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderEndpoint',
      metadata: { namespace: o.namespace, name: p.name, finalizers: ['spiderpool.spidernet.io'] },
      status: {
        current: {
          uid,
          node: o.nodeName,
          ips: [
            {
              interface: 'eth0',
              ipv4: `${picked.ip}/${prefix}`,
              ipv4Pool: picked.pool.metadata.name ?? '',
              ...(picked.pool.spec.gateway === undefined ? {} : { ipv4Gateway: picked.pool.spec.gateway }),
              vlan: 0,
            },
          ],
        },
        ownerControllerType: 'Pod',
        ownerControllerName: p.name,
      },
    };
    const created = await store.create(ep);
    // AlreadyExists: a kubelet retry after the endpoint was written; the IP is the same record.
    if (created.isErr() && created.error._tag !== 'AlreadyExists')
      return {
        ok: false,
        tag: `Store/${created.error._tag}`,
        message: created.error.message,
        retryable: true,
      };
    return { ok: true };
  };
  return { add: allocate };
};
