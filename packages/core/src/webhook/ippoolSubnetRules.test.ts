import { describe, expect, it } from 'vitest';
import { encodeControlledIPPools } from '../api/statusCodecs.ts';
import { defaultIPPool } from './ippoolDefault.ts';
import { brief, context, pool, subnet } from './ippoolTestKit.ts';
import { validateIPPoolCreate, validateIPPoolUpdate } from './ippoolValidate.ts';

const LABEL = { 'ipam.spidernet.io/subnet-cidr': '10-6-0-0-16' };
const ss = subnet(
  'ss',
  { subnet: '10.6.0.0/16', ipVersion: 4, ips: ['10.6.0.1-10.6.0.100'], excludeIPs: ['10.6.0.50'] },
  { labels: LABEL },
);

describe('SpiderIPPool within its controller SpiderSubnet (§2.3 rule 9)', () => {
  const ctx = context({ subnets: [ss] });
  const create = (ips: string[], excludeIPs: string[] = [], c = ctx) =>
    brief(validateIPPoolCreate(defaultIPPool(pool('p', { subnet: '10.6.0.0/16', ips, excludeIPs }), c), c));

  it('the pool may use only what the subnet offers (ips minus excludeIPs)', () => {
    expect(create(['10.6.0.1-10.6.0.10'])).toEqual([]);
    expect(create(['10.6.0.95-10.6.0.110'])).toEqual([
      "Forbidden spec.ips: add some IP ranges [10.6.0.101-10.6.0.110] that are not contained in controller Subnet ss, total IP addresses of an IPPool are jointly determined by 'spec.ips' and 'spec.excludeIPs'",
    ]);
    expect(create(['10.6.0.49-10.6.0.51'])[0]).toMatch(/add some IP ranges \[10.6.0.50\]/);
    expect(create(['10.6.0.49-10.6.0.51'], ['10.6.0.50'])).toEqual([]);
  });

  it('an empty pool, a feature switched off, or no controller skip the rule', () => {
    expect(create([])).toEqual([]);
    const off = context({ subnets: [ss], settings: { enableSpiderSubnet: false } });
    expect(create(['10.6.200.1'], [], off)).toEqual([]);
    const none = context();
    expect(create(['10.6.200.1'], [], none)).toEqual([]);
  });

  it('a controller subnet that does not exist is an InternalError', () => {
    const p = defaultIPPool(pool('p', { subnet: '10.6.0.0/16', ips: ['10.6.0.1'] }), ctx);
    expect(validateIPPoolCreate(p, context()).map((e) => e.type)).toEqual(['InternalError']);
  });

  it('an auto-created pool must equal its pre-allocation in status.controlledIPPools', () => {
    const withStatus = structuredClone(ss);
    withStatus.status = {
      controlledIPPools: encodeControlledIPPools(
        new Map([['auto4-x', { ips: ['10.6.0.1-10.6.0.3'], application: 'apps_v1_Deployment_default_x' }]]),
      ) as string,
    };
    const c = context({ subnets: [withStatus] });
    const auto = (ips: string[]) =>
      brief(
        validateIPPoolCreate(
          defaultIPPool(
            pool(
              'auto4-x',
              { subnet: '10.6.0.0/16', ips },
              { labels: { 'ipam.spidernet.io/owner-application-name': 'x' } },
            ),
            c,
          ),
          c,
        ),
      );
    expect(auto(['10.6.0.1-10.6.0.3'])).toEqual([]);
    expect(auto(['10.6.0.1-10.6.0.4'])).toEqual([
      "Forbidden spec.ips: it's illegal to update AutoPool.Spec.IPs that are different from corresponding SpiderSubnet.Status.ControlledIPPools",
    ]);
  });

  it('runs on update too, after the other rules', () => {
    const old = defaultIPPool(pool('p', { subnet: '10.6.0.0/16', ips: ['10.6.0.1-10.6.0.10'] }), ctx);
    const next = structuredClone(old);
    next.spec.ips = ['10.6.0.1-10.6.0.200'];
    expect(brief(validateIPPoolUpdate(old, next, ctx))[0]).toMatch(
      /add some IP ranges \[10.6.0.50 10.6.0.101-10.6.0.200\]/,
    );
  });
});
