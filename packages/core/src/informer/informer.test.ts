import { errAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { createMemoryStore, storeUnauthorized } from '../store/index.ts';
import { flakyStore, realSleep, type TestPool, testPool, until } from '../testing/flakyStore.ts';
import type { InformerError } from './errors.ts';
import { createInformer } from './informer.ts';
import type { InformerEvent } from './types.ts';

const fast = { baseMs: 1, capMs: 5 };
const names = (xs: { metadata: { name: string } }[]) => xs.map((x) => x.metadata.name);

const setup = (historyLimit = 4096) => {
  const store = flakyStore(createMemoryStore({ now: () => new Date(0), historyLimit }));
  const errors: InformerError[] = [];
  const events: InformerEvent<TestPool>[] = [];
  const informer = createInformer<TestPool>(store, {
    kind: 'SpiderIPPool',
    sleep: realSleep,
    backoff: fast,
    onError: (e) => errors.push(e),
  });
  informer.subscribe((e) => events.push(e));
  return { store, informer, errors, events };
};

describe('informer', () => {
  it('lists, then follows the watch: get/list served from the cache', async () => {
    const { store, informer, events } = setup();
    await store.create(testPool('a'));
    (await informer.start())._unsafeUnwrap();
    expect(informer.hasSynced()).toBe(true);
    await store.create(testPool('b'));
    await until(() => informer.list().length === 2);
    expect(names(informer.list())).toEqual(['a', 'b']);
    expect(informer.get('b')?.spec.subnet).toBe('10.0.0.0/24');
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a', 'ADDED b']);
    // the cache hands out copies
    const copy = informer.get('a') as TestPool;
    copy.spec.subnet = 'changed';
    expect(informer.get('a')?.spec.subnet).toBe('10.0.0.0/24');
    informer.stop();
    expect(informer.health().state).toBe('stopped');
  });

  it('a cut watch is reported and resumed from the last version: changes during the outage arrive', async () => {
    const { store, informer, errors, events } = setup();
    (await informer.start())._unsafeUnwrap();
    store.down = true;
    store.cut();
    await until(() => errors.length >= 2);
    await store.inner.create(testPool('during'));
    store.down = false;
    await until(() => informer.get('during') !== undefined);
    expect(errors[0]?._tag).toBe('InformerWatchFailed');
    expect(errors[0]?._tag === 'InformerWatchFailed' && errors[0].relist).toBe(false);
    expect(informer.health().reconnects).toBeGreaterThanOrEqual(1);
    expect(informer.health().state).toBe('watching');
    expect(informer.health().consecutiveFailures).toBe(0);
    expect(events.map((e) => e.type)).toEqual(['ADDED']);
    informer.stop();
  });

  it('410 Gone relists and delivers the differences (added, modified, deleted while away)', async () => {
    const { store, informer, errors, events } = setup(2);
    await store.create(testPool('keep'));
    await store.create(testPool('drop'));
    (await informer.start())._unsafeUnwrap();
    store.down = true;
    store.cut();
    await until(() => errors.length >= 1);
    const keep = (await store.inner.get<TestPool>({ kind: 'SpiderIPPool', name: 'keep' }))._unsafeUnwrap();
    await store.inner.update({ ...keep, spec: { ...keep.spec, ips: ['10.0.0.10'] } });
    await store.inner.delete({ kind: 'SpiderIPPool', name: 'drop' });
    for (const n of ['n1', 'n2', 'n3']) await store.inner.create(testPool(n));
    store.down = false;
    await until(() => informer.health().relists === 1 && informer.list().length === 4);
    expect(errors.some((e) => e._tag === 'InformerWatchFailed' && e.cause._tag === 'Gone' && e.relist)).toBe(
      true,
    );
    expect(names(informer.list())).toEqual(['keep', 'n1', 'n2', 'n3']);
    expect(informer.get('keep')?.spec.ips).toEqual(['10.0.0.10']);
    const seen = events.slice(2).map((e) => `${e.type} ${e.object.metadata.name}`);
    expect(seen.sort()).toEqual(['ADDED n1', 'ADDED n2', 'ADDED n3', 'DELETED drop', 'MODIFIED keep']);
    // and the watch after the relist is live
    await store.create(testPool('after'));
    await until(() => informer.get('after') !== undefined);
    informer.stop();
  });

  it('start fails loudly at its deadline when the server cannot be reached', async () => {
    const store = flakyStore();
    store.down = true;
    const errors: InformerError[] = [];
    const informer = createInformer(store, {
      kind: 'SpiderIPPool',
      sleep: realSleep,
      backoff: fast,
      startTimeoutMs: 40,
      onError: (e) => errors.push(e),
    });
    const r = await informer.start();
    expect(r.isErr() && r.error._tag).toBe('InformerStartTimeout');
    expect(r.isErr() && r.error._tag === 'InformerStartTimeout' && r.error.cause?._tag).toBe('Unavailable');
    expect(errors.filter((e) => e._tag === 'InformerListFailed').length).toBeGreaterThan(1);
    expect(informer.health().state).toBe('stopped');
    const lists = store.calls.list ?? 0;
    await new Promise((res) => setTimeout(res, 20));
    expect(store.calls.list ?? 0).toBe(lists);
  });

  it('start fails at once for a request no retry can fix (unknown kind)', async () => {
    const informer = createInformer(flakyStore(), { kind: 'NoSuchKind', sleep: realSleep });
    const r = await informer.start();
    expect(r.isErr() && r.error._tag).toBe('InformerStartFailed');
  });

  it('resync re-delivers every cached object as MODIFIED with resync: true', async () => {
    const store = flakyStore();
    await store.create(testPool('a'));
    const events: InformerEvent<TestPool>[] = [];
    const informer = createInformer<TestPool>(store, { kind: 'SpiderIPPool', sleep: realSleep, resyncMs: 5 });
    informer.subscribe((e) => events.push(e));
    (await informer.start())._unsafeUnwrap();
    await until(() => events.filter((e) => e.resync).length >= 2);
    expect(
      events.filter((e) => e.resync).every((e) => e.type === 'MODIFIED' && e.object.metadata.name === 'a'),
    ).toBe(true);
    informer.stop();
  });

  it('maxFailures: gives up with InformerGaveUp and stops', async () => {
    const store = flakyStore();
    const errors: InformerError[] = [];
    const informer = createInformer(store, {
      kind: 'SpiderIPPool',
      sleep: realSleep,
      backoff: fast,
      maxFailures: 3,
      onError: (e) => errors.push(e),
    });
    (await informer.start())._unsafeUnwrap();
    store.down = true;
    store.cut();
    await until(() => informer.health().state === 'stopped');
    expect(errors.at(-1)?._tag).toBe('InformerGaveUp');
  });

  it('a label-selected informer keeps only matching objects; objects leaving the selector are DELETED', async () => {
    const store = flakyStore();
    const informer = createInformer<TestPool>(store, {
      kind: 'SpiderIPPool',
      labelSelector: { matchLabels: { team: 'a' } },
      sleep: realSleep,
    });
    await store.create(testPool('x', { team: 'a' }));
    await store.create(testPool('y', { team: 'b' }));
    (await informer.start())._unsafeUnwrap();
    expect(names(informer.list())).toEqual(['x']);
    const x = (await store.get<TestPool>({ kind: 'SpiderIPPool', name: 'x' }))._unsafeUnwrap();
    await store.update({ ...x, metadata: { ...x.metadata, labels: { team: 'b' } } });
    await until(() => informer.list().length === 0);
    informer.stop();
  });

  it('subscribe with replay: a listener joining a synced informer first gets every cached object as ADDED', async () => {
    const { store, informer } = setup();
    await store.create(testPool('a'));
    await store.create(testPool('b'));
    (await informer.start())._unsafeUnwrap();
    const late: string[] = [];
    informer.subscribe((e) => late.push(`${e.type} ${e.object.metadata.name}`), { replay: true });
    const plain: string[] = [];
    informer.subscribe((e) => plain.push(e.object.metadata.name));
    expect(late).toEqual(['ADDED a', 'ADDED b']);
    expect(plain).toEqual([]);
    informer.stop();
  });

  it('start fails at once when the credentials are refused (Unauthorized)', async () => {
    const store = flakyStore();
    const refusing = {
      ...store,
      list: () => errAsync(storeUnauthorized({ kind: 'SpiderIPPool' }, 403, 'forbidden')),
    };
    const informer = createInformer(refusing, {
      kind: 'SpiderIPPool',
      sleep: realSleep,
      startTimeoutMs: 10_000,
    });
    const r = await informer.start();
    expect(r.isErr() && r.error._tag === 'InformerStartFailed' && r.error.cause._tag).toBe('Unauthorized');
  });
});
