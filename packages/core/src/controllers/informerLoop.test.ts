import { describe, expect, it } from 'vitest';
import type { SpiderIPPool } from '../api/index.ts';
import type { InformerError } from '../informer/errors.ts';
import { createMemoryStore, storeGone } from '../store/index.ts';
import { flakyStore, realSleep, until } from '../testing/flakyStore.ts';
import { runControllers } from './runControllers.ts';

const SP = 'spiderpool.spidernet.io/v2beta1';
const pool = (name: string, third: number): SpiderIPPool => ({
  apiVersion: SP,
  kind: 'SpiderIPPool',
  metadata: { name },
  spec: { subnet: `10.0.${third}.0/24`, ipVersion: 4, ips: [`10.0.${third}.1-10.0.${third}.4`] },
});

const total = async (store: ReturnType<typeof flakyStore>, name: string) =>
  (await store.inner.get<SpiderIPPool>({ kind: 'SpiderIPPool', name })).map((p) => p.status?.totalIPCount);

describe('controllers on informers', () => {
  it('recover from a cut watch and from 410 Gone, report each, and reconcile what changed meanwhile', async () => {
    const store = flakyStore(createMemoryStore({ now: () => new Date(0), historyLimit: 2 }));
    const errors: InformerError[] = [];
    const ac = new AbortController();
    (
      await runControllers(store, {
        signal: ac.signal,
        sleep: realSleep,
        backoff: { baseMs: 1, capMs: 5 },
        onWatchError: (e) => errors.push(e),
      })
    )._unsafeUnwrap();
    await store.create(pool('before', 1));
    await until(() => errors.length === 0 && store.calls.updateStatus === 1);

    // a dropped connection: resumed from the last version
    store.watchesDown = true;
    store.cut();
    await store.inner.create(pool('during-cut', 2));
    await until(() => errors.length >= 2);
    store.watchesDown = false;
    await until(() => (store.calls.updateStatus ?? 0) >= 2);
    expect((await total(store, 'during-cut'))._unsafeUnwrap()).toBe(4);

    // an expired resourceVersion: relist, the missed pools are reconciled
    store.watchesDown = true;
    store.cut(storeGone({ kind: 'SpiderIPPool' }, '1'));
    for (let i = 0; i < 4; i++) await store.inner.create(pool(`during-gone-${i}`, 10 + i));
    store.watchesDown = false;
    await until(() => (store.calls.updateStatus ?? 0) >= 6, 4000);
    for (let i = 0; i < 4; i++) expect((await total(store, `during-gone-${i}`))._unsafeUnwrap()).toBe(4);
    expect(errors.some((e) => e._tag === 'InformerWatchFailed' && e.relist)).toBe(true);
    expect(errors.some((e) => e._tag === 'InformerWatchFailed' && !e.relist)).toBe(true);
    ac.abort();
  });

  it('start fails loudly (typed, at the deadline) when the store cannot be reached', async () => {
    const store = flakyStore();
    store.down = true;
    const r = await runControllers(store, {
      signal: new AbortController().signal,
      sleep: realSleep,
      backoff: { baseMs: 1, capMs: 2 },
      startTimeoutMs: 30,
    });
    expect(r.isErr() && r.error._tag).toBe('InformerStartTimeout');
  });
});
