import { describe, expect, it } from 'vitest';
import { decodeAllocatedIPs, type SpiderIPPool } from '../api/index.ts';
import { type BeforeWrite, failNextWrites, type MemoryStore, storeConflict } from '../store/index.ts';
import { ipPool, newStore, reservedIP, seededRandom } from './engineTestKit.ts';
import { PoolAllocatorCache } from './poolCache.ts';
import { PoolWriter } from './poolWriter.ts';
import { DEFAULT_RETRY_POLICY, noSleep, type RetryPolicy } from './retry.ts';

const setup = async (beforeWrite?: BeforeWrite) => {
  const store = newStore(beforeWrite ? { beforeWrite } : {});
  await store.create(ipPool('p', '10.0.0.0/24', { ips: ['10.0.0.1-10.0.0.4'] }));
  const writer = (maxRecords?: number) =>
    new PoolWriter({
      store,
      cache: new PoolAllocatorCache(),
      policy: DEFAULT_RETRY_POLICY,
      sleep: noSleep,
      random: seededRandom(1),
      maxRecords,
    });
  const records = async () => {
    const p = (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'p' }))._unsafeUnwrap();
    return {
      map: decodeAllocatedIPs(p.status?.allocatedIPs)._unsafeUnwrap(),
      count: p.status?.allocatedIPCount,
    };
  };
  return { store, writer, records };
};

const alloc = (uid: string, avoid: string[] = []) => ({
  kind: 'allocate' as const,
  pod: `ns/${uid}`,
  podUid: uid,
  avoid: new Set(avoid),
});

describe('PoolWriter', () => {
  it('coalesces allocations submitted together into one status write', async () => {
    const { writer, records } = await setup();
    const w = writer();
    const got = await Promise.all(['a', 'b', 'c'].map((u) => w.submit('p', alloc(u))));
    expect(got.map((r) => r._unsafeUnwrap()[0])).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(w.stats.writes).toBe(1);
    expect(w.stats.committedOps).toBe(3);
    const r = await records();
    expect(r.count).toBe(3);
    expect(r.map.get('10.0.0.2')).toEqual({ pod: 'ns/b', podUid: 'b' });
  });

  it('returns the record of the same pod UID (repeat ADD, #2517) unless avoided', async () => {
    const { writer } = await setup();
    const w = writer();
    const first = (await w.submit('p', alloc('a')))._unsafeUnwrap();
    expect((await w.submit('p', alloc('a')))._unsafeUnwrap()).toEqual(first);
    expect((await w.submit('p', alloc('a', first)))._unsafeUnwrap()).toEqual(['10.0.0.2']);
    expect(w.stats.writes).toBe(2);
  });

  it('fails a full pool with PoolExhausted and honours the record cap', async () => {
    const { writer, store } = await setup();
    await store.create(reservedIP('r', ['10.0.0.1']));
    const w = writer(2);
    await w.submit('p', alloc('a'));
    await w.submit('p', alloc('b'));
    expect((await w.submit('p', alloc('c')))._unsafeUnwrapErr()._tag).toBe('PoolRecordCapExceeded');
    const w2 = writer();
    expect((await w2.submit('p', alloc('c')))._unsafeUnwrap()).toEqual(['10.0.0.4']);
    expect((await w2.submit('p', alloc('d')))._unsafeUnwrapErr()._tag).toBe('PoolExhausted');
  });

  it('retries on Conflict and re-applies the batch against the fresh state', async () => {
    const { writer, records } = await setup(failNextWrites(3, { when: (op) => op.verb === 'updateStatus' }));
    const w = writer();
    expect((await w.submit('p', alloc('a')))._unsafeUnwrap()).toEqual(['10.0.0.1']);
    expect(w.stats.conflicts).toBe(3);
    expect(w.stats.retries).toBe(3);
    expect((await records()).count).toBe(1);
  });

  it('gives up after the retry budget with RetriesExhausted', async () => {
    const { writer } = await setup(failNextWrites(100, { when: (op) => op.verb === 'updateStatus' }));
    const r = await writer().submit('p', alloc('a'));
    expect(r._unsafeUnwrapErr()).toMatchObject({
      _tag: 'RetriesExhausted',
      attempts: DEFAULT_RETRY_POLICY.attempts,
    });
  });

  it('two writers never hand out the same IP', async () => {
    const { writer, records } = await setup();
    const [w1, w2] = [writer(), writer()];
    const got = await Promise.all([
      w1.submit('p', alloc('a')),
      w2.submit('p', alloc('b')),
      w1.submit('p', alloc('c')),
      w2.submit('p', alloc('d')),
    ]);
    const ips = got.map((r) => r._unsafeUnwrap()[0]);
    expect(new Set(ips).size).toBe(4);
    expect((await records()).map.size).toBe(4);
    expect(w1.stats.conflicts + w2.stats.conflicts).toBeGreaterThan(0);
  });

  it('release frees only records of the matching podUid; rebind rewrites the UID', async () => {
    const { writer, records } = await setup();
    const w = writer();
    await w.submit('p', alloc('a'));
    expect(
      (await w.submit('p', { kind: 'release', podUid: 'zzz', ips: ['10.0.0.1'] }))._unsafeUnwrap(),
    ).toEqual([]);
    expect(
      (await w.submit('p', { kind: 'rebind', ip: '10.0.0.1', pod: 'ns/a', podUid: 'a2' }))._unsafeUnwrap(),
    ).toEqual(['10.0.0.1']);
    expect(
      (
        await w.submit('p', { kind: 'rebind', ip: '10.0.0.1', pod: 'ns/other', podUid: 'x' })
      )._unsafeUnwrapErr()._tag,
    ).toBe('EndpointMismatch');
    expect((await w.submit('p', { kind: 'release', podUid: 'a2' }))._unsafeUnwrap()).toEqual(['10.0.0.1']);
    const r = await records();
    expect(r.map.size).toBe(0);
    expect(r.count).toBe(0);
  });

  it('a release from a deleted pool succeeds with nothing freed', async () => {
    const { writer } = await setup();
    expect((await writer().submit('gone', { kind: 'release', podUid: 'a' }))._unsafeUnwrap()).toEqual([]);
    expect((await writer().submit('gone', alloc('a')))._unsafeUnwrapErr()._tag).toBe('PoolNotFound');
  });
});

describe('PoolWriter maxBatch', () => {
  it('maxBatch 1 writes once per op', async () => {
    const { store, records } = await setup();
    const w = new PoolWriter({
      store,
      cache: new PoolAllocatorCache(),
      policy: DEFAULT_RETRY_POLICY,
      sleep: noSleep,
      random: seededRandom(1),
      maxRecords: undefined,
      maxBatch: 1,
    });
    const got = await Promise.all(['a', 'b', 'c'].map((u) => w.submit('p', alloc(u))));
    expect(got.map((r) => r._unsafeUnwrap()[0])).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(w.stats.writes).toBe(3);
    expect((await records()).count).toBe(3);
  });
});

describe('PoolWriter under contention (ADR 0030)', () => {
  const writerOn = (
    store: MemoryStore,
    o: { maxBatch?: number; policy?: RetryPolicy; sleep?: (ms: number) => Promise<void> } = {},
  ) =>
    new PoolWriter({
      store,
      cache: new PoolAllocatorCache(),
      policy: o.policy ?? DEFAULT_RETRY_POLICY,
      sleep: o.sleep ?? noSleep,
      random: seededRandom(1),
      maxRecords: undefined,
      ...(o.maxBatch === undefined ? {} : { maxBatch: o.maxBatch }),
    });

  /** The first status write conflicts; while it is in flight, `late` more ops are queued on the pool. */
  const conflictWithLateOps = async (maxBatch: number | undefined, late: string[]) => {
    let w: PoolWriter | undefined;
    let lateResults: PromiseLike<unknown>[] = [];
    let first = true;
    const hook: BeforeWrite = (op) => {
      if (op.verb !== 'updateStatus' || !first) return undefined;
      first = false;
      lateResults = late.map((u) =>
        (w as PoolWriter).submit('p', alloc(u)).then((r) => r._unsafeUnwrap()[0]),
      );
      return storeConflict({ kind: op.kind, name: op.name }, 'injected');
    };
    const { store, records } = await setup(hook);
    w = writerOn(store, maxBatch === undefined ? {} : { maxBatch });
    const a = (await w.submit('p', alloc('a')))._unsafeUnwrap()[0];
    const rest = await Promise.all(lateResults);
    return { w, ips: [a, ...rest], records: await records() };
  };

  it('ops queued while a batch is retried join the retry: one write carries them all', async () => {
    const { w, ips, records } = await conflictWithLateOps(undefined, ['b', 'c']);
    expect(ips).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(w.stats).toMatchObject({ writes: 1, committedOps: 3, conflicts: 1, joinedOps: 2 });
    expect(records.count).toBe(3);
  });

  it('joining stops at maxBatch, and maxBatch 1 keeps one write per op', async () => {
    const two = await conflictWithLateOps(2, ['b', 'c']);
    expect(two.w.stats).toMatchObject({ writes: 2, committedOps: 3, joinedOps: 1 });
    const one = await conflictWithLateOps(1, ['b', 'c']);
    expect(one.w.stats).toMatchObject({ writes: 3, committedOps: 3, joinedOps: 0 });
    expect(one.ips).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  });

  /** Before each of our status writes (up to `wins` times) a rival commits a change to the pool first. */
  const rivalled = async (wins: number) => {
    let left = wins;
    let rival = false;
    let store: MemoryStore | undefined;
    const hook: BeforeWrite = async (op) => {
      if (op.verb !== 'updateStatus' || rival || left <= 0 || store === undefined) return undefined;
      left--;
      rival = true;
      const p = (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'p' }))._unsafeUnwrap();
      const labels = { rival: String(wins - left) };
      (await store.update({ ...p, metadata: { ...p.metadata, labels } }))._unsafeUnwrap();
      rival = false;
      return undefined;
    };
    const s = await setup(hook);
    store = s.store;
    return s;
  };
  const virtualTime = () => {
    const clock = { now: 0 };
    const sleep = (ms: number): Promise<void> => {
      clock.now += ms;
      return Promise.resolve();
    };
    return { clock, sleep };
  };

  it('a conflict caused by another writer committing is progress: not charged against the attempts', async () => {
    const { store, records } = await rivalled(40);
    const w = writerOn(store);
    expect((await w.submit('p', alloc('a')))._unsafeUnwrap()).toEqual(['10.0.0.1']);
    expect(w.stats).toMatchObject({ conflicts: 40, progressRetries: 40, writes: 1, mostAttempts: 41 });
    expect((await records()).count).toBe(1);
  });

  it("without budgetMs every attempt counts (Spiderpool's rule)", async () => {
    const { store } = await rivalled(40);
    const { budgetMs: _b, maxAttempts: _m, ...everyAttempt } = DEFAULT_RETRY_POLICY;
    const r = await writerOn(store, { policy: everyAttempt }).submit('p', alloc('a'));
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: 'RetriesExhausted', attempts: 16 });
  });

  it('progress or not, the backoff time budget ends the retries', async () => {
    const { store } = await rivalled(1000);
    const { clock, sleep } = virtualTime();
    const policy: RetryPolicy = {
      attempts: 16,
      baseMs: 2,
      factor: 2,
      capMs: 10,
      jitter: 0,
      budgetMs: 50,
      maxAttempts: 1000,
    };
    const r = await writerOn(store, { policy, sleep }).submit('p', alloc('a'));
    // waits 2, 4, 8, 10, 10, 10, 10 ms: 54 >= 50 after the 8th refused write
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: 'RetriesExhausted', attempts: 8 });
    expect(clock.now).toBe(54);
  });

  it('and maxAttempts caps the attempts in all', async () => {
    const { store } = await rivalled(1000);
    const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, budgetMs: 1e9, maxAttempts: 5 };
    const r = await writerOn(store, { policy }).submit('p', alloc('a'));
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: 'RetriesExhausted', attempts: 5 });
  });
});

describe('PoolWriter linger on a contended pool (ADR 0030)', () => {
  /** A writer whose first status write conflicts; `sleep` records every wait and runs `during` at a linger. */
  const contended = async (lingerMs: number | undefined, conflictFirst: boolean) => {
    let first = conflictFirst;
    const hook: BeforeWrite = (op) => {
      if (op.verb !== 'updateStatus' || !first) return undefined;
      first = false;
      return storeConflict({ kind: op.kind, name: op.name }, 'injected');
    };
    const { store, records } = await setup(hook);
    const waits: number[] = [];
    let during: (() => void) | undefined;
    const w = new PoolWriter({
      store,
      cache: new PoolAllocatorCache(),
      policy: { ...DEFAULT_RETRY_POLICY, jitter: 0 },
      sleep: (ms) => {
        waits.push(ms);
        if (ms === (lingerMs ?? 3)) {
          during?.();
          during = undefined;
        }
        return Promise.resolve();
      },
      random: seededRandom(1),
      maxRecords: undefined,
      ...(lingerMs === undefined ? {} : { lingerMs }),
    });
    const setDuring = (f: () => void): void => {
      during = f;
    };
    return { w, waits, records, setDuring };
  };

  it('after a write that needed a retry, the next flush waits lingerMs and ops arriving then share its write', async () => {
    const { w, waits, records, setDuring } = await contended(undefined, true);
    expect((await w.submit('p', alloc('a')))._unsafeUnwrap()).toEqual(['10.0.0.1']);
    expect(w.stats).toMatchObject({ writes: 1, conflicts: 1, lingers: 0 });
    let late: PromiseLike<unknown> | undefined;
    setDuring(() => {
      late = w.submit('p', alloc('c')).then((r) => r._unsafeUnwrap()[0]);
    });
    const b = (await w.submit('p', alloc('b')))._unsafeUnwrap()[0];
    expect([b, await late]).toEqual(['10.0.0.2', '10.0.0.3']);
    // One write carried b and c: the op that arrived during the linger joined the batch.
    expect(w.stats).toMatchObject({ writes: 2, committedOps: 3, lingers: 1 });
    expect(waits.filter((ms) => ms === 3)).toHaveLength(1);
    expect((await records()).count).toBe(3);
    // That write won at once: the pool is no longer contended and the next flush goes straight out.
    await w.submit('p', alloc('d'));
    expect(w.stats.lingers).toBe(1);
  });

  it('an uncontended pool is written at once, and lingerMs 0 never waits', async () => {
    const calm = await contended(undefined, false);
    await calm.w.submit('p', alloc('a'));
    await calm.w.submit('p', alloc('b'));
    expect(calm.w.stats.lingers).toBe(0);
    expect(calm.waits).toEqual([]);
    const off = await contended(0, true);
    await off.w.submit('p', alloc('a'));
    await off.w.submit('p', alloc('b'));
    expect(off.w.stats).toMatchObject({ writes: 2, conflicts: 1, lingers: 0 });
    // The only wait is the backoff after the conflict.
    expect(off.waits).toHaveLength(1);
  });
});
