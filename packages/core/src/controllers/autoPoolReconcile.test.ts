import { describe, expect, it } from 'vitest';
import type { SpiderReservedIP } from '../api/index.ts';
import { reconcileApplicationPools } from './autoPoolReconcile.ts';
import {
  autoPoolWorld,
  IP_NUMBER_ANNO,
  RECLAIM_ANNO,
  SUBNET_ANNO,
  SUBNETS_ANNO,
  subnetObject,
  workload,
} from './autoPoolTestKit.ts';

// subnet s4 is the first object, the Deployment the second: uid ...-00002..., pool suffix 00002
const POOL = 'auto4-nginx-eth0-00002';
const DEPLOY_UID = '00000000-0000-4000-8000-000020000000';
const ref = { kind: 'Deployment', namespace: 'default', name: 'nginx' };
const anno = (extra: Record<string, string> = {}) => ({ [SUBNET_ANNO]: '{"ipv4":["s4"]}', ...extra });

const setup = async (replicas = 2, extra: Record<string, string> = {}) => {
  const w = autoPoolWorld();
  await w.create(
    subnetObject('s4', '10.1.0.0/24', ['10.1.0.10-10.1.0.50'], {
      gateway: '10.1.0.1',
      routes: [{ dst: '10.9.0.0/16', gw: '10.1.0.1' }],
    }),
  );
  await w.create(
    workload('Deployment', 'default', 'nginx', { replicas, uid: DEPLOY_UID, annotations: anno(extra) }),
  );
  return w;
};

describe('reconcileApplicationPools: create', () => {
  it('creates the auto-pool with §1.1 labels, annotation, podAffinity, owner and the lowest subnet IPs', async () => {
    const w = await setup(2);
    const out = (await reconcileApplicationPools(w.store, ref))._unsafeUnwrap();
    expect(out).toEqual({
      _tag: 'Reconciled',
      pools: [{ pool: POOL, subnet: 's4', action: 'created', ips: ['10.1.0.10-10.1.0.12'] }],
    });
    const p = await w.pool(POOL);
    expect(p?.metadata.labels).toEqual({
      'ipam.spidernet.io/owner-spider-subnet': 's4',
      'ipam.spidernet.io/owner-application-gv': 'apps_v1',
      'ipam.spidernet.io/owner-application-kind': 'Deployment',
      'ipam.spidernet.io/owner-application-namespace': 'default',
      'ipam.spidernet.io/owner-application-name': 'nginx',
      'ipam.spidernet.io/owner-application-uid': DEPLOY_UID,
      'ipam.spidernet.io/interface': 'eth0',
      'ipam.spidernet.io/ippool-reclaim': 'true',
      'ipam.spidernet.io/ip-version': 'IPv4',
      'ipam.spidernet.io/ippool-cidr': '10-1-0-0-24',
    });
    expect(p?.metadata.annotations).toEqual({ 'ipam.spidernet.io/ippool-ip-number': '+1' });
    expect(p?.metadata.finalizers).toEqual(['spiderpool.spidernet.io']);
    const s = await w.subnet('s4');
    expect(p?.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'spiderpool.spidernet.io/v2beta1',
        kind: 'SpiderSubnet',
        name: 's4',
        uid: s.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(p?.spec).toEqual({
      ipVersion: 4,
      subnet: '10.1.0.0/24',
      ips: ['10.1.0.10-10.1.0.12'],
      gateway: '10.1.0.1',
      routes: [{ dst: '10.9.0.0/16', gw: '10.1.0.1' }],
      podAffinity: {
        matchLabels: {
          'ipam.spidernet.io/app-api-group': 'apps',
          'ipam.spidernet.io/app-api-version': 'v1',
          'ipam.spidernet.io/app-kind': 'Deployment',
          'ipam.spidernet.io/app-namespace': 'default',
          'ipam.spidernet.io/app-name': 'nginx',
        },
      },
    });
    expect(s.status?.controlledIPPools).toBe(
      `{"${POOL}":{"ips":["10.1.0.10-10.1.0.12"],"application":"apps_v1_Deployment_default_nginx"}}`,
    );
    expect(s.status?.allocatedIPCount).toBe(3);
    expect(s.status?.totalIPCount).toBe(41);
  });

  it('is idempotent: a second reconcile writes nothing', async () => {
    const w = await setup(2);
    await reconcileApplicationPools(w.store, ref);
    const rv = (await w.pool(POOL))?.metadata.resourceVersion;
    const srv = (await w.subnet('s4')).metadata.resourceVersion;
    const out = (await reconcileApplicationPools(w.store, ref))._unsafeUnwrap();
    expect(out.pools.map((c) => c.action)).toEqual(['unchanged']);
    expect((await w.pool(POOL))?.metadata.resourceVersion).toBe(rv);
    expect((await w.subnet('s4')).metadata.resourceVersion).toBe(srv);
  });

  it('fixed IP number; skips SpiderReservedIPs and addresses held by other controlled pools', async () => {
    const w = await setup(7, { [IP_NUMBER_ANNO]: '4' });
    await w.create<SpiderReservedIP>({
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderReservedIP',
      metadata: { name: 'r' },
      spec: { ipVersion: 4, ips: ['10.1.0.11'] },
    });
    const s = await w.subnet('s4');
    const manual = `{"manual":{"ips":["10.1.0.10","10.1.0.13"]}}`;
    (await w.store.updateStatus({ ...s, status: { controlledIPPools: manual } }))._unsafeUnwrap();
    const out = (await reconcileApplicationPools(w.store, ref))._unsafeUnwrap();
    expect(out.pools[0]?.ips).toEqual(['10.1.0.12', '10.1.0.14-10.1.0.16']);
    expect((await w.pool(POOL))?.metadata.annotations?.['ipam.spidernet.io/ippool-ip-number']).toBe('4');
    expect((await w.controlled('s4')).get('manual')?.ips).toEqual(['10.1.0.10', '10.1.0.13']);
  });

  it('one pool per NIC and family from `subnets`; reclaim=false is labelled', async () => {
    const w = autoPoolWorld();
    await w.create(subnetObject('a4', '10.2.0.0/24', ['10.2.0.2-10.2.0.9']));
    await w.create(subnetObject('a6', 'fd00::/120', ['fd00::2-fd00::9']));
    await w.create(subnetObject('b4', '10.3.0.0/24', ['10.3.0.2-10.3.0.9']));
    const subnets = '[{"interface":"eth0","ipv4":["a4"],"ipv6":["a6"]},{"interface":"net1","ipv4":["b4"]}]';
    await w.create(
      workload('StatefulSet', 'db', 'pg', {
        replicas: 1,
        annotations: { [SUBNETS_ANNO]: subnets, [RECLAIM_ANNO]: 'false' },
      }),
    );
    const out = (
      await reconcileApplicationPools(w.store, { kind: 'StatefulSet', namespace: 'db', name: 'pg' })
    )._unsafeUnwrap();
    expect(out.pools.map((c) => [c.pool, c.ips])).toEqual([
      ['auto4-pg-eth0-00004', ['10.2.0.2-10.2.0.3']],
      ['auto6-pg-eth0-00004', ['fd00::2-fd00::3']],
      ['auto4-pg-net1-00004', ['10.3.0.2-10.3.0.3']],
    ]);
    expect((await w.pool('auto6-pg-eth0-00004'))?.metadata.labels?.['ipam.spidernet.io/ippool-reclaim']).toBe(
      'false',
    );
    expect((await w.pool('auto6-pg-eth0-00004'))?.spec.ipVersion).toBe(6);
  });

  it('skips apps without the annotation, host-network apps and ReplicaSets of a Deployment', async () => {
    const w = autoPoolWorld();
    await w.create(workload('Deployment', 'default', 'plain', { replicas: 1 }));
    const hostNet = workload('Deployment', 'default', 'hn', { replicas: 1, annotations: anno() });
    const tpl = hostNet.spec?.template;
    if (tpl !== undefined) tpl.spec = { hostNetwork: true };
    await w.create(hostNet);
    const rs = workload('ReplicaSet', 'default', 'nginx-5d', { replicas: 1, annotations: anno() });
    rs.metadata.ownerReferences = [
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx', uid: 'u', controller: true },
    ];
    await w.create(rs);
    const reason = async (kind: string, name: string) => {
      const o = (
        await reconcileApplicationPools(w.store, { kind, namespace: 'default', name })
      )._unsafeUnwrap();
      return o._tag === 'Skipped' ? o.reason : o._tag;
    };
    expect(await reason('Deployment', 'plain')).toBe('NoSubnetAnnotation');
    expect(await reason('Deployment', 'hn')).toBe('HostNetwork');
    expect(await reason('ReplicaSet', 'nginx-5d')).toBe('NotTopController');
    const off = await reconcileApplicationPools(
      w.store,
      { kind: 'Deployment', namespace: 'default', name: 'hn' },
      {
        settings: { enableAutoPoolForApplication: false },
      },
    );
    expect(off._unsafeUnwrap()).toMatchObject({ _tag: 'Skipped', reason: 'SubnetFeatureDisabled' });
    expect(await w.pools()).toEqual([]);
  });
});

describe('reconcileApplicationPools: scale', () => {
  it('scales up with the lowest free IPs, keeping the old ones', async () => {
    const w = await setup(2);
    await reconcileApplicationPools(w.store, ref);
    await w.scale('Deployment', 'default', 'nginx', 5);
    const out = (await reconcileApplicationPools(w.store, ref))._unsafeUnwrap();
    expect(out.pools).toEqual([
      { pool: POOL, subnet: 's4', action: 'scaledUp', ips: ['10.1.0.10-10.1.0.15'] },
    ]);
    expect((await w.pool(POOL))?.spec.ips).toEqual(['10.1.0.10-10.1.0.15']);
    expect((await w.controlled('s4')).get(POOL)?.ips).toEqual(['10.1.0.10-10.1.0.15']);
    expect((await w.subnet('s4')).status?.allocatedIPCount).toBe(6);
  });

  it('scales down by releasing the lowest unallocated IPs', async () => {
    const w = await setup(5);
    await reconcileApplicationPools(w.store, ref);
    await w.allocate(POOL, ['10.1.0.10', '10.1.0.12']);
    await w.scale('Deployment', 'default', 'nginx', 1);
    const out = (await reconcileApplicationPools(w.store, ref))._unsafeUnwrap();
    // 6 -> 2: both allocated IPs stay, the free 11, 13, 14, 15 go
    expect(out.pools[0]).toMatchObject({ action: 'scaledDown', ips: ['10.1.0.10', '10.1.0.12'] });
    expect((await w.pool(POOL))?.spec.ips).toEqual(['10.1.0.10', '10.1.0.12']);
    expect((await w.controlled('s4')).get(POOL)?.ips).toEqual(['10.1.0.10', '10.1.0.12']);
  });

  it('refuses a scale-down with a typed error when too many IPs are in use', async () => {
    const w = await setup(3);
    await reconcileApplicationPools(w.store, ref);
    await w.allocate(POOL, ['10.1.0.10', '10.1.0.11', '10.1.0.12']);
    await w.scale('Deployment', 'default', 'nginx', 0);
    const e = (await reconcileApplicationPools(w.store, ref))._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: 'FreeIPsNotEnough', pool: POOL, current: 4n, desired: 1n, inUse: 3n });
    expect(e.message).toContain('IPPool available free IPs are not enough');
    expect((await w.pool(POOL))?.spec.ips).toEqual(['10.1.0.10-10.1.0.13']);
  });

  it('refuses when the subnet has too few free IPs, writing nothing', async () => {
    const w = await setup(60);
    const e = (await reconcileApplicationPools(w.store, ref))._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: 'InsufficientSubnetIPs', required: 61n, free: 41n });
    expect(await w.pools()).toEqual([]);
    expect((await w.subnet('s4')).status?.controlledIPPools).toBeUndefined();
  });

  it('rejects a changed subnet with ApplicationSubnetChanged', async () => {
    const w = await setup(1);
    await w.create(subnetObject('other', '10.5.0.0/24', ['10.5.0.2-10.5.0.9']));
    await reconcileApplicationPools(w.store, ref);
    const d = (
      await w.store.get({ kind: 'Deployment', namespace: 'default', name: 'nginx' })
    )._unsafeUnwrap();
    const moved = workload('Deployment', 'default', 'nginx', {
      replicas: 1,
      annotations: { [SUBNET_ANNO]: '{"ipv4":["other"]}' },
    });
    (await w.store.update({ ...moved, metadata: d.metadata }))._unsafeUnwrap();
    const e = (await reconcileApplicationPools(w.store, ref))._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: 'ApplicationSubnetChanged', pool: POOL, from: 's4', to: 'other' });
    expect(e.message).toMatch(/^ApplicationSubnetChanged/);
  });

  it('completes an interrupted create (subnet entry written, pool missing) with the same IPs', async () => {
    const w = await setup(2);
    const s = await w.subnet('s4');
    const entry = `{"${POOL}":{"ips":["10.1.0.20-10.1.0.22"],"application":"apps_v1_Deployment_default_nginx"}}`;
    (await w.store.updateStatus({ ...s, status: { controlledIPPools: entry } }))._unsafeUnwrap();
    const out = (await reconcileApplicationPools(w.store, ref))._unsafeUnwrap();
    expect(out.pools[0]).toMatchObject({ action: 'created', ips: ['10.1.0.20-10.1.0.22'] });
  });
});

describe('reconcileApplicationPools: errors', () => {
  it('missing subnet, terminating subnet, wrong family, bad annotations', async () => {
    const w = autoPoolWorld();
    await w.create(subnetObject('s6', 'fd00::/120', ['fd00::2-fd00::9']));
    const mk = async (name: string, annotations: Record<string, string>) => {
      await w.create(workload('Deployment', 'default', name, { replicas: 1, uid: `u-${name}`, annotations }));
      return (
        await reconcileApplicationPools(w.store, { kind: 'Deployment', namespace: 'default', name })
      )._unsafeUnwrapErr()._tag;
    };
    expect(await mk('a', { [SUBNET_ANNO]: '{"ipv4":["nope"]}' })).toBe('SubnetNotFound');
    expect(await mk('b', { [SUBNET_ANNO]: '{"ipv4":["s6"]}' })).toBe('SubnetVersionMismatch');
    expect(await mk('c', { [SUBNET_ANNO]: '{"ipv4":[""]}' })).toBe('InvalidApplicationAnnotation');
    expect(await mk('d', { [SUBNET_ANNO]: '{"ipv6":["s6"]}', [IP_NUMBER_ANNO]: '-1' })).toBe(
      'InvalidApplicationAnnotation',
    );
    expect(await mk('e', { [SUBNET_ANNO]: '{"ipv6":["s6"]}', [RECLAIM_ANNO]: 'maybe' })).toBe(
      'InvalidApplicationAnnotation',
    );
    (await w.store.delete({ kind: 'SpiderSubnet', name: 's6' }))._unsafeUnwrap();
    expect(await mk('f', { [SUBNET_ANNO]: '{"ipv6":["s6"]}' })).toBe('SubnetTerminating');
  });

  it('refuses a name already used by a pool the app does not own', async () => {
    const w = await setup(1);
    const s = await w.subnet('s4');
    const entry = `{"${POOL}":{"ips":["10.1.0.20"],"application":"apps_v1_Deployment_other_nginx"}}`;
    (await w.store.updateStatus({ ...s, status: { controlledIPPools: entry } }))._unsafeUnwrap();
    const e = (await reconcileApplicationPools(w.store, ref))._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: 'AutoPoolNameTaken', pool: POOL });
  });
});
