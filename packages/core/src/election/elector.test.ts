import { describe, expect, it } from 'vitest';
import type { SpiderIPPool } from '../api/index.ts';
import { createMemoryStore } from '../store/index.ts';
import { createAbortLatch } from './abortLatch.ts';
import { createLeaderElector } from './elector.ts';
import { fencedStore, isNotLeader } from './fencedStore.ts';
import type { Lease } from './lease.ts';

const setup = () => {
  let t = Date.parse('2026-01-01T00:00:00Z');
  const now = () => new Date(t);
  const store = createMemoryStore({ now });
  const make = (identity: string) =>
    createLeaderElector(store, { namespace: 'kube-system', name: 'op', identity, now });
  const lease = async () =>
    (await store.get<Lease>({ kind: 'Lease', namespace: 'kube-system', name: 'op' }))._unsafeUnwrap();
  return { store, make, lease, advance: (s: number) => (t += s * 1000) };
};

const pool = (name: string): SpiderIPPool => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: { name },
  spec: { subnet: '10.0.0.0/24', ips: ['10.0.0.1'] },
});

describe('leader election on a Lease', () => {
  it('acquires, renews, blocks a second candidate, and the second takes over after expiry', async () => {
    const { make, lease, advance } = setup();
    const a = make('a');
    const b = make('b');
    expect((await a.tryAcquireOrRenew())._unsafeUnwrap()).toBe(true);
    expect(a.isLeader()).toBe(true);
    const first = await lease();
    expect(first.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(first.spec?.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    expect((await b.tryAcquireOrRenew())._unsafeUnwrap()).toBe(false);
    expect(b.isLeader()).toBe(false);
    expect(b.observedHolder()).toBe('a');

    advance(5);
    expect((await a.tryAcquireOrRenew())._unsafeUnwrap()).toBe(true);
    const renewed = await lease();
    expect(renewed.spec?.renewTime).not.toBe(first.spec?.renewTime);
    expect(renewed.spec?.acquireTime).toBe(first.spec?.acquireTime);

    // b saw the renewal now: 14 s later it is not expired by b's clock yet, 16 s later it is.
    expect((await b.tryAcquireOrRenew())._unsafeUnwrap()).toBe(false);
    advance(14);
    expect((await b.tryAcquireOrRenew())._unsafeUnwrap()).toBe(false);
    advance(2);
    expect((await b.tryAcquireOrRenew())._unsafeUnwrap()).toBe(true);
    expect((await lease()).spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    // a's last renew is 16 s old (> renewDeadline 10 s): it no longer counts as leader.
    expect(a.isLeader()).toBe(false);
    expect((await a.tryAcquireOrRenew())._unsafeUnwrap()).toBe(false);
  });

  it('fences: the old leader stops writing once its renew deadline passed, before anyone may take over', async () => {
    const { store, make, advance } = setup();
    const a = make('a');
    const b = make('b');
    const aStore = fencedStore(store, a.isLeader);
    await a.tryAcquireOrRenew();
    await b.tryAcquireOrRenew();
    expect((await aStore.create(pool('p1'))).isOk()).toBe(true);
    advance(11);
    // a is partitioned (no renew): past renewDeadline it refuses to write, though the lease is not yet free.
    expect((await b.tryAcquireOrRenew())._unsafeUnwrap()).toBe(false);
    const refused = await aStore.create(pool('p2'));
    expect(refused.isErr() && isNotLeader(refused.error)).toBe(true);
    expect((await store.get({ kind: 'SpiderIPPool', name: 'p2' })).isErr()).toBe(true);
    advance(5);
    expect((await b.tryAcquireOrRenew())._unsafeUnwrap()).toBe(true);
    const bStore = fencedStore(store, b.isLeader);
    expect((await bStore.create(pool('p2'))).isOk()).toBe(true);
    const del = await aStore.delete({ kind: 'SpiderIPPool', name: 'p2' });
    expect(del.isErr() && isNotLeader(del.error)).toBe(true);
  });

  it('two candidates racing on a free lease: exactly one wins (compare-and-swap)', async () => {
    const { make } = setup();
    const cs = ['a', 'b', 'c', 'd'].map(make);
    const won = await Promise.all(cs.map((c) => c.tryAcquireOrRenew()));
    expect(won.filter((r) => r._unsafeUnwrap()).length).toBe(1);
  });

  it('run(): leads, signals loss, releases on stop so a successor takes over at once', async () => {
    const { make, lease, advance } = setup();
    const a = make('a');
    const b = make('b');
    const stop = createAbortLatch();
    const events: string[] = [];
    let leadingSignal: { aborted: boolean } | undefined;
    const ticks: (() => void)[] = [];
    const sleep = (ms: number) =>
      new Promise<void>((r) => {
        ticks.push(() => {
          advance(ms / 1000);
          r();
        });
      });
    const running = a.run({
      signal: stop.signal,
      sleep: (ms, s) => {
        const p = sleep(ms);
        s.addEventListener('abort', () => {
          for (const t of ticks.splice(0)) t();
        });
        return p;
      },
      onStartedLeading: (s) => {
        events.push('started');
        leadingSignal = s;
      },
      onStoppedLeading: () => events.push('stopped'),
    });
    const flush = async () => {
      for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
    };
    await flush();
    expect(events).toEqual(['started']);
    ticks.shift()?.(); // one renew period
    await flush();
    expect((await lease()).spec?.holderIdentity).toBe('a');
    expect((await b.tryAcquireOrRenew())._unsafeUnwrap()).toBe(false);
    stop.abort();
    await running;
    expect(events).toEqual(['started', 'stopped']);
    expect(leadingSignal?.aborted).toBe(true);
    expect((await lease()).spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    // Released: b takes over without waiting for the lease duration.
    expect((await b.tryAcquireOrRenew())._unsafeUnwrap()).toBe(true);
    expect(a.isLeader()).toBe(false);
  });

  it('run(): a leader that sees another holder stops leading and goes back to acquiring', async () => {
    const { store, make, lease } = setup();
    const a = make('a');
    const stop = createAbortLatch();
    const events: string[] = [];
    let wake: (() => void) | undefined;
    const running = a.run({
      signal: stop.signal,
      sleep: (_ms, s) =>
        new Promise<void>((r) => {
          wake = r;
          s.addEventListener('abort', () => r());
        }),
      onStartedLeading: () => events.push('started'),
      onStoppedLeading: () => events.push('stopped'),
      onNewLeader: (id) => events.push(`leader:${id}`),
    });
    const flush = async () => {
      for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
    };
    await flush();
    const l = await lease();
    // Someone forcibly takes the lease (an admin edit, or a partition that outlasted the lease).
    await store.update<Lease>({ ...l, spec: { ...l.spec, holderIdentity: 'x' } });
    wake?.();
    await flush();
    expect(events).toEqual(['started', 'leader:x', 'stopped']);
    expect(a.isLeader()).toBe(false);
    stop.abort();
    await running;
    expect((await lease()).spec?.holderIdentity).toBe('x');
  });
});
