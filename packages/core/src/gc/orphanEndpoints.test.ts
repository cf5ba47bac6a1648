import { describe, expect, it } from 'vitest';
import type { Pod, SpiderEndpoint, SpiderIPPool } from '../api/index.ts';
import { encodeAllocatedIPs, SPIDER_FINALIZER } from '../api/index.ts';
import { createMemoryStore, type Store } from '../store/index.ts';
import { runGcPass } from './gcPass.ts';
import { ORPHAN_MIN_AGE_MS } from './orphanEndpoints.ts';

const T0 = new Date('2024-05-01T12:00:00Z');
const LATER = new Date(T0.getTime() + ORPHAN_MIN_AGE_MS + 1000);
const SP = 'spiderpool.spidernet.io/v2beta1';

const pool = async (store: Store, recs: [ip: string, pod: string, uid: string][]) => {
  const p = (
    await store.create<SpiderIPPool>({
      apiVersion: SP,
      kind: 'SpiderIPPool',
      metadata: { name: 'p', finalizers: [SPIDER_FINALIZER] },
      spec: { subnet: '10.0.0.0/24', ips: ['10.0.0.1-10.0.0.100'], ipVersion: 4 },
    })
  )._unsafeUnwrap();
  const map = new Map(recs.map(([ip, pod, podUid]) => [ip, { pod, podUid }]));
  const allocatedIPs = encodeAllocatedIPs(map);
  await store.updateStatus<SpiderIPPool>({
    ...p,
    status: { allocatedIPCount: map.size, ...(allocatedIPs === undefined ? {} : { allocatedIPs }) },
  });
};

const endpoint = async (store: Store, name: string, uid: string, ip: string) =>
  (
    await store.create<SpiderEndpoint>({
      apiVersion: SP,
      kind: 'SpiderEndpoint',
      metadata: { name, namespace: 'default', finalizers: [SPIDER_FINALIZER] },
      status: {
        current: { uid, node: 'n1', ips: [{ interface: 'eth0', ipv4: `${ip}/24`, ipv4Pool: 'p', vlan: 0 }] },
        ownerControllerType: 'Deployment',
        ownerControllerName: 'web',
      },
    })
  )._unsafeUnwrap();

const pod = async (store: Store, name: string) =>
  (
    await store.create<Pod>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
      spec: { nodeName: 'n1' },
    })
  )._unsafeUnwrap();

const exists = async (store: Store, name: string) =>
  (await store.get({ kind: 'SpiderEndpoint', namespace: 'default', name })).isOk();

describe('GC: endpoints a half-finished release left behind', () => {
  it('reclaims the endpoint of a gone Pod that no record refers to, on the default settings', async () => {
    const store = createMemoryStore({ now: () => T0 });
    await pool(store, []);
    await endpoint(store, 'gone', 'uid-gone', '10.0.0.7');
    const report = (await runGcPass(store, { now: () => LATER }))._unsafeUnwrap();
    expect(report.orphanEndpointsDeleted).toBe(1);
    expect(await exists(store, 'gone')).toBe(false);
  });

  it('also reclaims one already being deleted (finalizer left on), however young', async () => {
    const store = createMemoryStore({ now: () => T0 });
    await pool(store, []);
    const ep = await endpoint(store, 'marked', 'uid-m', '10.0.0.8');
    (
      await store.delete({ kind: 'SpiderEndpoint', namespace: 'default', name: ep.metadata.name })
    )._unsafeUnwrap();
    expect(await exists(store, 'marked')).toBe(true); // held by the finalizer
    const report = (await runGcPass(store, { now: () => T0 }))._unsafeUnwrap();
    expect(report.orphanEndpointsDeleted).toBe(1);
    expect(await exists(store, 'marked')).toBe(false);
  });

  it('never touches the endpoint of a live Pod, a young endpoint, or one its pool still records', async () => {
    const store = createMemoryStore({ now: () => T0 });
    const live = await pod(store, 'live');
    await pool(store, [['10.0.0.3', 'default/held', 'uid-held']]);
    await endpoint(store, 'live', live.metadata.uid ?? '', '10.0.0.2');
    await endpoint(store, 'held', 'uid-held', '10.0.0.3');
    await endpoint(store, 'young', 'uid-young', '10.0.0.4');
    // `young` is an allocation in flight as GC sees it: Pod not listed yet, endpoint just written.
    const report = (await runGcPass(store, { now: () => new Date(T0.getTime() + 1000) }))._unsafeUnwrap();
    expect(report.orphanEndpointsDeleted).toBe(0);
    for (const n of ['live', 'young']) expect(await exists(store, n)).toBe(true);
  });
});
