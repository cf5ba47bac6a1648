import { describe, expect, it } from 'vitest';
import type { SpiderIPPool, SpiderSubnet } from '../api/index.ts';
import { decodeControlledIPPools, encodeControlledIPPools, SPIDER_FINALIZER } from '../api/index.ts';
import { createMemoryStore } from '../store/index.ts';
import { reconcileSubnet } from './subnetReconcile.ts';
import { checkPoolInSubnet, computeSubnetStatus } from './subnetStatus.ts';

const SP = 'spiderpool.spidernet.io/v2beta1';
const OWNER = 'ipam.spidernet.io/owner-spider-subnet';
const subnet = (controlled?: string): SpiderSubnet => ({
  apiVersion: SP,
  kind: 'SpiderSubnet',
  metadata: { name: 's1', finalizers: [SPIDER_FINALIZER] },
  spec: {
    subnet: '172.18.41.0/24',
    ipVersion: 4,
    ips: ['172.18.41.1-172.18.41.200'],
    excludeIPs: ['172.18.41.100'],
  },
  ...(controlled === undefined ? {} : { status: { controlledIPPools: controlled } }),
});
const pool = (
  name: string,
  ips: string[],
  labels: Record<string, string> = { [OWNER]: 's1' },
  excludeIPs: string[] = [],
): SpiderIPPool => ({
  apiVersion: SP,
  kind: 'SpiderIPPool',
  metadata: { name, labels },
  spec: { subnet: '172.18.41.0/24', ipVersion: 4, ips, excludeIPs },
});
const autoLabels = {
  [OWNER]: 's1',
  'ipam.spidernet.io/owner-application-gv': 'apps_v1',
  'ipam.spidernet.io/owner-application-kind': 'Deployment',
  'ipam.spidernet.io/owner-application-namespace': 'default',
  'ipam.spidernet.io/owner-application-name': 'nginx',
};

describe('computeSubnetStatus', () => {
  it('total = ips − excludeIPs; manual pools counted inside the subnet only', () => {
    const r = computeSubnetStatus(subnet(), [
      pool('manual', ['172.18.41.95-172.18.41.110'], undefined, ['172.18.41.96']),
    ])._unsafeUnwrap();
    expect(r.status.totalIPCount).toBe(199);
    // 95..110 = 16, minus .96 (pool exclude) = 15, minus .100 (subnet exclude) = 14.
    expect(r.status.allocatedIPCount).toBe(14);
    expect(r.controlled.get('manual')).toEqual({
      ips: ['172.18.41.95', '172.18.41.97-172.18.41.99', '172.18.41.101-172.18.41.110'],
    });
  });
  it('keeps auto-pool pre-allocations with their application key, drops those of vanished apps and pools', () => {
    const controlled = encodeControlledIPPools(
      new Map([
        [
          'auto4-nginx-eth0-2b3c4',
          { ips: ['172.18.41.1-172.18.41.3'], application: 'apps_v1_Deployment_default_nginx' },
        ],
        ['auto4-gone-eth0-aaaaa', { ips: ['172.18.41.4'], application: 'apps_v1_Deployment_default_gone' }],
        ['auto4-bad', { ips: ['172.18.41.5'], application: 'not-a-key' }],
      ]),
    );
    const r = computeSubnetStatus(
      subnet(controlled),
      [pool('auto4-nginx-eth0-2b3c4', ['172.18.41.1-172.18.41.3'], autoLabels)],
      {
        appExists: (k) => k.endsWith('_nginx'),
      },
    )._unsafeUnwrap();
    expect([...r.controlled.keys()]).toEqual(['auto4-nginx-eth0-2b3c4']);
    expect(r.status.allocatedIPCount).toBe(3);
    expect(r.status.controlledIPPools).toBe(
      '{"auto4-nginx-eth0-2b3c4":{"ips":["172.18.41.1-172.18.41.3"],"application":"apps_v1_Deployment_default_nginx"}}',
    );
  });
  it('adds an auto-pool missing from the status, with the key from its labels', () => {
    const r = computeSubnetStatus(subnet(), [
      pool('auto4-nginx-eth0-x', ['172.18.41.7'], autoLabels),
    ])._unsafeUnwrap();
    expect(r.controlled.get('auto4-nginx-eth0-x')).toEqual({
      ips: ['172.18.41.7'],
      application: 'apps_v1_Deployment_default_nginx',
    });
  });
  it('no controlled pools: controlledIPPools omitted, allocatedIPCount 0', () => {
    const r = computeSubnetStatus(subnet(), [])._unsafeUnwrap();
    expect(r.status.controlledIPPools).toBeUndefined();
    expect(r.status.allocatedIPCount).toBe(0);
  });
});

describe('checkPoolInSubnet', () => {
  it('accepts a contained pool, names the ranges outside, rejects another CIDR', () => {
    expect(checkPoolInSubnet(pool('a', ['172.18.41.1-172.18.41.10']), subnet()).isOk()).toBe(true);
    expect(
      checkPoolInSubnet(pool('a', ['172.18.41.99-172.18.41.100'], {}, ['172.18.41.100']), subnet()).isOk(),
    ).toBe(true);
    const e = checkPoolInSubnet(
      pool('a', ['172.18.41.99-172.18.41.101', '172.18.41.250']),
      subnet(),
    )._unsafeUnwrapErr();
    expect(e._tag === 'PoolNotInSubnet' && e.outside).toEqual(['172.18.41.100', '172.18.41.250']);
    const other = { ...pool('a', []), spec: { subnet: '172.18.0.0/16', ips: [] } };
    expect(checkPoolInSubnet(other, subnet())._unsafeUnwrapErr()._tag).toBe('PoolNotInSubnet');
  });
});

describe('reconcileSubnet', () => {
  it('writes the status from labelled pools and completes deletion once nothing is controlled', async () => {
    const store = createMemoryStore({ now: () => new Date(0) });
    await store.create(subnet());
    await store.create(pool('manual', ['172.18.41.1-172.18.41.5']));
    await store.create(pool('other', ['172.18.41.6'], {}));
    expect((await reconcileSubnet(store, 's1'))._unsafeUnwrap()).toBe('statusUpdated');
    const s = (await store.get<SpiderSubnet>({ kind: 'SpiderSubnet', name: 's1' }))._unsafeUnwrap();
    expect(s.status?.allocatedIPCount).toBe(5);
    expect([...decodeControlledIPPools(s.status?.controlledIPPools)._unsafeUnwrap().keys()]).toEqual([
      'manual',
    ]);
    expect((await reconcileSubnet(store, 's1'))._unsafeUnwrap()).toBe('unchanged');

    await store.delete({ kind: 'SpiderSubnet', name: 's1' });
    expect((await reconcileSubnet(store, 's1'))._unsafeUnwrap()).toBe('unchanged');
    await store.delete({ kind: 'SpiderIPPool', name: 'manual' });
    expect((await reconcileSubnet(store, 's1'))._unsafeUnwrap()).toBe('finalizerRemoved');
    expect((await store.get({ kind: 'SpiderSubnet', name: 's1' })).isErr()).toBe(true);
    expect((await reconcileSubnet(store, 's1'))._unsafeUnwrap()).toBe('absent');
  });
});
