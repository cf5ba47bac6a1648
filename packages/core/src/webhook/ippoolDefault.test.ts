import { describe, expect, it } from 'vitest';
import { defaultIPPool } from './ippoolDefault.ts';
import { context, pool, subnet } from './ippoolTestKit.ts';
import { validateIPPoolCreate } from './ippoolValidate.ts';

const ctx0 = context();

describe('SpiderIPPool defaulting (§2.2)', () => {
  it('seed ippool-test: finalizer, ipVersion 4, cidr label, and validates cleanly', () => {
    const seed = pool('ippool-test', {
      default: true,
      ips: ['10.20.168.190-10.20.168.199'],
      subnet: '10.20.0.0/16',
      gateway: '10.20.0.1',
      multusName: ['kube-system/sriov-test'],
    });
    const d = defaultIPPool(seed, ctx0);
    expect(d.metadata.finalizers).toEqual(['spiderpool.spidernet.io']);
    expect(d.metadata.labels).toEqual({ 'ipam.spidernet.io/ippool-cidr': '10-20-0-0-16' });
    expect(d.spec.ipVersion).toBe(4);
    expect(d.spec.ips).toEqual(['10.20.168.190-10.20.168.199']);
    expect(validateIPPoolCreate(d, ctx0)).toEqual([]);
    expect(seed.metadata.finalizers).toBeUndefined(); // input untouched
  });

  it('infers IPv6 and merges ips and excludeIPs', () => {
    const d = defaultIPPool(
      pool('v6', {
        subnet: 'abcd:1234::/120',
        ips: ['abcd:1234::10', 'abcd:1234::1-abcd:1234::2', 'abcd:1234::2-abcd:1234::3'],
        excludeIPs: ['abcd:1234::3', 'abcd:1234::2'],
      }),
      ctx0,
    );
    expect(d.spec.ipVersion).toBe(6);
    expect(d.metadata.labels?.['ipam.spidernet.io/ippool-cidr']).toBe('abcd-1234---120');
    expect(d.spec.ips).toEqual(['abcd:1234::1-abcd:1234::3', 'abcd:1234::10']);
    expect(d.spec.excludeIPs).toEqual(['abcd:1234::2-abcd:1234::3']);
  });

  it('stops part-way on a bad subnet or range, skips terminating pools', () => {
    const bad = defaultIPPool(pool('b', { subnet: 'nope', ips: ['10.0.0.2', '10.0.0.1'] }), ctx0);
    expect(bad.metadata.finalizers).toEqual(['spiderpool.spidernet.io']);
    expect(bad.spec.ipVersion).toBeUndefined();
    expect(bad.spec.ips).toEqual(['10.0.0.2', '10.0.0.1']);
    const badRange = defaultIPPool(
      pool('r', { subnet: '10.0.0.0/24', ips: ['10.0.0.2', 'x'], excludeIPs: ['10.0.0.9', '10.0.0.8'] }),
      ctx0,
    );
    expect(badRange.metadata.labels?.['ipam.spidernet.io/ippool-cidr']).toBe('10-0-0-0-24');
    expect(badRange.spec.excludeIPs).toEqual(['10.0.0.9', '10.0.0.8']);
    const term = defaultIPPool(
      pool('t', { subnet: '10.0.0.0/24' }, { deletionTimestamp: '2024-01-01T00:00:00Z' }),
      ctx0,
    );
    expect(term.metadata.finalizers).toBeUndefined();
    expect(term.spec.ipVersion).toBeUndefined();
  });

  it('binds the SpiderSubnet of the same cidr label and inherits gateway and nil routes only', () => {
    const s = subnet(
      'ss',
      {
        subnet: '10.6.0.0/16',
        ipVersion: 4,
        gateway: '10.6.0.1',
        routes: [{ dst: '10.7.0.0/16', gw: '10.6.0.1' }],
      },
      { labels: { 'ipam.spidernet.io/subnet-cidr': '10-6-0-0-16' } },
    );
    const other = subnet(
      'other',
      { subnet: '10.8.0.0/16' },
      { labels: { 'ipam.spidernet.io/subnet-cidr': '10-8-0-0-16' } },
    );
    const ctx = context({ subnets: [other, s] });
    const d = defaultIPPool(pool('p', { subnet: '10.6.0.0/16' }), ctx);
    expect(d.metadata.labels?.['ipam.spidernet.io/owner-spider-subnet']).toBe('ss');
    expect(d.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'spiderpool.spidernet.io/v2beta1',
        kind: 'SpiderSubnet',
        name: 'ss',
        uid: 'uid-ss',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(d.spec.gateway).toBe('10.6.0.1');
    expect(d.spec.routes).toEqual([{ dst: '10.7.0.0/16', gw: '10.6.0.1' }]);
    const keep = defaultIPPool(pool('q', { subnet: '10.6.0.0/16', gateway: '10.6.0.254', routes: [] }), ctx);
    expect(keep.spec.gateway).toBe('10.6.0.254');
    expect(keep.spec.routes).toEqual([]);
    const off = defaultIPPool(
      pool('p', { subnet: '10.6.0.0/16' }),
      context({ subnets: [s], settings: { enableSpiderSubnet: false } }),
    );
    expect(off.metadata.ownerReferences).toBeUndefined();
    expect(off.spec.gateway).toBeUndefined();
  });

  it('leaves a pool controlled by another object alone', () => {
    const s = subnet(
      'ss',
      { subnet: '10.6.0.0/16' },
      { labels: { 'ipam.spidernet.io/subnet-cidr': '10-6-0-0-16' } },
    );
    const owned = pool(
      'p',
      { subnet: '10.6.0.0/16' },
      {
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'u', controller: true },
        ],
      },
    );
    const d = defaultIPPool(owned, context({ subnets: [s] }));
    expect(d.metadata.ownerReferences).toHaveLength(1);
    expect(d.metadata.labels?.['ipam.spidernet.io/owner-spider-subnet']).toBeUndefined();
  });
});

describe('IPv4-mapped IPv6 input (ADR 0008)', () => {
  it('is never given a family: the subnet leaves ipVersion unset, a range of a v4 pool is refused', () => {
    const mapped = defaultIPPool(pool('m', { subnet: '::ffff:10.0.0.0/104' }), ctx0);
    expect(mapped.spec.ipVersion).toBeUndefined();
    expect(validateIPPoolCreate(mapped, ctx0).map((e) => e.field)).toEqual(['spec.subnet']);
    const inRange = defaultIPPool(pool('r', { subnet: '10.0.0.0/8', ips: ['::ffff:10.0.0.1'] }), ctx0);
    const [e] = validateIPPoolCreate(inRange, ctx0);
    expect(e?.field).toBe('spec.ips[0]');
    expect(e?.detail).toMatch(/IPv4-mapped IPv6 addresses are ambiguous/);
    const gw = defaultIPPool(pool('g', { subnet: 'fd00::/64', gateway: '::ffff:10.0.0.1' }), ctx0);
    expect(validateIPPoolCreate(gw, ctx0)[0]?.detail).toMatch(/IPv4-mapped IPv6 address/);
  });
});
