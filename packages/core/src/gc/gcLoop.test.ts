import { describe, expect, it } from 'vitest';
import type { Pod, PodStatus, SpiderEndpoint, SpiderIPPool } from '../api/index.ts';
import { decodeAllocatedIPs, encodeAllocatedIPs, SPIDER_FINALIZER } from '../api/index.ts';
import { createAbortLatch } from '../election/abortLatch.ts';
import { createMemoryStore, type Store } from '../store/index.ts';
import { type GcLoopOptions, runGcLoop } from './gcLoop.ts';

const SP = 'spiderpool.spidernet.io/v2beta1';
const T0 = Date.parse('2026-01-01T00:00:00Z');

const world = () => {
  let t = T0;
  const now = () => new Date(t);
  const store = createMemoryStore({ now });
  return { store, now, advance: (s: number) => (t += s * 1000) };
};

const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
};

/** A pool holding `ip` for `pod`, the Pod's SpiderEndpoint, and the Pod itself (with `status`). */
const allocate = async (
  store: Store,
  o: { pod: string; ip: string; status?: PodStatus & Record<string, unknown>; restartPolicy?: 'Never' },
) => {
  const pod = (
    await store.create<Pod>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: o.pod, namespace: 'default' },
      spec: { nodeName: 'n1', ...(o.restartPolicy ? { restartPolicy: o.restartPolicy } : {}) },
    })
  )._unsafeUnwrap();
  const uid = pod.metadata.uid ?? '';
  if (o.status) await store.updateStatus<Pod>({ ...pod, status: o.status });
  const existing = await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'p' });
  const pool = existing.isOk()
    ? existing.value
    : (
        await store.create<SpiderIPPool>({
          apiVersion: SP,
          kind: 'SpiderIPPool',
          metadata: { name: 'p' },
          spec: { subnet: '10.0.0.0/24', ips: ['10.0.0.1-10.0.0.100'], ipVersion: 4 },
        })
      )._unsafeUnwrap();
  const map = new Map(decodeAllocatedIPs(pool.status?.allocatedIPs)._unsafeUnwrap());
  map.set(o.ip, { pod: `default/${o.pod}`, podUid: uid });
  const allocatedIPs = encodeAllocatedIPs(map);
  await store.updateStatus<SpiderIPPool>({
    ...pool,
    status: { allocatedIPCount: map.size, ...(allocatedIPs ? { allocatedIPs } : {}) },
  });
  await store.create<SpiderEndpoint>({
    apiVersion: SP,
    kind: 'SpiderEndpoint',
    metadata: { name: o.pod, namespace: 'default', finalizers: [SPIDER_FINALIZER] },
    status: {
      current: { uid, node: 'n1', ips: [{ interface: 'eth0', ipv4: `${o.ip}/24`, ipv4Pool: 'p', vlan: 0 }] },
      ownerControllerType: 'Job',
      ownerControllerName: 'job',
    },
  });
  return uid;
};

const held = async (store: Store) => {
  const pool = (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'p' }))._unsafeUnwrap();
  return [...decodeAllocatedIPs(pool.status?.allocatedIPs)._unsafeUnwrap().keys()].sort();
};

const endpoint = async (store: Store, name: string) =>
  (await store.get({ kind: 'SpiderEndpoint', namespace: 'default', name })).isOk();

/** A sleep that only returns on abort: the test drives traceNow/scanNow itself. */
const parked: GcLoopOptions['sleep'] = (_ms, s) =>
  new Promise((r) => s.addEventListener('abort', () => r(), { once: true }));

const start = async (w: ReturnType<typeof world>, extra: Partial<GcLoopOptions> = {}) => {
  const stop = createAbortLatch();
  const handle = (
    await runGcLoop(w.store, {
      signal: stop.signal,
      now: w.now,
      sleep: parked,
      noInitialScan: true,
      ...extra,
    })
  )._unsafeUnwrap();
  await flush();
  return { handle, stop };
};

describe('GC loop: trace path', () => {
  it('a finished Job Pod (Succeeded) gets its IP back after finishedAt + terminationGracePeriodSeconds', async () => {
    const w = world();
    const finishedAt = new Date(T0 - 10_000).toISOString();
    await allocate(w.store, {
      pod: 'job-1',
      ip: '10.0.0.1',
      restartPolicy: 'Never',
      status: {
        phase: 'Succeeded',
        containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 0, finishedAt } } }],
      },
    });
    await allocate(w.store, {
      pod: 'web-1',
      ip: '10.0.0.2',
      status: { phase: 'Running', podIPs: [{ ip: 'x' }] },
    });
    const { handle, stop } = await start(w);
    expect(handle.traced().map((e) => [e.key, e.reason])).toEqual([['default/job-1', 'PodSucceeded']]);
    expect(handle.traced()[0]?.due.getTime()).toBe(T0 - 10_000 + 30_000);

    w.advance(19);
    await handle.traceNow();
    expect(await held(w.store)).toEqual(['10.0.0.1', '10.0.0.2']);
    w.advance(2);
    await handle.traceNow();
    expect(await held(w.store)).toEqual(['10.0.0.2']);
    expect(await endpoint(w.store, 'job-1')).toBe(false);
    expect(await endpoint(w.store, 'web-1')).toBe(true);
    expect(handle.counters).toMatchObject({
      ipGc: 1,
      traceReleased: { PodSucceeded: 1 },
      endpointsDeleted: 1,
      traced: 0,
    });
    stop.abort();
    await handle.stopped;
  });

  it('a Failed Pod that will not restart is released; a Running one is never traced', async () => {
    const w = world();
    await allocate(w.store, {
      pod: 'f',
      ip: '10.0.0.3',
      restartPolicy: 'Never',
      status: { phase: 'Failed' },
    });
    const { handle, stop } = await start(w);
    expect(handle.traced().map((e) => e.reason)).toEqual(['PodFailed']);
    w.advance(31);
    await handle.traceNow();
    expect(await held(w.store)).toEqual([]);
    expect(handle.counters.traceReleased).toEqual({ PodFailed: 1 });
    stop.abort();
  });

  it('a terminating Pod is released once its grace period (plus the additional delay) is over', async () => {
    const w = world();
    await allocate(w.store, {
      pod: 't',
      ip: '10.0.0.4',
      status: { phase: 'Running', podIPs: [{ ip: 'x' }] },
    });
    const { handle, stop } = await start(w, { settings: { additionalGraceDelaySeconds: 20 } });
    const pod = (await w.store.get<Pod>({ kind: 'Pod', namespace: 'default', name: 't' }))._unsafeUnwrap();
    // A finalizer keeps the Pod object: delete marks it terminating (deletionTimestamp, grace 0).
    await w.store.update<Pod>({ ...pod, metadata: { ...pod.metadata, finalizers: ['test/keep'] } });
    await w.store.delete({ kind: 'Pod', namespace: 'default', name: 't' });
    await flush();
    expect(handle.traced().map((e) => e.reason)).toEqual(['PodTerminating']);
    w.advance(10);
    await handle.traceNow();
    expect(await held(w.store)).toEqual(['10.0.0.4']);
    w.advance(11);
    await handle.traceNow();
    expect(await held(w.store)).toEqual([]);
    expect(handle.counters.traceReleased).toEqual({ PodTerminating: 1 });
    stop.abort();
  });

  it('a deleted Pod is released at once (no delay); an endpoint of another UID is left to scan-all', async () => {
    const w = world();
    await allocate(w.store, {
      pod: 'd',
      ip: '10.0.0.5',
      status: { phase: 'Running', podIPs: [{ ip: 'x' }] },
    });
    const uidE = await allocate(w.store, {
      pod: 'e',
      ip: '10.0.0.6',
      status: { phase: 'Running', podIPs: [{ ip: 'x' }] },
    });
    const { handle, stop } = await start(w);
    const ep = (
      await w.store.get<SpiderEndpoint>({ kind: 'SpiderEndpoint', namespace: 'default', name: 'e' })
    )._unsafeUnwrap();
    // A newer Pod "e" re-bound the endpoint: the trace of the old UID must not free it.
    await w.store.update<SpiderEndpoint>({
      ...ep,
      status: { ...ep.status, current: { ...ep.status.current, uid: `${uidE}-new` } },
    });
    await w.store.delete({ kind: 'Pod', namespace: 'default', name: 'd' });
    await w.store.delete({ kind: 'Pod', namespace: 'default', name: 'e' });
    await flush();
    await handle.traceNow();
    expect(await held(w.store)).toEqual(['10.0.0.6']);
    expect(handle.counters.traceReleased).toEqual({ PodDeleted: 1 });
    stop.abort();
  });

  it('a StatefulSet Pod or a hostNetwork Pod is not traced', async () => {
    const w = world();
    await w.store.create<Pod>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'sts-0',
        namespace: 'default',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'sts', uid: 'u', controller: true },
        ],
      },
      spec: { nodeName: 'n1' },
    });
    await w.store.create<Pod>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'host', namespace: 'default' },
      spec: { nodeName: 'n1', hostNetwork: true },
    });
    const { handle, stop } = await start(w);
    await w.store.delete({ kind: 'Pod', namespace: 'default', name: 'sts-0' });
    await w.store.delete({ kind: 'Pod', namespace: 'default', name: 'host' });
    await flush();
    expect(handle.traced()).toEqual([]);
    stop.abort();
  });
});

describe('GC loop: periodic scan-all', () => {
  it('runs a pass at start and every intervalSeconds, counting what it released and why', async () => {
    const w = world();
    const wakes: (() => void)[] = [];
    const sleeps: number[] = [];
    const sleep: GcLoopOptions['sleep'] = (ms, s) =>
      new Promise((r) => {
        sleeps.push(ms);
        wakes.push(r);
        s.addEventListener('abort', () => r(), { once: true });
      });
    // A record whose Pod and endpoint are gone (a node died; CNI DEL never ran).
    await allocate(w.store, { pod: 'lost', ip: '10.0.0.7' });
    await w.store.delete({ kind: 'SpiderEndpoint', namespace: 'default', name: 'lost' });
    const ep = await w.store.get<SpiderEndpoint>({
      kind: 'SpiderEndpoint',
      namespace: 'default',
      name: 'lost',
    });
    if (ep.isOk()) await w.store.update({ ...ep.value, metadata: { ...ep.value.metadata, finalizers: [] } });
    const passes: number[] = [];
    const stop = createAbortLatch();
    const handle = (
      await runGcLoop(w.store, {
        signal: stop.signal,
        now: w.now,
        sleep,
        settings: { intervalSeconds: 120 },
        traceGapSeconds: 5,
        onPass: (r) => passes.push(r.released),
      })
    )._unsafeUnwrap();
    // The Pod object goes after the loop started: the trace path sees it too, but the scan runs first.
    await flush();
    expect(passes).toEqual([0]);
    await w.store.delete({ kind: 'Pod', namespace: 'default', name: 'lost' });
    await flush();
    expect(sleeps).toContain(120_000);
    expect(sleeps).toContain(5_000);
    // Wake only the scan loop's sleep.
    wakes[sleeps.indexOf(120_000)]?.();
    await flush();
    expect(passes).toEqual([0, 1]);
    expect(await held(w.store)).toEqual([]);
    expect(handle.counters).toMatchObject({
      scanPasses: 2,
      ipGc: 1,
      scanReleased: { PodAndEndpointMissing: 1 },
    });
    stop.abort();
    await handle.stopped;
  });
});
