import { describe, expect, it } from 'vitest';
import type { SubnetSpec } from '../api/pools.ts';
import { encodeControlledIPPools } from '../api/statusCodecs.ts';
import { brief, context, pool, stored, subnet } from './ippoolTestKit.ts';
import { defaultSubnet } from './subnetDefault.ts';
import { validateSubnetCreate, validateSubnetDelete, validateSubnetUpdate } from './subnetValidate.ts';

const ctx0 = context();
const create = (spec: SubnetSpec, ctx = ctx0, name = 's') =>
  brief(validateSubnetCreate(defaultSubnet(subnet(name, spec)), ctx));
const storedSubnet = (name: string, spec: SubnetSpec) => defaultSubnet(subnet(name, spec));

describe('SpiderSubnet defaulting (§2.4)', () => {
  it('finalizer, ipVersion, subnet-cidr label, merged ranges; idempotent', () => {
    const d = defaultSubnet(
      subnet('s', {
        subnet: '172.18.40.0/24',
        ips: ['172.18.40.10', '172.18.40.1-172.18.40.2', '172.18.40.2-172.18.40.3'],
      }),
    );
    expect(d.metadata.finalizers).toEqual(['spiderpool.spidernet.io']);
    expect(d.metadata.labels).toEqual({ 'ipam.spidernet.io/subnet-cidr': '172-18-40-0-24' });
    expect(d.spec.ipVersion).toBe(4);
    expect(d.spec.ips).toEqual(['172.18.40.1-172.18.40.3', '172.18.40.10']);
    expect(defaultSubnet(d)).toEqual(d);
  });

  it('stops on a bad subnet; terminating untouched', () => {
    const bad = defaultSubnet(subnet('s', { subnet: '::ffff:10.0.0.0/104' }));
    expect(bad.spec.ipVersion).toBeUndefined();
    expect(bad.metadata.finalizers).toEqual(['spiderpool.spidernet.io']);
    expect(validateSubnetCreate(bad, ctx0).map((e) => e.field)).toEqual(['spec.subnet']);
    expect(brief(validateSubnetCreate(bad, ctx0))[0]).toMatch(/^Invalid spec.subnet: IPv4-mapped IPv6/);
    const term = defaultSubnet(
      subnet('s', { subnet: '10.0.0.0/8' }, { deletionTimestamp: '2024-01-01T00:00:00Z' }),
    );
    expect(term.metadata.finalizers).toBeUndefined();
  });
});

describe('SpiderSubnet create validation (§2.4)', () => {
  it('ipVersion rules and canonical CIDR', () => {
    expect(create({ subnet: '10.0.0.0/8' }, context({ settings: { enableIPv4: false } }))).toEqual([
      'Forbidden spec.ipVersion: IPv4 is disabled',
    ]);
    expect(brief(validateSubnetCreate(subnet('s', { subnet: '10.0.0.0/8', ipVersion: 7 }), ctx0))[0]).toMatch(
      /^NotSupported/,
    );
    expect(create({ subnet: '172.10.5.0/16' })).toEqual([
      'Invalid spec.subnet: unformatted subnet 172.10.5.0/16, please change it to 172.10.0.0/16',
    ]);
  });

  it('any CIDR overlap with another subnet is refused, the identical CIDR included (unlike pools)', () => {
    const ctx = context({ subnets: [storedSubnet('a', { subnet: '10.6.0.0/16' })] });
    const msg = "Invalid spec.subnet: overlap with Subnet a which 'spec.subnet' is 10.6.0.0/16";
    expect(create({ subnet: '10.6.0.0/16' }, ctx)).toEqual([msg]);
    expect(create({ subnet: '10.6.1.0/24' }, ctx)).toEqual([msg]);
    expect(create({ subnet: '10.7.0.0/16' }, ctx)).toEqual([]);
    expect(
      validateSubnetCreate(defaultSubnet(subnet('a', { subnet: '10.9.0.0/16' })), ctx).map((e) => e.type),
    ).toEqual(['AlreadyExists']);
  });

  it('orphan pools: overlapping different subnet refused, identical subnet must fit the new ranges', () => {
    const p = stored(pool('p', { subnet: '10.6.0.0/16', ips: ['10.6.0.10-10.6.0.20'] }));
    const ctx = context({ pools: [p] });
    expect(create({ subnet: '10.6.0.0/24' }, ctx)).toEqual([
      "Invalid spec.subnet: overlap with SpiderIPPool 'p' resource 'spec.subnet' 10.6.0.0/16",
    ]);
    expect(create({ subnet: '10.6.0.0/16', ips: ['10.6.0.1-10.6.0.15'] }, ctx)).toEqual([
      "Invalid spec.ips: SpiderIPPool 'p' owns some IP addresses that SpiderSubnet 's' can't control",
    ]);
    expect(create({ subnet: '10.6.0.0/16', ips: ['10.6.0.1-10.6.0.30'] }, ctx)).toEqual([]);
  });

  it('ips and excludeIPs inside the CIDR; gateway and routes as for pools', () => {
    expect(create({ subnet: '10.6.0.0/24', ips: ['10.6.0.1', '10.6.1.1'] })).toEqual([
      "Invalid spec.ips[1]: not pertains to the 'spec.subnet' 10.6.0.0/24 of IPPool",
    ]);
    expect(create({ subnet: '10.6.0.0/24', excludeIPs: ['10.6.0.9-10.6.0.1'] })[0]).toMatch(
      /^Invalid spec.excludeIPs\[0\]: invalid IP range format in IPv4/,
    );
    expect(create({ subnet: '10.6.0.0/24', ips: ['10.6.0.1-10.6.0.9'], gateway: '10.6.0.1' })[0]).toMatch(
      /^Invalid spec.ips\[0\]: conflicts with 'spec.gateway' 10.6.0.1/,
    );
    expect(create({ subnet: '10.6.0.0/24', routes: [{ dst: '0.0.0.0/0', gw: '10.6.0.1' }] })[0]).toMatch(
      /default route/,
    );
    expect(
      create({ subnet: 'fd00::/64', ips: ['fd00::1-fd00::ff'], gateway: 'fd00::1', excludeIPs: ['fd00::1'] }),
    ).toEqual([]);
  });
});

describe('SpiderSubnet update and delete validation (§2.4)', () => {
  const base = storedSubnet('s', { subnet: '10.6.0.0/16', ips: ['10.6.0.1-10.6.0.100'] });
  base.status = {
    controlledIPPools: encodeControlledIPPools(new Map([['p1', { ips: ['10.6.0.10-10.6.0.20'] }]])) as string,
  };

  it('immutable ipVersion and subnet', () => {
    expect(
      brief(validateSubnetUpdate(base, { ...base, spec: { ...base.spec, subnet: '10.6.0.0/24' } }, ctx0)),
    ).toEqual(['Forbidden spec.subnet: is not changeable']);
    expect(
      brief(validateSubnetUpdate(base, { ...base, spec: { ...base.spec, ipVersion: 6 } }, ctx0)),
    ).toEqual(['Forbidden spec.ipVersion: is not changeable']);
  });

  it('ranges pre-allocated to a controlled pool may not be removed', () => {
    const shrink = { ...base, spec: { ...base.spec, excludeIPs: ['10.6.0.15-10.6.0.30'] } };
    expect(brief(validateSubnetUpdate(base, shrink, ctx0))).toEqual([
      "Forbidden spec.ips: remove some IP ranges [10.6.0.15-10.6.0.20] that is being used by IPPool p1, total IP addresses of an Subnet are jointly determined by 'spec.ips' and 'spec.excludeIPs'",
    ]);
    const grow = { ...base, spec: { ...base.spec, ips: ['10.6.0.1-10.6.0.200'] } };
    expect(validateSubnetUpdate(base, grow, ctx0)).toEqual([]);
    const broken = { ...base, status: { controlledIPPools: '[]' } };
    expect(brief(validateSubnetUpdate(base, broken, ctx0))[0]).toMatch(
      /^InternalError status.controlledIPPools/,
    );
  });

  it('terminating update Forbidden with the finalizer (Spiderpool wording kept)', () => {
    const term = { ...base, metadata: { ...base.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } };
    expect(brief(validateSubnetUpdate(base, term, ctx0))).toEqual([
      'Forbidden metadata.deletionTimestamp: cannot update a terminaing Subnet',
    ]);
    expect(
      validateSubnetUpdate(base, { ...term, metadata: { ...term.metadata, finalizers: [] } }, ctx0),
    ).toEqual([]);
  });

  it('delete refused with allocated IPs only when the delete webhook is enabled', () => {
    const busy = { ...base, status: { allocatedIPCount: 11 } };
    expect(validateSubnetDelete(busy, ctx0)).toEqual([]);
    expect(
      brief(
        validateSubnetDelete(busy, context({ settings: { enableValidatingResourcesDeletedWebhook: true } })),
      ),
    ).toEqual(['Forbidden status.allocatedIPCount: cannot delete an Subnet with allocated IPs(11)']);
  });
});
