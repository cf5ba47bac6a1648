// Issue 10's bad inputs for the pool, subnet and reserved-IP webhooks: blocks that cannot serve Pods, lists
// too long to admit, and errors that name the field that is wrong (ADR 0021).
import { describe, expect, it } from 'vitest';
import { MAX_RANGE_ENTRIES, MAX_ROUTES } from './admissionBounds.ts';
import { defaultIPPool } from './ippoolDefault.ts';
import { brief, context, pool, reservedIP, subnet } from './ippoolTestKit.ts';
import { validateIPPoolCreate, validateIPPoolUpdate } from './ippoolValidate.ts';
import { defaultReservedIP, validateReservedIPCreate } from './reservedIPWebhook.ts';
import { defaultSubnet } from './subnetDefault.ts';
import { validateSubnetCreate } from './subnetValidate.ts';
import { UNUSABLE_BLOCKS } from './unusableSubnet.ts';

const ctx = context({ settings: { enableIPv6: true } });
const createPool = (spec: Parameters<typeof pool>[1]) =>
  validateIPPoolCreate(defaultIPPool(pool('p', spec), ctx), ctx);
const createSubnet = (spec: Parameters<typeof subnet>[1]) =>
  validateSubnetCreate(defaultSubnet(subnet('s', spec)), ctx);

describe('subnets that cannot serve Pods are refused (a divergence from Spiderpool)', () => {
  const cases: [string, string, RegExp][] = [
    ['0.0.0.0/0', '0.0.0.1', /a \/0 subnet cannot serve Pods/],
    ['::/0', '::5', /a \/0 subnet cannot serve Pods/],
    ['0.0.0.0/8', '0.0.0.1', /overlaps 0\.0\.0\.0\/8, "this network"/],
    ['127.0.0.0/8', '127.0.0.2', /overlaps 127\.0\.0\.0\/8, loopback/],
    ['127.1.0.0/16', '127.1.0.2', /loopback/],
    ['169.254.0.0/16', '169.254.1.1', /link-local/],
    ['224.0.0.0/24', '224.0.0.5', /multicast/],
    ['128.0.0.0/1', '128.0.0.1', /overlaps 169\.254\.0\.0\/16, link-local/],
    ['255.255.255.0/24', '255.255.255.1', /multicast|limited broadcast/],
    ['::/64', '::2', /overlaps ::\/128, the unspecified address/],
    ['::1/128', '::1', /loopback/],
    ['fe80::/64', 'fe80::1', /overlaps fe80::\/10, link-local/],
    ['ff02::/16', 'ff02::1', /multicast/],
  ];
  it.each(cases)('pool and subnet %s are Invalid under spec.subnet', (cidr, ip, why) => {
    for (const errs of [createPool({ subnet: cidr, ips: [ip] }), createSubnet({ subnet: cidr, ips: [ip] })]) {
      expect(errs).toHaveLength(1);
      expect(errs[0]?.type).toBe('Invalid');
      expect(errs[0]?.field).toBe('spec.subnet');
      expect(errs[0]?.value).toBe(cidr);
      expect(errs[0]?.detail).toMatch(why);
    }
  });

  it('every listed block parses, and the neighbours of each block stay admitted', () => {
    expect(UNUSABLE_BLOCKS[4].length + UNUSABLE_BLOCKS[6].length).toBe(9);
    for (const [cidr, ip] of [
      ['1.0.0.0/8', '1.0.0.1'],
      ['126.255.255.0/24', '126.255.255.1'],
      ['128.0.0.0/8', '128.0.0.1'],
      ['169.253.0.0/16', '169.253.0.1'],
      ['223.255.255.0/24', '223.255.255.1'],
      ['10.20.0.0/16', '10.20.168.190'],
      ['fd00::/8', 'fd00::1'],
      ['fec0::/10', 'fec0::1'],
      ['2001:db8::/32', '2001:db8::1'],
      ['feff::/16', 'feff::1'],
    ]) {
      expect(createPool({ subnet: cidr as string, ips: [ip as string] })).toEqual([]);
    }
  });
});

describe('list sizes are bounded before anything is parsed', () => {
  const many = (n: number): string[] =>
    Array.from({ length: n }, (_, i) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);

  it('a 1,000,000-entry spec.ips is TooMany (pool, subnet, reserved IP), left unmerged by the mutation', () => {
    const ips = many(1_000_000);
    const defaulted = defaultIPPool(pool('p', { subnet: '10.0.0.0/8', ips }), ctx);
    expect(defaulted.spec.ips).toHaveLength(1_000_000);
    expect(brief(validateIPPoolCreate(defaulted, ctx))).toEqual([
      `TooMany spec.ips: must have at most ${MAX_RANGE_ENTRIES} items`,
    ]);
    expect(validateIPPoolCreate(defaulted, ctx)[0]?.value).toBe(1_000_000);
    expect(brief(createSubnet({ subnet: '10.0.0.0/8', ips }))).toEqual([
      `TooMany spec.ips: must have at most ${MAX_RANGE_ENTRIES} items`,
    ]);
    const rip = defaultReservedIP(reservedIP('r', { ips }));
    expect(brief(validateReservedIPCreate(rip, ctx))).toEqual([
      `TooMany spec.ips: must have at most ${MAX_RANGE_ENTRIES} items`,
    ]);
  });

  it('excludeIPs and routes have their bounds too, also on update', () => {
    const excl = createPool({
      subnet: '10.0.0.0/8',
      ips: ['10.0.0.1-10.255.255.254'],
      excludeIPs: many(MAX_RANGE_ENTRIES + 1),
    });
    expect(excl.map((e) => [e.type, e.field])).toEqual([['TooMany', 'spec.excludeIPs']]);
    const routes = Array.from({ length: MAX_ROUTES + 1 }, (_, i) => ({
      dst: `172.${16 + (i >> 8)}.${i & 255}.0/24`,
      gw: '10.0.0.1',
    }));
    const old = defaultIPPool(pool('p', { subnet: '10.0.0.0/8', ips: ['10.0.0.2'] }), ctx);
    const next = defaultIPPool(pool('p', { subnet: '10.0.0.0/8', ips: ['10.0.0.2'], routes }), ctx);
    expect(validateIPPoolUpdate(old, next, ctx).map((e) => [e.type, e.field])).toEqual([
      ['TooMany', 'spec.routes'],
    ]);
  });

  it('the bound still admits the largest pool the engine serves (one range) and a list at the bound', () => {
    expect(createPool({ subnet: 'fd00::/64', ips: ['fd00::1-fd00::ffff:ffff:ffff:ffff'] })).toEqual([]);
    expect(createPool({ subnet: '10.0.0.0/8', ips: many(MAX_RANGE_ENTRIES) })).toEqual([]);
  });
});

describe('errors name the field that is wrong', () => {
  it('a bad spec.ips / spec.excludeIPs entry is reported at its index, not under spec.subnet', () => {
    expect(brief(createPool({ subnet: '10.6.0.0/24', ips: ['10.6.0.1', '10.6.0.x'] }))).toEqual([
      "Invalid spec.ips[1]: invalid IP range format in IPv4 '10.6.0.x'",
    ]);
    expect(createPool({ subnet: '10.6.0.0/24', ips: ['10.6.0.1'], excludeIPs: ['10.9.0.1'] })[0]?.field).toBe(
      'spec.excludeIPs[0]',
    );
  });

  it('an empty or IPv4-mapped subnet is reported under spec.subnet, with the reason', () => {
    expect(brief(createPool({ subnet: '', ips: ['10.0.0.1'] }))).toEqual([
      'Invalid spec.subnet: must be a CIDR such as 10.20.0.0/16, not empty',
    ]);
    const mapped = createPool({ subnet: '::ffff:10.0.0.0/104', ips: ['::ffff:10.0.0.1'] });
    expect(mapped.map((e) => e.field)).toEqual(['spec.subnet']);
    expect(mapped[0]?.detail).toMatch(/IPv4-mapped IPv6/);
    expect(createSubnet({ subnet: '' }).map((e) => e.field)).toEqual(['spec.subnet']);
  });
});
