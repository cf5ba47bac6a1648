import { describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../api/index.ts';
import { createIpamEngine } from '../ipam/index.ts';
import { reconcileApplicationPools } from './autoPoolReconcile.ts';
import { autoPoolWorld, RECLAIM_ANNO, SUBNET_ANNO, subnetObject, workload } from './autoPoolTestKit.ts';

const web = { kind: 'Deployment', namespace: 'default', name: 'web' };
const noSleep = { sleep: () => Promise.resolve(), random: () => 0.5 };

const withDeployment = async (annotations: Record<string, string> = {}) => {
  const w = autoPoolWorld();
  await w.create(subnetObject('s4', '10.1.0.0/24', ['10.1.0.10-10.1.0.50'], { gateway: '10.1.0.1' }));
  await w.create(
    workload('Deployment', 'default', 'web', {
      replicas: 2,
      annotations: { [SUBNET_ANNO]: '{"ipv4":["s4"]}', ...annotations },
    }),
  );
  const pool = await w.autoName(4, 'Deployment', 'default', 'web');
  return { w, pool };
};

const podOf = (rs: KubeObject, name: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    namespace: 'default',
    name,
    labels: { 'pod-template-hash': '7c9f' },
    annotations: { [SUBNET_ANNO]: '{"ipv4":["s4"]}' },
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: rs.metadata.name,
        uid: rs.metadata.uid ?? '',
        controller: true,
      },
    ],
  },
  spec: { nodeName: 'node-1' },
  status: { phase: 'Running' },
});

describe('auto-pool + IPAM engine', () => {
  it("a Deployment's Pod gets its IP from the auto-pool through the subnet annotation", async () => {
    const { w, pool } = await withDeployment();
    const engine = createIpamEngine({ store: w.store, nodeName: 'node-1', ...noSleep });
    const deploy = (
      await w.store.get({ kind: 'Deployment', namespace: 'default', name: 'web' })
    )._unsafeUnwrap();
    const rs = await w.create<KubeObject>({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        namespace: 'default',
        name: 'web-7c9f',
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'web',
            uid: deploy.metadata.uid ?? '',
            controller: true,
          },
        ],
      },
    });
    await w.create(podOf(rs, 'web-7c9f-aaaaa'));
    const req = {
      podNamespace: 'default',
      podName: 'web-7c9f-aaaaa',
      containerID: 'c1',
      ifName: 'eth0',
      ipamConfig: {},
    };

    // before the controller ran: the pool is not there yet
    const early = await engine.allocate(req);
    expect(early._unsafeUnwrapErr()._tag).toBe('AutoPoolNotReady');

    (await reconcileApplicationPools(w.store, web))._unsafeUnwrap();
    const r = (await engine.allocate(req))._unsafeUnwrap();
    expect(r.ips).toMatchObject([{ address: '10.1.0.10/24', pool, gateway: '10.1.0.1' }]);
    expect((await w.pool(pool))?.status?.allocatedIPCount).toBe(1);

    // a ReplicaSet reconcile is a no-op: its Deployment owns the pools
    const rsOut = (
      await reconcileApplicationPools(w.store, { ...web, kind: 'ReplicaSet', name: 'web-7c9f' })
    )._unsafeUnwrap();
    expect(rsOut).toEqual({ _tag: 'Skipped', reason: 'NotTopController', pools: [] });
    engine.dispose();
  });
});

describe('auto-pool deletion with the application (§3.8 C)', () => {
  it('app gone, reclaim=true, no records: pool deleted and dropped from the subnet status', async () => {
    const { w, pool } = await withDeployment();
    await w.create(subnetObject('keep', '10.7.0.0/24', ['10.7.0.2-10.7.0.9']));
    (await reconcileApplicationPools(w.store, web))._unsafeUnwrap();
    expect((await w.controlled('s4')).has(pool)).toBe(true);
    (await w.store.delete({ kind: 'Deployment', namespace: 'default', name: 'web' }))._unsafeUnwrap();
    const out = (await reconcileApplicationPools(w.store, web))._unsafeUnwrap();
    expect(out).toEqual({
      _tag: 'ApplicationGone',
      pools: [{ pool, subnet: 's4', action: 'deleted', ips: [] }],
    });
    expect(await w.pool(pool)).toBeUndefined();
    expect((await w.subnet('s4')).status).toMatchObject({ allocatedIPCount: 0, totalIPCount: 41 });
    expect((await w.subnet('s4')).status?.controlledIPPools).toBeUndefined();
  });

  it('a pool still holding records stays terminating until it is empty', async () => {
    const { w, pool } = await withDeployment();
    (await reconcileApplicationPools(w.store, web))._unsafeUnwrap();
    await w.allocate(pool, ['10.1.0.11']);
    (await w.store.delete({ kind: 'Deployment', namespace: 'default', name: 'web' }))._unsafeUnwrap();
    const first = (await reconcileApplicationPools(w.store, web))._unsafeUnwrap();
    expect(first.pools.map((c) => c.action)).toEqual(['deletePending']);
    expect((await w.pool(pool))?.metadata.deletionTimestamp).toBeDefined();
    expect((await w.controlled('s4')).has(pool)).toBe(true);
    await w.allocate(pool, []);
    const second = (await reconcileApplicationPools(w.store, web))._unsafeUnwrap();
    expect(second.pools.map((c) => c.action)).toEqual(['deleted']);
    expect(await w.pool(pool)).toBeUndefined();
    expect((await w.controlled('s4')).has(pool)).toBe(false);
  });

  it('reclaim=false: the pool is kept when the app goes, and reused (UID relabelled) by a new app of that name', async () => {
    const { w, pool } = await withDeployment({ [RECLAIM_ANNO]: 'false' });
    (await reconcileApplicationPools(w.store, web))._unsafeUnwrap();
    (await w.store.delete({ kind: 'Deployment', namespace: 'default', name: 'web' }))._unsafeUnwrap();
    expect((await reconcileApplicationPools(w.store, web))._unsafeUnwrap().pools).toEqual([]);
    expect(await w.pool(pool)).toBeDefined();
    const again = await w.create(
      workload('Deployment', 'default', 'web', {
        replicas: 4,
        annotations: { [SUBNET_ANNO]: '{"ipv4":["s4"]}', [RECLAIM_ANNO]: 'false' },
      }),
    );
    const out = (await reconcileApplicationPools(w.store, web))._unsafeUnwrap();
    expect(out.pools).toEqual([{ pool, subnet: 's4', action: 'scaledUp', ips: ['10.1.0.10-10.1.0.14'] }]);
    expect((await w.pool(pool))?.metadata.labels?.['ipam.spidernet.io/owner-application-uid']).toBe(
      again.metadata.uid,
    );
  });

  it('app recreated with reclaim=true: the old pool is deleted, the new app gets its own pool', async () => {
    const { w, pool: oldPool } = await withDeployment();
    (await reconcileApplicationPools(w.store, web))._unsafeUnwrap();
    (await w.store.delete({ kind: 'Deployment', namespace: 'default', name: 'web' }))._unsafeUnwrap();
    await w.create(
      workload('Deployment', 'default', 'web', {
        replicas: 1,
        annotations: { [SUBNET_ANNO]: '{"ipv4":["s4"]}' },
      }),
    );
    const newPool = await w.autoName(4, 'Deployment', 'default', 'web');
    expect(newPool).not.toBe(oldPool);
    const out = (await reconcileApplicationPools(w.store, web))._unsafeUnwrap();
    expect(out.pools.map((c) => [c.pool, c.action])).toEqual([
      [newPool, 'created'],
      [oldPool, 'deleted'],
    ]);
    // the old pool's IPs were still reserved when the new pool was planned
    expect((await w.pool(newPool))?.spec.ips).toEqual(['10.1.0.13-10.1.0.14']);
    expect([...(await w.controlled('s4')).keys()]).toEqual([newPool]);
  });

  it('app gone: an entry left in the subnet without its pool is dropped; other apps are untouched', async () => {
    const { w } = await withDeployment();
    const s = await w.subnet('s4');
    const left =
      '{"auto4-web-eth0-zzzzz":{"ips":["10.1.0.40"],"application":"apps_v1_Deployment_default_web"},' +
      '"other":{"ips":["10.1.0.41"],"application":"apps_v1_Deployment_default_other"}}';
    (await w.store.updateStatus({ ...s, status: { controlledIPPools: left } }))._unsafeUnwrap();
    (await w.store.delete({ kind: 'Deployment', namespace: 'default', name: 'web' }))._unsafeUnwrap();
    const out = (await reconcileApplicationPools(w.store, web))._unsafeUnwrap();
    expect(out.pools).toEqual([{ pool: 'auto4-web-eth0-zzzzz', subnet: 's4', action: 'deleted', ips: [] }]);
    expect([...(await w.controlled('s4')).keys()]).toEqual(['other']);
    expect((await w.subnet('s4')).status?.allocatedIPCount).toBe(1);
  });
});
