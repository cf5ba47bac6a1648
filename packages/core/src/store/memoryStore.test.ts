import type { ResultAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/meta.ts';
import type { StoreError } from './errors.ts';
import { createMemoryStore, type MemoryStore } from './memoryStore.ts';
import { modifyObject } from './modify.ts';
import type { WatchEvent } from './port.ts';

interface Counter extends KubeObject {
  spec: { n: number };
  status?: { seen: number };
}

const SP = 'spiderpool.spidernet.io/v2beta1';
const counter = (name: string, n = 0): Counter => ({
  apiVersion: SP,
  kind: 'SpiderIPPool',
  metadata: { name },
  spec: { n },
});
const ref = (name: string) => ({ kind: 'SpiderIPPool', name });
const fixedClock = () => {
  let t = Date.UTC(2026, 4, 1, 12, 0, 0);
  return () => {
    t += 1500;
    return new Date(t);
  };
};
const make = (extra: Partial<Parameters<typeof createMemoryStore>[0]> = {}): MemoryStore =>
  createMemoryStore({ now: fixedClock(), ...extra });
const unwrap = async <T>(r: ResultAsync<T, StoreError>): Promise<T> => (await r)._unsafeUnwrap();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const flush = () => sleep(0);

describe('MemoryStore specifics', () => {
  it('stamps from the injected clock and uid generator', async () => {
    let n = 0;
    const store = make({ uid: () => `uid-${++n}` });
    const a = await unwrap(store.create(counter('a')));
    expect(a.metadata.uid).toBe('uid-1');
    expect(a.metadata.creationTimestamp).toBe('2026-05-01T12:00:01Z');
    expect(a.metadata.resourceVersion).toBe('1');
    expect(store.resourceVersion).toBe('1');
  });

  it('delete with finalizers bumps generation once and stamps the clock', async () => {
    const store = make();
    const c = counter('a');
    c.metadata.finalizers = ['f'];
    await unwrap(store.create(c));
    const marked = await unwrap(store.delete(ref('a')));
    expect(marked.object.metadata.generation).toBe(2);
    expect(marked.object.metadata.deletionTimestamp).toBe('2026-05-01T12:00:03Z');
    const again = await unwrap(store.delete(ref('a')));
    expect(again.object.metadata.generation).toBe(2);
    expect(again.object.metadata.resourceVersion).toBe(marked.object.metadata.resourceVersion);
  });

  it('a no-op update writes nothing: same resourceVersion, no event', async () => {
    const store = make();
    const a = await unwrap(store.create(counter('a')));
    const events: WatchEvent<KubeObject>[] = [];
    await unwrap(
      store.watch('SpiderIPPool', { resourceVersion: store.resourceVersion }, (e) => events.push(e)),
    );
    const same = await unwrap(store.update(a));
    expect(same.metadata.resourceVersion).toBe(a.metadata.resourceVersion);
    await flush();
    expect(events).toEqual([]);
  });

  it('updateStatus of a kind without status subresource is Invalid', async () => {
    const store = make();
    const ep = { apiVersion: SP, kind: 'SpiderEndpoint', metadata: { name: 'e', namespace: 'ns' } };
    await unwrap(store.create(ep));
    const r = await store.updateStatus(ep);
    expect(r._unsafeUnwrapErr()._tag).toBe('Invalid');
  });

  it('seed keeps status and server fields, and refuses duplicates', async () => {
    const store = make();
    const seeded = { ...counter('a'), status: { seen: 4 }, metadata: { name: 'a', uid: 'given' } };
    expect(store.seed([seeded])._unsafeUnwrap()).toBe(1);
    const got = await unwrap(store.get<Counter>(ref('a')));
    expect(got.status).toEqual({ seen: 4 });
    expect(got.metadata.uid).toBe('given');
    expect(store.seed([seeded])._unsafeUnwrapErr()._tag).toBe('AlreadyExists');
    expect(store.seed([{ ...seeded, kind: 'Nope' }])._unsafeUnwrapErr()._tag).toBe('Invalid');
  });

  it('apiVersion must match the registry', async () => {
    const r = await make().create({ ...counter('a'), apiVersion: 'v1' });
    expect(r._unsafeUnwrapErr()._tag).toBe('Invalid');
  });
});

describe('MemoryStore history', () => {
  it('serves a watch from the compaction point and answers Gone just below it', async () => {
    const store = make({ historyLimit: 4 });
    await unwrap(store.create(counter('a')));
    for (let i = 1; i <= 6; i++)
      await unwrap(modifyObject<Counter>(store, ref('a'), (c) => ({ ...c, spec: { n: i } })));
    // 7 changes, 4 kept (rv 4..7): rv 3 is the oldest servable version.
    const ok: WatchEvent<KubeObject>[] = [];
    await unwrap(store.watch('SpiderIPPool', { resourceVersion: '3' }, (e) => ok.push(e)));
    const gone: WatchEvent<KubeObject>[] = [];
    await unwrap(store.watch('SpiderIPPool', { resourceVersion: '2' }, (e) => gone.push(e)));
    await flush();
    expect(ok.map((e) => e.type)).toEqual(['MODIFIED', 'MODIFIED', 'MODIFIED', 'MODIFIED']);
    expect(gone).toHaveLength(1);
    expect(gone[0]?.type === 'ERROR' && gone[0].error._tag).toBe('Gone');
    expect(store.watcherCount).toBe(1);
  });

  it('rejects a resourceVersion it never issued', async () => {
    const r = await make().watch('SpiderIPPool', { resourceVersion: 'abc' }, () => {});
    expect(r._unsafeUnwrapErr()._tag).toBe('Invalid');
  });

  it('a watch from a future version waits for it', async () => {
    const store = make();
    const events: WatchEvent<KubeObject>[] = [];
    await unwrap(store.watch('SpiderIPPool', { resourceVersion: '2' }, (e) => events.push(e)));
    await unwrap(store.create(counter('a')));
    await unwrap(store.create(counter('b')));
    await unwrap(store.create(counter('c')));
    await flush();
    expect(events.map((e) => (e.type === 'ADDED' ? e.object.metadata.name : e.type))).toEqual(['c']);
  });
});

describe('MemoryStore aliasing', () => {
  it('each watcher gets its own copy of an event object', async () => {
    const store = make();
    const seen: Counter[] = [];
    const push = (e: WatchEvent<Counter>) => {
      if (e.type === 'ADDED') seen.push(e.object);
    };
    await unwrap(store.watch<Counter>('SpiderIPPool', { resourceVersion: '0' }, push));
    await unwrap(store.watch<Counter>('SpiderIPPool', { resourceVersion: '0' }, push));
    await unwrap(store.create(counter('a', 1)));
    await flush();
    expect(seen).toHaveLength(2);
    const [first, second] = seen;
    if (first) first.spec.n = 99;
    expect(second?.spec.n).toBe(1);
    expect((await unwrap(store.get<Counter>(ref('a')))).spec.n).toBe(1);
  });
});
