import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/meta.ts';
import type { Store, WatchListener, WatchOptions } from '../store/index.ts';
import {
  type FlakyStore,
  flakyStore,
  realSleep,
  type TestPool,
  testPool,
  until,
} from '../testing/flakyStore.ts';
import { timers } from '../testing/timers.ts';
import { createCachedStore } from './cachedStore.ts';
import { createInformerSet } from './informerSet.ts';

const setup = async () => {
  const server = flakyStore();
  await server.create(testPool('p'));
  await server.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } });
  const informers = createInformerSet(server, { sleep: realSleep, backoff: { baseMs: 1, capMs: 5 } });
  informers.informer('SpiderIPPool');
  informers.informer('Namespace');
  informers.informer('SpiderEndpoint');
  (await informers.start())._unsafeUnwrap();
  const store = createCachedStore(server, informers);
  return { server, informers, store };
};

const pod = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns' },
});

describe('createCachedStore', () => {
  it('serves get/list of informed kinds from the cache, without a request', async () => {
    const { server, store, informers } = await setup();
    const before = { ...server.calls };
    expect((await store.get<TestPool>({ kind: 'SpiderIPPool', name: 'p' }))._unsafeUnwrap().spec.subnet).toBe(
      '10.0.0.0/24',
    );
    expect((await store.list('SpiderIPPool'))._unsafeUnwrap().items.length).toBe(1);
    expect((await store.get({ kind: 'Namespace', name: 'ns' })).isOk()).toBe(true);
    // a synced whole-kind cache is authoritative: a miss is NotFound without asking
    const miss = await store.get({ kind: 'SpiderEndpoint', namespace: 'ns', name: 'nope' });
    expect(miss.isErr() && miss.error._tag).toBe('NotFound');
    expect(server.calls).toEqual(before);
    expect(store.stats.cacheReads).toBe(4);
    informers.stop();
  });

  it('kinds without an informer, and read-through kinds on a miss, go to the server', async () => {
    const { server, store, informers } = await setup();
    await server.create(pod('a'));
    const gets = server.calls.get ?? 0;
    expect((await store.get({ kind: 'Pod', namespace: 'ns', name: 'a' })).isOk()).toBe(true);
    expect(server.calls.get).toBe(gets + 1);
    informers.stop();
  });

  it('reads its own writes at once, and a Conflict refreshes from the server unless the cache is newer', async () => {
    const { server, store, informers } = await setup();
    const p = (await store.get<TestPool>({ kind: 'SpiderIPPool', name: 'p' }))._unsafeUnwrap();
    const written = (await store.update({ ...p, spec: { ...p.spec, ips: ['10.0.0.11'] } }))._unsafeUnwrap();
    const again = (await store.get<TestPool>({ kind: 'SpiderIPPool', name: 'p' }))._unsafeUnwrap();
    expect(again.metadata.resourceVersion).toBe(written.metadata.resourceVersion);
    // another writer changes it behind the cache's back: the stale write conflicts
    informers.stop();
    const live = createInformerSet(server, { sleep: realSleep });
    live.informer('SpiderIPPool');
    (await live.start())._unsafeUnwrap();
    const cached = createCachedStore(server, live);
    const other = (await server.get<TestPool>({ kind: 'SpiderIPPool', name: 'p' }))._unsafeUnwrap();
    const stale = (await cached.get<TestPool>({ kind: 'SpiderIPPool', name: 'p' }))._unsafeUnwrap();
    await server.inner.update({ ...other, spec: { ...other.spec, ips: ['10.0.0.12'] } });
    // before the watch event arrives, a write from the stale copy conflicts
    const conflict = await cached.update({ ...stale, spec: { ...stale.spec, ips: ['10.0.0.13'] } });
    expect(conflict.isErr() && conflict.error._tag).toBe('Conflict');
    await until(() => live.whole<TestPool>('SpiderIPPool')?.get('p')?.spec.ips[0] === '10.0.0.12');
    const gets = server.calls.get ?? 0;
    // the cache has seen the newer version: served from it
    const fresh = (await cached.get<TestPool>({ kind: 'SpiderIPPool', name: 'p' }))._unsafeUnwrap();
    expect(fresh.spec.ips).toEqual(['10.0.0.12']);
    expect(server.calls.get ?? 0).toBe(gets);
    // a conflict where the cache is not newer (its watch is down) reads from the server, once
    server.watchesDown = true;
    server.cut();
    await server.inner.update({ ...fresh, spec: { ...fresh.spec, ips: ['10.0.0.15'] } });
    await cached.update({ ...fresh, spec: { ...fresh.spec, ips: ['10.0.0.14'] } });
    const fromServer = (await cached.get<TestPool>({ kind: 'SpiderIPPool', name: 'p' }))._unsafeUnwrap();
    expect(server.calls.get ?? 0).toBe(gets + 1);
    expect(fromServer.spec.ips).toEqual(['10.0.0.15']);
    // ... and the answer refreshed the cache
    expect(
      (await cached.get<TestPool>({ kind: 'SpiderIPPool', name: 'p' }))._unsafeUnwrap().spec.ips,
    ).toEqual(['10.0.0.15']);
    expect(server.calls.get ?? 0).toBe(gets + 1);
    expect(cached.stats.conflicts).toBe(2);
    live.stop();
  });

  it('falls back to the server while the informer is not synced or stopped', async () => {
    const { server, store, informers } = await setup();
    informers.stop();
    const lists = server.calls.list ?? 0;
    expect((await store.list('SpiderIPPool')).isOk()).toBe(true);
    expect(server.calls.list).toBe(lists + 1);
  });
});

/** `server` whose watch events are held back while `lag` is set (a watch running behind the server). */
const laggingWatches = (server: FlakyStore) => {
  const held: (() => void)[] = [];
  const ctl = {
    lag: false,
    release: () => {
      ctl.lag = false;
      for (const deliver of held.splice(0)) deliver();
    },
  };
  const store: Store = {
    ...server,
    watch: <T extends KubeObject>(kind: string, o: WatchOptions, l: WatchListener<T>) =>
      server.watch<T>(kind, o, (ev) => {
        if (ctl.lag && ev.type !== 'ERROR') held.push(() => l(ev));
        else l(ev);
      }),
  };
  return { store, ctl };
};

describe('createCachedStore after a Conflict (ADR 0030)', () => {
  const world = async (conflictWaitMs: number) => {
    const server = flakyStore();
    await server.create(testPool('p'));
    const { store: lagging, ctl } = laggingWatches(server);
    const informers = createInformerSet(lagging, { sleep: realSleep });
    informers.informer('SpiderIPPool');
    (await informers.start())._unsafeUnwrap();
    const cached = createCachedStore(lagging, informers, { conflictWaitMs });
    /** Another writer commits behind the cache's back (its event held), then our write from the cache conflicts. */
    const conflictBehindTheWatch = async (ip: string) => {
      const stale = (await cached.get<TestPool>({ kind: 'SpiderIPPool', name: 'p' }))._unsafeUnwrap();
      ctl.lag = true;
      const other = (
        await server.inner.update({ ...stale, spec: { ...stale.spec, ips: [ip] } })
      )._unsafeUnwrap();
      const refused = await cached.update({ ...stale, spec: { ...stale.spec, ips: ['10.0.0.99'] } });
      expect(refused.isErr() && refused.error._tag).toBe('Conflict');
      return { stale, other };
    };
    return { server, ctl, informers, cached, conflictBehindTheWatch };
  };

  it('waits for the watch to bring a newer version instead of re-reading the refused one or the server', async () => {
    const { server, ctl, informers, cached, conflictBehindTheWatch } = await world(5000);
    const { stale, other } = await conflictBehindTheWatch('10.0.0.12');
    const gets = server.calls.get ?? 0;
    let settled = false;
    const pending = cached.get<TestPool>({ kind: 'SpiderIPPool', name: 'p' }).map((p) => {
      settled = true;
      return p;
    });
    await new Promise<void>((r) => timers.setTimeout(r, 30));
    // the cache still holds the refused version: the get is waiting, not answering with it
    expect(settled).toBe(false);
    expect(informers.whole<TestPool>('SpiderIPPool')?.get('p')?.metadata.resourceVersion).toBe(
      stale.metadata.resourceVersion,
    );
    ctl.release();
    const fresh = (await pending)._unsafeUnwrap();
    expect(fresh.metadata.resourceVersion).toBe(other.metadata.resourceVersion);
    expect(fresh.spec.ips).toEqual(['10.0.0.12']);
    expect(server.calls.get ?? 0).toBe(gets);
    expect(cached.stats).toMatchObject({ conflicts: 1, conflictWaits: 1, conflictWaitsSeen: 1 });
    informers.stop();
  });

  it('reads from the server when the watch does not catch up by the deadline', async () => {
    const { server, ctl, informers, cached, conflictBehindTheWatch } = await world(20);
    const { other } = await conflictBehindTheWatch('10.0.0.13');
    const gets = server.calls.get ?? 0;
    const fresh = (await cached.get<TestPool>({ kind: 'SpiderIPPool', name: 'p' }))._unsafeUnwrap();
    expect(fresh.metadata.resourceVersion).toBe(other.metadata.resourceVersion);
    expect(server.calls.get ?? 0).toBe(gets + 1);
    expect(cached.stats).toMatchObject({ conflictWaits: 1, conflictWaitsSeen: 0, serverReads: 1 });
    // the next get is an ordinary cache read again (the server's answer refreshed the cache)
    expect(
      (await cached.get<TestPool>({ kind: 'SpiderIPPool', name: 'p' }))._unsafeUnwrap().spec.ips,
    ).toEqual(['10.0.0.13']);
    expect(server.calls.get ?? 0).toBe(gets + 1);
    ctl.release();
    informers.stop();
  });

  it('conflictWaitMs 0 reads from the server at once', async () => {
    const { server, ctl, informers, cached, conflictBehindTheWatch } = await world(0);
    await conflictBehindTheWatch('10.0.0.14');
    const gets = server.calls.get ?? 0;
    expect(
      (await cached.get<TestPool>({ kind: 'SpiderIPPool', name: 'p' }))._unsafeUnwrap().spec.ips,
    ).toEqual(['10.0.0.14']);
    expect(server.calls.get ?? 0).toBe(gets + 1);
    expect(cached.stats.conflictWaits).toBe(0);
    ctl.release();
    informers.stop();
  });
});
