import { describe, expect, it } from 'vitest';
import { encodeAllocatedIPs } from '../api/statusCodecs.ts';
import { defaultIPPool } from './ippoolDefault.ts';
import { brief, context, pool, stored, subnet } from './ippoolTestKit.ts';
import { validateIPPoolCreate, validateIPPoolDelete, validateIPPoolUpdate } from './ippoolValidate.ts';

const ctx0 = context();
const create = (p: Parameters<typeof pool>[1], ctx = ctx0) =>
  brief(validateIPPoolCreate(defaultIPPool(pool('p', p), ctx), ctx));

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

describe('SpiderIPPool create validation (§2.3)', () => {
  it('rule 1: ipVersion nil, unsupported, family disabled', () => {
    expect(brief(validateIPPoolCreate(pool('p', { subnet: 'nope' }), ctx0))).toEqual([
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
      'Invalid spec.subnet: not match base subnet 10.6.0.0/24: 10.7.0.1',
    ]);
    expect(create({ subnet: '10.6.0.0/24', excludeIPs: ['10.6.1.1'] })[0]).toMatch(/not match base subnet/);
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
