// The allocator cache must stay in step with the pool status while a batch write is in flight: a concurrent
// `explain` reading an older pool object must not diff the allocator the writer is using, or after the write
// the cache would claim the new resourceVersion without the batch's records (an IP handed out twice).

import { okAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import type { SpiderIPPool } from '../api/index.ts';
import type { BeforeWrite, Store } from '../store/index.ts';
import { createIpamEngine } from './engine.ts';
import { addReq, engineWorld, ipPool, noSleepRandom, pod } from './engineTestKit.ts';

/** A beforeWrite hook that holds the first pool status write until `open()` is called. */
const gate = () => {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  let arrived: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  let held = false;
  const hook: BeforeWrite = (op) => {
    if (held || op.verb !== 'updateStatus' || op.kind !== 'SpiderIPPool') return undefined;
    held = true;
    arrived();
    return opened.then(() => undefined);
  };
  return { hook, open, reached };
};

/** A Store whose SpiderIPPool list can be frozen (an informer cache that lags behind the API server). */
const laggingStore = (store: Store) => {
  let frozen: readonly SpiderIPPool[] | undefined;
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'list')
        return (kind: string, opts?: unknown) =>
          kind === 'SpiderIPPool' && frozen !== undefined
            ? okAsync({ items: frozen.map((p) => structuredClone(p)), resourceVersion: '0' })
            : (target.list as (k: string, o?: unknown) => unknown)(kind, opts);
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return {
    store: proxy,
    freeze: async () => {
      frozen = (await store.list<SpiderIPPool>('SpiderIPPool'))._unsafeUnwrap().items;
    },
  };
};

const world = async () => {
  const w = engineWorld();
  await w.create(ipPool('p4', '10.0.0.0/24', { ips: ['10.0.0.10-10.0.0.20'], default: true }));
  for (const n of ['a', 'b', 'c']) await w.create(pod('default', n));
  const lag = laggingStore(w.store);
  const engine = createIpamEngine({ store: lag.store, nodeName: 'node-1', ...noSleepRandom(3) });
  return { ...w, engine, lag };
};

describe('allocator cache during an in-flight pool write', () => {
  it('an explain with a stale pool list while a write is held does not lose records', async () => {
    const w = await world();
    await w.lag.freeze(); // the pool as it was before any allocation
    (await w.engine.allocate(addReq('default', 'a')))._unsafeUnwrap();
    const g = gate();
    w.store.setBeforeWrite(g.hook);
    const addB = w.engine.allocate(addReq('default', 'b'));
    await g.reached;
    (await w.engine.explain('default', 'c', 'eth0'))._unsafeUnwrap();
    g.open();
    const b = (await addB)._unsafeUnwrap();
    const c = (await w.engine.allocate(addReq('default', 'c')))._unsafeUnwrap();
    expect(b.ips[0]?.address).toBe('10.0.0.11/24');
    expect(c.ips[0]?.address).toBe('10.0.0.12/24');
    const recs = await w.records('p4');
    expect([...recs.keys()].sort()).toEqual(['10.0.0.10', '10.0.0.11', '10.0.0.12']);
    expect(recs.get('10.0.0.10')?.pod).toBe('default/a');
    expect((await w.getPool('p4')).status?.allocatedIPCount).toBe(3);
    w.engine.dispose();
  });
});
