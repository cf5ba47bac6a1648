import { describe, expect, it } from 'vitest';
import type { Pod, SpiderEndpoint, SpiderIPPool } from '../api/index.ts';
import { decodeAllocatedIPs, encodeAllocatedIPs, SPIDER_FINALIZER } from '../api/index.ts';
import { createMemoryStore, type MemoryStore, type Store } from '../store/index.ts';
import { type GcReport, runGcPass } from './gcPass.ts';
import type { GcSettings } from './settings.ts';

const NOW = new Date('2024-05-01T12:00:00Z');
const SP = 'spiderpool.spidernet.io/v2beta1';

type Rec = [ip: string, pod: string, uid: string];

const makePool = async (store: Store, name: string, records: Rec[], raw?: string) => {
  const created = await store.create<SpiderIPPool>({
    apiVersion: SP,
    kind: 'SpiderIPPool',
    metadata: { name, finalizers: [SPIDER_FINALIZER] },
    spec: { subnet: '10.0.0.0/24', ips: ['10.0.0.1-10.0.0.100'], ipVersion: 4 },
  });
  const pool = created._unsafeUnwrap();
  const map = new Map(records.map(([ip, pod, podUid]) => [ip, { pod, podUid }]));
  const allocatedIPs = raw ?? encodeAllocatedIPs(map);
  await store.updateStatus<SpiderIPPool>({
    ...pool,
    status: { allocatedIPCount: map.size, ...(allocatedIPs === undefined ? {} : { allocatedIPs }) },
  });
};

const makePod = async (
  store: Store,
  name: string,
  o: { phase?: 'Running' | 'Pending'; owner?: string } = {},
) => {
  const owner = o.owner
    ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: o.owner, name: 'web', uid: 'o', controller: true }] }
    : {};
  const pod = (
    await store.create<Pod>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', ...owner },
      spec: { nodeName: 'n1' },
    })
  )._unsafeUnwrap();
  const status =
    o.phase === 'Pending'
      ? { phase: 'Pending' as const }
      : { phase: 'Running' as const, podIPs: [{ ip: 'x' }] };
  return (await store.updateStatus<Pod>({ ...pod, status }))._unsafeUnwrap();
};

const makeEndpoint = async (store: Store, name: string, uid: string, pool: string, owner = 'Deployment') =>
  (
    await store.create<SpiderEndpoint>({
      apiVersion: SP,
      kind: 'SpiderEndpoint',
      metadata: { name, namespace: 'default', finalizers: [SPIDER_FINALIZER] },
      status: {
        current: {
          uid,
          node: 'n1',
          ips: [{ interface: 'eth0', ipv4: '10.0.0.1/24', ipv4Pool: pool, vlan: 0 }],
        },
        ownerControllerType: owner,
        ownerControllerName: 'web',
      },
    })
  )._unsafeUnwrap();

const records = async (store: Store, name: string) => {
  const pool = (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name }))._unsafeUnwrap();
  return {
    map: decodeAllocatedIPs(pool.status?.allocatedIPs)._unsafeUnwrap(),
    count: pool.status?.allocatedIPCount,
  };
};

const endpointExists = async (store: Store, name: string) =>
  (await store.get({ kind: 'SpiderEndpoint', namespace: 'default', name })).isOk();

const newStore = (): MemoryStore => createMemoryStore({ now: () => NOW });
const run = async (store: Store, settings: Partial<GcSettings> = {}): Promise<GcReport> =>
  (await runGcPass(store, { now: () => NOW, settings }))._unsafeUnwrap();

describe('runGcPass', () => {
  it('reclaims records and endpoints of Pods deleted without CNI DEL, keeps live ones', async () => {
    const store = newStore();
    const live = await makePod(store, 'live');
    await makePod(store, 'pending', { phase: 'Pending' });
    await makeEndpoint(store, 'gone-a', 'uid-a', 'p');
    await makePool(store, 'p', [
      ['10.0.0.1', 'default/gone-a', 'uid-a'],
      ['10.0.0.2', 'default/gone-b', 'uid-b'],
      ['10.0.0.3', 'default/live', live.metadata.uid ?? ''],
      ['10.0.0.4', 'default/pending', 'whatever'],
    ]);
    const report = await run(store);
    expect(report.scanned).toBe(4);
    expect(report.released).toBe(3);
    expect(report.kept).toBe(1);
    expect(report.endpointsDeleted).toBe(1);
    const byIp = new Map(report.entries.map((e) => [e.ip, e]));
    expect(byIp.get('10.0.0.1')?.reason).toBe('PodMissingEndpointLeft');
    expect(byIp.get('10.0.0.2')?.reason).toBe('PodAndEndpointMissing');
    expect(byIp.get('10.0.0.4')?.reason).toBe('PodUidMismatch');
    const after = await records(store, 'p');
    expect([...after.map.keys()]).toEqual(['10.0.0.3']);
    expect(after.count).toBe(1);
    expect(await endpointExists(store, 'gone-a')).toBe(false);
  });

  it('never frees a record re-allocated to another Pod between the read and the write', async () => {
    let store!: MemoryStore;
    let raced = false;
    store = createMemoryStore({
      now: () => NOW,
      beforeWrite: async (op) => {
        if (raced || op.kind !== 'SpiderIPPool' || op.verb !== 'updateStatus') return undefined;
        raced = true;
        // Another agent frees 10.0.0.1 (CNI DEL) and hands it to a new Pod, before GC's write lands.
        const pool = (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'p' }))._unsafeUnwrap();
        const map = new Map([['10.0.0.1', { pod: 'default/new', podUid: 'uid-new' }]]);
        await store.updateStatus<SpiderIPPool>({
          ...pool,
          status: { allocatedIPCount: 1, allocatedIPs: encodeAllocatedIPs(map) as string },
        });
        return undefined;
      },
    });
    raced = true; // no race while setting up
    await makePool(store, 'p', [['10.0.0.1', 'default/old', 'uid-old']]);
    raced = false;
    const report = await run(store);
    expect(report.entries[0]?.outcome).toBe('changed');
    expect(report.changed).toBe(1);
    expect(report.released).toBe(0);
    expect((await records(store, 'p')).map.get('10.0.0.1')).toEqual({
      pod: 'default/new',
      podUid: 'uid-new',
    });
  });

  it('keeps a valid StatefulSet Pod that is gone, reclaims one scaled down', async () => {
    const store = newStore();
    await store.create({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 1 },
    } as never);
    await makeEndpoint(store, 'web-0', 'u0', 'p', 'StatefulSet');
    await makeEndpoint(store, 'web-1', 'u1', 'p', 'StatefulSet');
    await makePool(store, 'p', [
      ['10.0.0.1', 'default/web-0', 'u0'],
      ['10.0.0.2', 'default/web-1', 'u1'],
    ]);
    const report = await run(store);
    expect(report.entries.map((e) => `${e.ip}:${e.reason}`)).toEqual([
      '10.0.0.1:PodMissingValidStatic',
      '10.0.0.2:PodMissingEndpointLeft',
    ]);
    expect([...(await records(store, 'p')).map.keys()]).toEqual(['10.0.0.1']);
    expect(await endpointExists(store, 'web-0')).toBe(true);
    expect(await endpointExists(store, 'web-1')).toBe(false);
  });

  it('leaves an endpoint rewritten after the snapshot (resourceVersion guard)', async () => {
    let store!: MemoryStore;
    let armed = false;
    store = createMemoryStore({
      now: () => NOW,
      beforeWrite: async (op) => {
        if (!armed || op.kind !== 'SpiderEndpoint' || op.verb !== 'delete') return undefined;
        armed = false;
        const ep = (
          await store.get<SpiderEndpoint>({ kind: 'SpiderEndpoint', namespace: 'default', name: 'a' })
        )._unsafeUnwrap();
        await store.update({
          ...ep,
          status: { ...ep.status, current: { ...ep.status.current, node: 'n2' } },
        });
        return undefined;
      },
    });
    await makeEndpoint(store, 'a', 'uid-a', 'p');
    await makePool(store, 'p', [['10.0.0.1', 'default/a', 'uid-a']]);
    armed = true;
    const report = await run(store);
    expect(report.entries[0]?.endpoint).toBe('changed');
    expect(report.endpointsDeleted).toBe(0);
    expect(await endpointExists(store, 'a')).toBe(true);
  });

  it('deletes outdated endpoints only when enableCleanOutdatedEndpoint is on', async () => {
    const store = newStore();
    await makeEndpoint(store, 'orphan', 'uid-o', 'p');
    const live = await makePod(store, 'live');
    await makeEndpoint(store, 'live', live.metadata.uid ?? '', 'p');
    await makePool(store, 'p', [['10.0.0.3', 'default/live', live.metadata.uid ?? '']]);
    expect((await run(store)).outdatedEndpointsDeleted).toBe(0);
    expect(await endpointExists(store, 'orphan')).toBe(true);
    const report = await run(store, { enableCleanOutdatedEndpoint: true });
    expect(report.outdatedEndpointsDeleted).toBe(1);
    expect(await endpointExists(store, 'orphan')).toBe(false);
    expect(await endpointExists(store, 'live')).toBe(true);
  });

  it('does nothing when GC is disabled', async () => {
    const store = newStore();
    await makePool(store, 'p', [['10.0.0.1', 'default/gone', 'u']]);
    const report = await run(store, { enabled: false });
    expect(report.scanned).toBe(0);
    expect((await records(store, 'p')).map.size).toBe(1);
  });

  it('reports an unreadable pool and still processes the others', async () => {
    const store = newStore();
    await makePool(store, 'bad', [], '{not json');
    await makePool(store, 'p', [['10.0.0.1', 'default/gone', 'u']]);
    const report = await run(store);
    expect(report.errors.map((e) => e._tag)).toEqual(['CorruptPoolStatus']);
    expect(report.released).toBe(1);
    const after = await records(store, 'p');
    expect(after.map.size).toBe(0);
    expect(after.count).toBe(0);
  });
});
