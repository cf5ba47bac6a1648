// Controllers and informers over KubernetesStore through a TCP proxy in front of the emulator: the
// connection is cut, the resourceVersion expires (410), the server stops and comes back on another port.
// Each time the controllers report (onWatchError) and recover; no pool created meanwhile is missed.
import {
  createMemoryStore,
  type InformerError,
  runControllers,
  type SpiderIPPool,
} from '@spiderpool-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesStore, createNodeInformerSet } from '../src/index.ts';
import { type ApiServerEmulator, kubeConfigFor, startApiServerEmulator } from '../src/testing/index.ts';
import { type CutProxy, portOf, startCutProxy } from './cutProxy.ts';

const SP = 'spiderpool.spidernet.io/v2beta1';
const pool = (name: string, third: number): SpiderIPPool => ({
  apiVersion: SP,
  kind: 'SpiderIPPool',
  metadata: { name },
  spec: { subnet: `10.7.${third}.0/24`, ipVersion: 4, ips: [`10.7.${third}.1-10.7.${third}.8`] },
});

describe('informers and controllers recover over HTTP', () => {
  const memory = createMemoryStore({ now: () => new Date(), historyLimit: 6 });
  let emu: ApiServerEmulator;
  let proxy: CutProxy;
  beforeAll(async () => {
    emu = await startApiServerEmulator({ store: memory });
    proxy = await startCutProxy(portOf(emu.url));
  });
  afterAll(async () => {
    await proxy.close();
    await emu.close();
  });

  const totals = async (names: string[]) =>
    Promise.all(
      names.map(async (n) =>
        (await memory.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: n })).match(
          (p) => p.status?.totalIPCount,
          () => undefined,
        ),
      ),
    );

  it('a cut connection, an expired resourceVersion and a stopped server: reported, recovered, nothing lost', async () => {
    const store = createKubernetesStore({
      kubeConfig: kubeConfigFor(proxy.url),
      requestTimeoutMs: 2000,
    })._unsafeUnwrap();
    const errors: InformerError[] = [];
    const informers = createNodeInformerSet(store, {
      backoff: { baseMs: 20, capMs: 200 },
      onError: (e) => errors.push(e),
    });
    const pools = informers.informer<SpiderIPPool>('SpiderIPPool');
    const ac = new AbortController();
    (await runControllers(store, { signal: ac.signal, informers }))._unsafeUnwrap();
    await memory.create(pool('p-first', 1));
    await expect.poll(() => totals(['p-first']), { timeout: 5000 }).toEqual([8]);

    // 1. the connection drops; a pool is created while it is down
    proxy.down = true;
    proxy.cut();
    await memory.create(pool('p-cut', 2));
    await expect.poll(() => errors.length, { timeout: 5000 }).toBeGreaterThan(0);
    proxy.down = false;
    await expect.poll(() => totals(['p-cut']), { timeout: 10_000 }).toEqual([8]);

    // 2. the resourceVersion the watch would resume from is compacted away: 410, relist
    proxy.down = true;
    proxy.cut();
    for (let i = 0; i < 8; i++) await memory.create(pool(`p-gone-${i}`, 10 + i));
    proxy.down = false;
    const gone = Array.from({ length: 8 }, (_, i) => `p-gone-${i}`);
    await expect.poll(() => totals(gone), { timeout: 15_000 }).toEqual(gone.map(() => 8));
    expect(errors.some((e) => e._tag === 'InformerWatchFailed' && e.cause._tag === 'Gone' && e.relist)).toBe(
      true,
    );
    expect(pools.health().relists).toBeGreaterThanOrEqual(1);

    // 3. the server stops; a pool is created in its storage; it comes back on another port
    await emu.close();
    proxy.cut();
    await memory.create(pool('p-restart', 30));
    const failuresBefore = errors.length;
    await expect.poll(() => errors.length, { timeout: 5000 }).toBeGreaterThan(failuresBefore + 1);
    expect(errors.slice(failuresBefore).every((e) => e._tag !== 'InformerGaveUp')).toBe(true);
    expect(errors.slice(failuresBefore).some((e) => 'cause' in e && e.cause?._tag === 'Unavailable')).toBe(
      true,
    );
    emu = await startApiServerEmulator({ store: memory });
    proxy.target = portOf(emu.url);
    await expect.poll(() => totals(['p-restart']), { timeout: 15_000 }).toEqual([8]);
    expect(pools.health()).toMatchObject({ state: 'watching', synced: true, consecutiveFailures: 0 });
    expect(
      pools
        .list()
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual(['p-first', 'p-cut', ...gone, 'p-restart'].sort());
    ac.abort();
    informers.stop();
  }, 60_000);

  it('start fails loudly, typed and at its deadline, when the API server cannot be reached', async () => {
    const deadProxy = await startCutProxy(1);
    deadProxy.down = true;
    try {
      const store = createKubernetesStore({
        kubeConfig: kubeConfigFor(deadProxy.url),
        requestTimeoutMs: 500,
      })._unsafeUnwrap();
      const informers = createNodeInformerSet(store, {
        backoff: { baseMs: 10, capMs: 50 },
        startTimeoutMs: 300,
      });
      const t0 = Date.now();
      const r = await runControllers(store, { signal: new AbortController().signal, informers });
      expect(r.isErr() && r.error._tag).toBe('InformerStartTimeout');
      expect(r.isErr() && r.error._tag === 'InformerStartTimeout' && r.error.cause?._tag).toBe('Unavailable');
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      await deadProxy.close();
    }
  });
});
