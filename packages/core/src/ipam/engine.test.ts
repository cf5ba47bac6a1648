import { describe, expect, it } from 'vitest';
import { createIpamEngine } from './engine.ts';
import { addReq, engineWorld, ipPool, noSleepRandom, pod } from './engineTestKit.ts';

const SRIOV = { 'v1.multus-cni.io/default-network': 'kube-system/sriov-test' };

const seedWorld = async () => {
  const w = engineWorld();
  await w.create(
    ipPool('ippool-test', '10.20.0.0/16', {
      ips: ['10.20.168.190-10.20.168.199'],
      gateway: '10.20.0.1',
      default: true,
      multusName: ['kube-system/sriov-test'],
    }),
  );
  const engine = createIpamEngine({ store: w.store, nodeName: 'node-1', ...noSleepRandom(1) });
  return { ...w, engine };
};

const rsOwner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'sriov-deploy-7d9c5b8f4' };

describe('IpamEngine: the seed walkthrough', () => {
  it('two Pods of Deployment sriov-deploy get .190/16 and .191/16, pool 2 allocated, two endpoints', async () => {
    const w = await seedWorld();
    await w.create(
      pod('default', 'sriov-deploy-7d9c5b8f4-aaaaa', {
        annotations: SRIOV,
        owner: rsOwner,
        labels: { 'pod-template-hash': '7d9c5b8f4' },
      }),
    );
    await w.create(
      pod('default', 'sriov-deploy-7d9c5b8f4-bbbbb', {
        annotations: SRIOV,
        owner: rsOwner,
        labels: { 'pod-template-hash': '7d9c5b8f4' },
      }),
    );
    const a = (await w.engine.allocate(addReq('default', 'sriov-deploy-7d9c5b8f4-aaaaa')))._unsafeUnwrap();
    const b = (await w.engine.allocate(addReq('default', 'sriov-deploy-7d9c5b8f4-bbbbb')))._unsafeUnwrap();
    expect(a.ips.map((i) => i.address)).toEqual(['10.20.168.190/16']);
    expect(b.ips.map((i) => i.address)).toEqual(['10.20.168.191/16']);
    expect(a.ips[0]).toMatchObject({
      nic: 'eth0',
      version: 4,
      pool: 'ippool-test',
      gateway: '10.20.0.1',
      cleanGateway: false,
    });
    expect(a.routes).toEqual([{ dst: '0.0.0.0/0', gw: '10.20.0.1' }]);
    const pool = await w.getPool('ippool-test');
    expect(pool.status?.allocatedIPCount).toBe(2);
    const recs = await w.records('ippool-test');
    expect(recs.get('10.20.168.190')?.pod).toBe('default/sriov-deploy-7d9c5b8f4-aaaaa');
    const ep = await w.endpoint('default', 'sriov-deploy-7d9c5b8f4-aaaaa');
    expect(ep?.metadata.finalizers).toEqual(['spiderpool.spidernet.io']);
    expect(ep?.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'Pod',
      name: 'sriov-deploy-7d9c5b8f4-aaaaa',
    });
    expect(ep?.status).toEqual({
      current: {
        uid: (
          await w.store.get({ kind: 'Pod', namespace: 'default', name: 'sriov-deploy-7d9c5b8f4-aaaaa' })
        )._unsafeUnwrap().metadata.uid,
        node: 'node-1',
        ips: [
          {
            interface: 'eth0',
            ipv4: '10.20.168.190/16',
            ipv4Pool: 'ippool-test',
            vlan: 0,
            ipv4Gateway: '10.20.0.1',
            cleanGateway: false,
          },
        ],
      },
      ownerControllerType: 'Deployment',
      ownerControllerName: 'sriov-deploy',
    });
    expect(await w.endpoint('default', 'sriov-deploy-7d9c5b8f4-bbbbb')).toBeDefined();
  });

  it('a Pod pointing at another NAD is refused with every reason; explain shows why', async () => {
    const w = await seedWorld();
    await w.create(
      pod('default', 'other', { annotations: { 'v1.multus-cni.io/default-network': 'kube-system/macvlan' } }),
    );
    const r = await w.engine.allocate(addReq('default', 'other'));
    expect(r._unsafeUnwrapErr()._tag).toBe('AllPoolsFilteredOut');
    const ex = (await w.engine.explain('default', 'other', 'eth0'))._unsafeUnwrap();
    expect(ex.nics[0]?.versions[0]?.dropped[0]).toMatchObject({
      pool: 'ippool-test',
      reason: { _tag: 'MultusNameMismatch' },
    });
    expect(ex.nics[0]?.versions[0]?.chosen).toBeUndefined();
    expect((await w.records('ippool-test')).size).toBe(0);
  });

  it('explain names the IP a fresh ADD would get, without writing', async () => {
    const w = await seedWorld();
    await w.create(pod('default', 'p1', { annotations: SRIOV }));
    const ex = (await w.engine.explain('default', 'p1', 'eth0'))._unsafeUnwrap();
    expect(ex.nics[0]?.versions[0]?.chosen).toEqual({ pool: 'ippool-test', ip: '10.20.168.190' });
    expect(ex.nics[0]?.versions[0]?.pools[0]?.free).toBe('10');
    const got = (await w.engine.allocate(addReq('default', 'p1')))._unsafeUnwrap();
    expect(got.ips[0]?.address).toBe('10.20.168.190/16');
    const again = (await w.engine.explain('default', 'p1', 'eth0'))._unsafeUnwrap();
    expect(again.existing?.ipv4).toBe('10.20.168.190/16');
    expect(again.nics[0]?.versions[0]?.chosen?.ip).toBe('10.20.168.191');
  });

  it('fails for a missing Pod and a Pod that is not alive', async () => {
    const w = await seedWorld();
    expect((await w.engine.allocate(addReq('default', 'nope')))._unsafeUnwrapErr()._tag).toBe('PodNotFound');
    const p = pod('default', 'done', { annotations: SRIOV });
    (p.spec as { restartPolicy?: string }).restartPolicy = 'Never';
    const created = await w.create(p);
    (await w.store.updateStatus({ ...created, status: { phase: 'Failed' } }))._unsafeUnwrap();
    expect((await w.engine.allocate(addReq('default', 'done')))._unsafeUnwrapErr()._tag).toBe('PodNotAlive');
  });
});
