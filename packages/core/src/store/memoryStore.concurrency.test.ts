import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/meta.ts';
import { combineBeforeWrite, failNextWrites, type WriteOp } from './faults.ts';
import { createMemoryStore } from './memoryStore.ts';
import { modifyObject } from './modify.ts';
import type { WatchEvent } from './port.ts';

interface Counter extends KubeObject {
  spec: { n: number };
}

const SP = 'spiderpool.spidernet.io/v2beta1';
const counter = (name: string): Counter => ({
  apiVersion: SP,
  kind: 'SpiderIPPool',
  metadata: { name },
  spec: { n: 0 },
});
const ref = { kind: 'SpiderIPPool', name: 'c' };
const now = () => new Date(Date.UTC(2026, 0, 1));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One engine instance: read-modify-write `times` increments, retrying on Conflict. */
const worker = async (store: ReturnType<typeof createMemoryStore>, times: number): Promise<number> => {
  let conflicts = 0;
  for (let i = 0; i < times; i++) {
    for (;;) {
      const cur = (await store.get<Counter>(ref))._unsafeUnwrap();
      const r = await store.update({ ...cur, spec: { n: cur.spec.n + 1 } });
      if (r.isOk()) break;
      expect(r.error._tag).toBe('Conflict');
      conflicts++;
    }
  }
  return conflicts;
};

describe('MemoryStore fault injection', () => {
  it('failNextWrites fails exactly N writes with Conflict, then lets writes through', async () => {
    const store = createMemoryStore({ now, beforeWrite: failNextWrites(2) });
    const a = await store.create(counter('c'));
    expect(a._unsafeUnwrapErr()._tag).toBe('Conflict');
    expect((await store.create(counter('c')))._unsafeUnwrapErr()._tag).toBe('Conflict');
    expect((await store.create(counter('c'))).isOk()).toBe(true);
  });

  it('can fail with Unavailable and only for matching writes', async () => {
    const when = (op: WriteOp) => op.verb === 'updateStatus';
    const store = createMemoryStore({ now, beforeWrite: failNextWrites(1, { tag: 'Unavailable', when }) });
    const c = (await store.create(counter('c')))._unsafeUnwrap();
    expect((await store.update({ ...c, spec: { n: 1 } })).isOk()).toBe(true);
    const failed = await store.updateStatus(c);
    expect(failed._unsafeUnwrapErr()).toMatchObject({ _tag: 'Unavailable', kind: 'SpiderIPPool', name: 'c' });
    expect((await store.updateStatus({ ...c, metadata: { name: 'c' } })).isOk()).toBe(true);
  });

  it('modifyObject retries injected conflicts and gives up after its attempts', async () => {
    const store = createMemoryStore({ now });
    store.seed([counter('c')])._unsafeUnwrap();
    store.setBeforeWrite(failNextWrites(3));
    const done = await modifyObject<Counter>(store, ref, (c) => ({ ...c, spec: { n: c.spec.n + 1 } }), {
      attempts: 4,
    });
    expect(done._unsafeUnwrap().spec.n).toBe(1);
    store.setBeforeWrite(failNextWrites(5));
    const failed = await modifyObject<Counter>(store, ref, (c) => ({ ...c, spec: { n: 7 } }), {
      attempts: 5,
    });
    expect(failed._unsafeUnwrapErr()._tag).toBe('Conflict');
    store.setBeforeWrite(undefined);
    expect((await store.get<Counter>(ref))._unsafeUnwrap().spec.n).toBe(1);
  });

  it('a delayed write is still atomic: the slower of two writers with the same version conflicts', async () => {
    const store = createMemoryStore({ now });
    const c = (await store.create(counter('c')))._unsafeUnwrap();
    let release: () => void = () => {};
    const gate = new Promise<undefined>((r) => {
      release = () => r(undefined);
    });
    let first = true;
    store.setBeforeWrite(() => {
      if (!first) return undefined;
      first = false;
      return gate;
    });
    const slow = store.update({ ...c, spec: { n: 1 } });
    const fast = await store.update({ ...c, spec: { n: 2 } });
    expect(fast.isOk()).toBe(true);
    release();
    expect((await slow)._unsafeUnwrapErr()._tag).toBe('Conflict');
    expect((await store.get<Counter>(ref))._unsafeUnwrap().spec.n).toBe(2);
  });
});

describe('MemoryStore concurrent compare-and-swap', () => {
  it('10 parallel read-modify-write loops end with the exact count', async () => {
    const store = createMemoryStore({ now });
    await store.create(counter('c'));
    const conflicts = await Promise.all(Array.from({ length: 10 }, () => worker(store, 50)));
    expect((await store.get<Counter>(ref))._unsafeUnwrap().spec.n).toBe(500);
    expect(conflicts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('still exact with random write delays and injected conflicts', async () => {
    const jitter = async () => {
      await sleep(Math.random() < 0.5 ? 0 : 1);
      return undefined;
    };
    const store = createMemoryStore({ now, beforeWrite: combineBeforeWrite(failNextWrites(20), jitter) });
    store.seed([counter('c')])._unsafeUnwrap();
    const loops = Array.from({ length: 10 }, () =>
      (async () => {
        for (let i = 0; i < 10; i++) {
          const r = await modifyObject<Counter>(store, ref, (c) => ({ ...c, spec: { n: c.spec.n + 1 } }), {
            attempts: 1000,
          });
          expect(r.isOk()).toBe(true);
        }
      })(),
    );
    await Promise.all(loops);
    expect((await store.get<Counter>(ref))._unsafeUnwrap().spec.n).toBe(100);
  });
});

type Op = { op: 'create' | 'update' | 'delete' | 'finalize'; name: string; label: boolean };

describe('MemoryStore watch replay (property)', () => {
  it('applying the watch events from version 0 rebuilds exactly what list returns', async () => {
    const opArb = fc.record({
      op: fc.constantFrom<Op['op']>('create', 'update', 'delete', 'finalize'),
      name: fc.constantFrom('a', 'b', 'c', 'd'),
      label: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { maxLength: 40 }),
        fc.integer({ min: 2, max: 64 }),
        async (ops, limit) => {
          const store = createMemoryStore({ now, historyLimit: limit });
          const events: WatchEvent<KubeObject>[] = [];
          await store.watch('SpiderIPPool', { resourceVersion: '0' }, (e) => events.push(e));
          for (const { op, name, label } of ops) {
            const labels = { keep: String(label) };
            if (op === 'create')
              await store.create({ ...counter(name), metadata: { name, labels, finalizers: ['f'] } });
            if (op === 'update')
              await modifyObject<Counter>(store, { ...ref, name }, (c) => ({
                ...c,
                spec: { n: c.spec.n + 1 },
              }));
            if (op === 'delete') await store.delete({ ...ref, name });
            if (op === 'finalize') {
              await modifyObject<Counter>(store, { ...ref, name }, (c) => ({
                ...c,
                metadata: { ...c.metadata, finalizers: [] },
              }));
            }
          }
          await sleep(0);
          const state = new Map<string, KubeObject>();
          let lastRv = 0;
          for (const e of events) {
            if (e.type === 'ERROR' || e.type === 'BOOKMARK') throw new Error(`unexpected ${e.type}`);
            const rv = Number(e.object.metadata.resourceVersion);
            expect(rv).toBeGreaterThan(lastRv);
            lastRv = rv;
            if (e.type === 'DELETED') state.delete(e.object.metadata.name);
            else state.set(e.object.metadata.name, e.object);
          }
          const list = (await store.list('SpiderIPPool'))._unsafeUnwrap();
          expect([...state.values()].sort((x, y) => x.metadata.name.localeCompare(y.metadata.name))).toEqual(
            list.items,
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
