import { describe, expect, it } from 'vitest';
import { encodeAllocatedIPs } from '../api/statusCodecs.ts';
import { defaultIPPool } from './ippoolDefault.ts';
import { brief, context, pool, stored } from './ippoolTestKit.ts';
import { validateIPPoolCreate, validateIPPoolDelete, validateIPPoolUpdate } from './ippoolValidate.ts';

const ctx0 = context();
const create = (p: Parameters<typeof pool>[1], ctx = ctx0) =>
  brief(validateIPPoolCreate(defaultIPPool(pool('p', p), ctx), ctx));

describe('SpiderIPPool create validation (§2.3)', () => {
  it('rule 1: ipVersion nil, unsupported, family disabled', () => {
    // An unparsable subnet is reported under spec.subnet with the parser's reason (Spiderpool: under
    // spec.ipVersion as "null is not generated correctly"; ADR 0021).
    expect(brief(validateIPPoolCreate(pool('p', { subnet: 'nope' }), ctx0))).toEqual([
      'Invalid spec.subnet: invalid CIDR address: nope',
    ]);
    expect(brief(validateIPPoolCreate(pool('p', { subnet: '10.0.0.0/8' }), ctx0))).toEqual([
      "Invalid spec.ipVersion: is not generated correctly, 'spec.subnet' may be invalid",
    ]);
    const e5 = validateIPPoolCreate(pool('p', { subnet: '10.0.0.0/8', ipVersion: 5 }), ctx0);
    expect(e5.map((e) => [e.type, e.supported])).toEqual([['NotSupported', ['4', '6']]]);
    expect(create({ subnet: '10.0.0.0/8' }, context({ settings: { enableIPv4: false } }))).toEqual([
      'Forbidden spec.ipVersion: IPv4 is disabled',
    ]);
    expect(create({ subnet: 'fd00::/64' }, context({ settings: { enableIPv6: false } }))).toEqual([
      'Forbidden spec.ipVersion: IPv6 is disabled',
    ]);
  });

  it('rule 2: subnet of the family and canonical', () => {
    expect(create({ subnet: '172.10.5.0/16' })).toEqual([
      'Invalid spec.subnet: unformatted subnet 172.10.5.0/16, please change it to 172.10.0.0/16',
    ]);
    expect(brief(validateIPPoolCreate(pool('p', { subnet: 'fd00::/64', ipVersion: 4 }), ctx0))[0]).toMatch(
      /^Invalid spec.subnet: invalid CIDR format in IPv4 'fd00::\/64'/,
    );
  });

  it('rule 3: same name AlreadyExists; identical subnet allowed; nested subnet rejected', () => {
    const a = stored(pool('a', { subnet: '10.6.0.0/16', ips: ['10.6.0.1-10.6.0.10'] }));
    const ctx = context({ pools: [a] });
    const dup = validateIPPoolCreate(defaultIPPool(pool('a', { subnet: '10.9.0.0/16' }), ctx), ctx);
    expect(dup.map((e) => e.type)).toEqual(['AlreadyExists']);
    expect(create({ subnet: '10.6.0.0/16', ips: ['10.6.0.11'] }, ctx)).toEqual([]);
    expect(create({ subnet: '10.6.1.0/24' }, ctx)).toEqual([
      "Invalid spec.subnet: overlap with IPPool a which 'spec.subnet' is 10.6.0.0/16",
    ]);
    expect(create({ subnet: '10.0.0.0/8' }, ctx)).toEqual([
      "Invalid spec.subnet: overlap with IPPool a which 'spec.subnet' is 10.6.0.0/16",
    ]);
    expect(create({ subnet: 'fd00::/8' }, ctx)).toEqual([]); // other family never compared
  });

  it('rule 4: NewCIDR — ranges inside the subnet, well-formed, not overlapping on input', () => {
    expect(create({ subnet: '10.6.0.0/24', ips: ['10.7.0.1'] })).toEqual([
      'Invalid spec.ips[0]: not match base subnet 10.6.0.0/24: 10.7.0.1',
    ]);
    expect(create({ subnet: '10.6.0.0/24', excludeIPs: ['10.6.1.1'] })).toEqual([
      'Invalid spec.excludeIPs[0]: not match base subnet 10.6.0.0/24: 10.6.1.1',
    ]);
    expect(create({ subnet: '10.6.0.0/24', ips: ['10.6.0.2-10.6.0.1'] })[0]).toMatch(
      /invalid IP range format/,
    );
    expect(create({ subnet: '10.6.0.0/24', ips: ['10.6.0.1/24'] })[0]).toMatch(/invalid IP range format/);
    // defaulting merges overlapping input, so a validated object never shows "already covered"
    expect(create({ subnet: '10.6.0.0/24', ips: ['10.6.0.1-10.6.0.9', '10.6.0.5'] })).toEqual([]);
  });

  it('rule 5: effective ranges of pools with the same cidr label must not overlap', () => {
    const a = stored(
      pool('a', { subnet: '10.6.0.0/16', ips: ['10.6.0.1-10.6.0.10'], excludeIPs: ['10.6.0.5'] }),
    );
    const ctx = context({ pools: [a] });
    expect(create({ subnet: '10.6.0.0/16', ips: ['10.6.0.8-10.6.0.20'] }, ctx)).toEqual([
      "Forbidden spec.ips: overlap with IPPool a in IP ranges [10.6.0.8-10.6.0.10], total IP addresses of an IPPool are jointly determined by 'spec.ips' and 'spec.excludeIPs'",
    ]);
    // 10.6.0.5 is excluded in a, so b may use it
    expect(create({ subnet: '10.6.0.0/16', ips: ['10.6.0.5'] }, ctx)).toEqual([]);
    // excluded in the new pool: no overlap either
    expect(
      create({ subnet: '10.6.0.0/16', ips: ['10.6.0.1-10.6.0.20'], excludeIPs: ['10.6.0.1-10.6.0.10'] }, ctx),
    ).toEqual([]);
  });

  it('rule 6: gateway in the subnet, inside ips only if excluded', () => {
    expect(create({ subnet: '10.6.0.0/24', gateway: '10.7.0.1' })).toEqual([
      "Invalid spec.gateway: not pertains to the 'spec.subnet' 10.6.0.0/24 of IPPool",
    ]);
    expect(create({ subnet: '10.6.0.0/24', gateway: 'fd00::1' })[0]).toMatch(/^Invalid spec.gateway/);
    expect(
      create({ subnet: '10.6.0.0/24', gateway: '10.6.0.1', ips: ['10.6.0.1-10.6.0.9', '10.6.0.20'] }),
    ).toEqual([
      "Invalid spec.ips[0]: conflicts with 'spec.gateway' 10.6.0.1, add the gateway IP address to 'spec.excludeIPs' or remove it from 'spec.ips'",
    ]);
    expect(
      create({
        subnet: '10.6.0.0/24',
        gateway: '10.6.0.1',
        ips: ['10.6.0.1-10.6.0.9'],
        excludeIPs: ['10.6.0.1'],
      }),
    ).toEqual([]);
  });

  it('rule 7: routes — no default route, no duplicate dst, dst CIDR, gw in subnet', () => {
    const r = (routes: { dst: string; gw: string }[]) => create({ subnet: '10.6.0.0/24', routes });
    expect(r([{ dst: '0.0.0.0/0', gw: '10.6.0.1' }])).toEqual([
      "Invalid spec.routes[0].dst: please specify 'spec.gateway' to configure the default route",
    ]);
    expect(create({ subnet: 'fd00::/64', routes: [{ dst: '::/0', gw: 'fd00::1' }] })[0]).toMatch(
      /default route/,
    );
    expect(
      r([
        { dst: '10.9.0.0/16', gw: '10.6.0.1' },
        { dst: '10.9.0.0/16', gw: '10.6.0.2' },
      ]),
    ).toEqual(['Invalid spec.routes[1].dst: duplicate route with the same dst']);
    expect(
      r([
        { dst: '10.9.0.0/16', gw: '10.6.0.1' },
        { dst: '10.9.1.0/16', gw: '10.6.0.2' },
      ]),
    ).toEqual(['Invalid spec.routes[1].dst: duplicate route with the same dst']);
    expect(r([{ dst: '10.9.0.1', gw: '10.6.0.1' }])[0]).toMatch(
      /^Invalid spec.routes\[0\].dst: invalid CIDR format/,
    );
    expect(r([{ dst: '10.9.0.0/16', gw: '10.7.0.1' }])).toEqual([
      "Invalid spec.routes[0].gw: not pertains to the 'spec.subnet' 10.6.0.0/24 of IPPool",
    ]);
    expect(r([{ dst: '10.9.0.0/16', gw: '10.6.0.1' }])).toEqual([]);
  });

  it('rule 8: podAffinity valid and non-empty; auto-pools only the app-* matchLabels', () => {
    expect(create({ subnet: '10.6.0.0/24', podAffinity: {} })).toEqual([
      'Invalid spec.podAffinity: empty podAffinity is invalid for SpiderIPPool',
    ]);
    expect(
      create({ subnet: '10.6.0.0/24', podAffinity: { matchLabels: { app: '.starts.with.dot' } } })[0],
    ).toMatch(/^Invalid spec.podAffinity.matchLabels/);
    expect(create({ subnet: '10.6.0.0/24', podAffinity: { matchLabels: { app: 'x' } } })).toEqual([]);
    // create reports the spec error together with the podAffinity errors
    expect(create({ subnet: '10.6.0.0/24', gateway: '10.9.0.1', podAffinity: {} })).toHaveLength(2);
    const auto = (podAffinity: NonNullable<Parameters<typeof pool>[1]['podAffinity']>) =>
      brief(
        validateIPPoolCreate(
          defaultIPPool(
            pool(
              'auto4-x',
              { subnet: '10.6.0.0/24', podAffinity },
              { labels: { 'ipam.spidernet.io/owner-application-name': 'x' } },
            ),
            ctx0,
          ),
          ctx0,
        ),
      );
    expect(
      auto({
        matchLabels: { 'ipam.spidernet.io/app-name': 'x', 'ipam.spidernet.io/app-kind': 'Deployment' },
      }),
    ).toEqual([]);
    expect(auto({ matchLabels: { app: 'x' } })).toEqual([
      "Invalid spec.podAffinity: it's invalid to add additional podAffinity matchLabels for auto-created SpiderIPPool",
    ]);
    expect(auto({ matchExpressions: [{ key: 'a', operator: 'Exists' }] })).toEqual([
      "Invalid spec.podAffinity: it's invalid to add additional podAffinity matchExpressions for auto-created SpiderIPPool",
    ]);
  });
});

describe('SpiderIPPool update and delete validation (§2.3)', () => {
  const base = stored(pool('a', { subnet: '10.6.0.0/24', ips: ['10.6.0.1-10.6.0.10'] }));
  const update = (edit: (p: typeof base) => void, ctx = context({ pools: [base] })) => {
    const next = structuredClone(base);
    edit(next);
    return brief(validateIPPoolUpdate(base, defaultIPPool(next, ctx), ctx));
  };

  it('ipVersion and subnet are immutable', () => {
    expect(
      update((p) => {
        p.spec.ipVersion = 6;
      }),
    ).toEqual(['Forbidden spec.ipVersion: is not changeable']);
    expect(
      update((p) => {
        p.spec.subnet = '10.6.0.0/16';
      }),
    ).toEqual(['Forbidden spec.subnet: is not changeable']);
    expect(
      update((p) => {
        p.spec.ips = ['10.6.0.1-10.6.0.20'];
      }),
    ).toEqual([]);
  });

  it('refuses to drop an IP in use, naming the Pod', () => {
    const inUse = structuredClone(base);
    inUse.status = {
      allocatedIPs: encodeAllocatedIPs(
        new Map([['10.6.0.7', { pod: 'default/nginx-1', podUid: 'u1' }]]),
      ) as string,
      allocatedIPCount: 1,
    };
    const ctx = context({ pools: [inUse] });
    const drop = structuredClone(inUse);
    drop.spec.excludeIPs = ['10.6.0.7'];
    expect(brief(validateIPPoolUpdate(inUse, drop, ctx))).toEqual([
      "Forbidden spec.ips: remove an IP address 10.6.0.7 that is being used by Pod default/nginx-1, total IP addresses of an IPPool are jointly determined by 'spec.ips' and 'spec.excludeIPs'",
    ]);
    const keep = structuredClone(inUse);
    keep.spec.ips = ['10.6.0.5-10.6.0.9'];
    expect(validateIPPoolUpdate(inUse, keep, ctx)).toEqual([]);
    const broken = structuredClone(inUse);
    broken.status = { allocatedIPs: '{not json' };
    expect(validateIPPoolUpdate(inUse, broken, ctx).map((e) => e.type)).toEqual(['InternalError']);
  });

  it('re-runs the spec rules, not the subnet-overlap rule', () => {
    const b = stored(pool('b', { subnet: '10.6.0.0/24', ips: ['10.6.0.11-10.6.0.20'] }));
    const ctx = context({ pools: [base, b] });
    expect(
      update((p) => {
        p.spec.ips = ['10.6.0.1-10.6.0.12'];
      }, ctx)[0],
    ).toMatch(/^Forbidden spec.ips: overlap with IPPool b/);
    expect(
      update((p) => {
        p.spec.gateway = '10.6.0.1';
      }, ctx)[0],
    ).toMatch(/conflicts with 'spec.gateway'/);
    expect(
      update((p) => {
        p.spec.podAffinity = {};
      }, ctx)[0],
    ).toMatch(/empty podAffinity/);
  });

  it('terminating: Forbidden while the finalizer is held, admitted once it is gone', () => {
    const term = {
      ...structuredClone(base),
      metadata: { ...base.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' },
    };
    expect(brief(validateIPPoolUpdate(base, term, ctx0))).toEqual([
      'Forbidden metadata.deletionTimestamp: cannot update a terminating IPPool',
    ]);
    const released = {
      ...term,
      metadata: { ...term.metadata, finalizers: [] },
      spec: { ...term.spec, subnet: 'x' },
    };
    expect(validateIPPoolUpdate(base, released, ctx0)).toEqual([]);
  });

  it('delete: allocated IPs refused only with enableValidatingResourcesDeletedWebhook', () => {
    const busy = { ...base, status: { allocatedIPCount: 2 } };
    expect(validateIPPoolDelete(busy, ctx0)).toEqual([]);
    const on = context({ settings: { enableValidatingResourcesDeletedWebhook: true } });
    expect(brief(validateIPPoolDelete(busy, on))).toEqual([
      'Forbidden status.allocatedIPCount: cannot delete an IPPool with allocated IPs(2)',
    ]);
    expect(validateIPPoolDelete(base, on)).toEqual([]);
  });
});
