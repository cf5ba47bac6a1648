import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IPPoolSpec, IPVersion, SpiderIPPool } from '../api/pools.ts';
import { formatIPRanges, formatIPValue, makeCIDR, mergeIPRanges, parsePoolRanges } from '../ip/index.ts';
import { defaultIPPool } from './ippoolDefault.ts';
import { context, pool, subnet } from './ippoolTestKit.ts';
import { validateIPPoolCreate } from './ippoolValidate.ts';
import { defaultSubnet } from './subnetDefault.ts';
import { validateSubnetCreate } from './subnetValidate.ts';

/** A pool spec inside a random CIDR of the family: ranges mostly inside, sometimes outside or reversed. */
const poolSpec = (version: IPVersion): fc.Arbitrary<IPPoolSpec> => {
  const bits = version === 4 ? 32 : 128;
  return fc
    .record({
      network: fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }),
      prefix: fc.integer({ min: bits - 12, max: bits - 4 }),
      inferVersion: fc.boolean(),
      ips: fc.array(fc.tuple(fc.nat(5000), fc.nat(40)), { maxLength: 6 }),
      excludeIPs: fc.array(fc.tuple(fc.nat(5000), fc.nat(10)), { maxLength: 3 }),
      gateway: fc.option(fc.nat(5000), { nil: undefined }),
      routes: fc.option(fc.array(fc.tuple(fc.nat(255), fc.nat(5000)), { maxLength: 3 }), { nil: undefined }),
      affinity: fc.option(fc.constantFrom('app', 'web', ''), { nil: undefined }),
    })
    .map((r) => {
      const cidr = makeCIDR(version, r.network & ~((1n << BigInt(bits - 20)) - 1n), r.prefix);
      const size = 1n << BigInt(bits - r.prefix);
      const at = (off: number): string => formatIPValue(version, cidr.network + (BigInt(off) % (size + 2n)));
      const range = ([start, len]: [number, number]): string =>
        len === 0 ? at(start) : `${at(start)}-${at(start + len)}`;
      const spec: IPPoolSpec = {
        subnet: cidr.text,
        ips: r.ips.map(range),
        excludeIPs: r.excludeIPs.map(range),
      };
      if (!r.inferVersion) spec.ipVersion = version;
      if (r.gateway !== undefined) spec.gateway = at(r.gateway);
      if (r.routes !== undefined) {
        spec.routes = r.routes.map(([dst, gw]) => ({
          dst: version === 4 ? `192.168.${dst}.0/24` : `fd99:${dst.toString(16)}::/64`,
          gw: at(gw),
        }));
      }
      if (r.affinity !== undefined)
        spec.podAffinity = r.affinity === '' ? {} : { matchLabels: { app: r.affinity } };
      return spec;
    });
};

const specs = fc.oneof(poolSpec(4), poolSpec(6));

describe('SpiderIPPool webhook properties', () => {
  it('defaultIPPool is idempotent (with and without a matching SpiderSubnet)', () => {
    fc.assert(
      fc.property(specs, fc.boolean(), (spec, withSubnet) => {
        const s = defaultSubnet(
          subnet('ss', { subnet: spec.subnet, routes: [{ dst: '10.99.0.0/16', gw: 'x' }] }),
        );
        if (spec.gateway !== undefined) s.spec.gateway = spec.gateway;
        const ctx = context({ subnets: withSubnet ? [s] : [] });
        const once = defaultIPPool(pool('p', spec), ctx);
        expect(defaultIPPool(once, ctx)).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });

  it('a pool valid as written stays valid after defaulting', () => {
    const ctx = context();
    let valid = 0;
    fc.assert(
      fc.property(specs, (spec) => {
        const p: SpiderIPPool = pool('p', spec);
        if (validateIPPoolCreate(p, ctx).length > 0) return;
        valid++;
        expect(validateIPPoolCreate(defaultIPPool(p, ctx), ctx)).toEqual([]);
      }),
      { numRuns: 500 },
    );
    expect(valid).toBeGreaterThan(10);
  });

  it('defaulting keeps the address space: same family, same usable addresses, merged lists', () => {
    const ctx = context();
    let parsed = 0;
    fc.assert(
      fc.property(specs, (spec) => {
        const before = parsePoolRanges(spec.subnet, spec.ips ?? [], spec.excludeIPs ?? []);
        const d = defaultIPPool(pool('p', spec), ctx);
        const after = parsePoolRanges(d.spec.subnet, d.spec.ips ?? [], d.spec.excludeIPs ?? []);
        if (before.isErr()) return;
        parsed++;
        // the mutation infers exactly the subnet's family
        expect(d.spec.ipVersion).toBe(before.value.subnet.version);
        expect(after.isOk()).toBe(true);
        if (after.isErr()) return;
        expect(formatIPRanges(after.value.available)).toEqual(formatIPRanges(before.value.available));
        // merged: sorted, disjoint, not adjacent (a second merge changes nothing). As in Spiderpool's mutating
        // webhook, a list of one entry is left as written ("10.0.0.1-10.0.0.1" stays), so only longer lists.
        if ((spec.ips ?? []).length > 1)
          expect(mergeIPRanges(before.value.subnet.version, d.spec.ips ?? [])._unsafeUnwrap()).toEqual(
            d.spec.ips ?? [],
          );
        else expect(d.spec.ips).toEqual(spec.ips);
      }),
      { numRuns: 500 },
    );
    expect(parsed).toBeGreaterThan(10);
  });

  it('defaultSubnet is idempotent, keeps a valid subnet valid and keeps its address space', () => {
    let valid = 0;
    fc.assert(
      fc.property(specs, (spec) => {
        const { subnet: cidr, ips = [], excludeIPs = [], routes, ipVersion } = spec;
        const s = subnet('s', {
          subnet: cidr,
          ips,
          excludeIPs,
          ...(routes === undefined ? {} : { routes }),
          ...(ipVersion === undefined ? {} : { ipVersion }),
        });
        const once = defaultSubnet(s);
        expect(defaultSubnet(once)).toEqual(once);
        // valid as written (ipVersion given) => valid once defaulted
        if (s.spec.ipVersion !== undefined && validateSubnetCreate(s, context()).length === 0) {
          valid++;
          expect(validateSubnetCreate(once, context())).toEqual([]);
        }
        const before = parsePoolRanges(cidr, ips, excludeIPs);
        if (before.isOk()) {
          const after = parsePoolRanges(once.spec.subnet, once.spec.ips ?? [], once.spec.excludeIPs ?? []);
          expect(after.map((a) => formatIPRanges(a.available))._unsafeUnwrap()).toEqual(
            formatIPRanges(before.value.available),
          );
        }
      }),
      { numRuns: 300 },
    );
    expect(valid).toBeGreaterThan(5);
  });
});
