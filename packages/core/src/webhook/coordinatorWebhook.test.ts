import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CoordinatorSpec, SpiderCoordinator } from '../api/coordinator.ts';
import { parseIPOrCIDR, validateCoordinatorSpec } from './coordinatorSpec.ts';
import {
  defaultCoordinator,
  validateCoordinatorCreate,
  validateCoordinatorDelete,
  validateCoordinatorUpdate,
} from './coordinatorWebhook.ts';

const coord = (
  spec: CoordinatorSpec,
  extra: Partial<SpiderCoordinator['metadata']> = {},
): SpiderCoordinator => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderCoordinator',
  metadata: { name: 'default', ...extra },
  spec,
});
const first = (spec: CoordinatorSpec): string => {
  const [e] = validateCoordinatorCreate(defaultCoordinator(coord(spec)));
  return e === undefined ? '' : e.message;
};

describe('SpiderCoordinator defaulting (§1.6, §2.7)', () => {
  it('fills defaults, normalises hijackCIDR and policyRoutes, adds the finalizer', () => {
    const d = defaultCoordinator(
      coord({
        podCIDRType: 'calico',
        hijackCIDR: ['169.254.25.10', '10.0.0.0/8', 'fd00::1'],
        policyRoutes: [{ dst: '1.1.1.1', gw: '10.0.0.1' }],
      }),
    );
    expect(d.spec).toEqual({
      podCIDRType: 'calico',
      mode: 'auto',
      tunePodRoutes: true,
      hostRuleTable: 500,
      podRPFilter: 0,
      txQueueLen: 0,
      vethLinkAddress: '',
      vethMTU: 1500,
      hijackCIDR: ['169.254.25.10/32', '10.0.0.0/8', 'fd00::1/128'],
      policyRoutes: [{ dst: '1.1.1.1/32', gw: '10.0.0.1' }],
    });
    expect(d.metadata.finalizers).toEqual(['spiderpool.spidernet.io']);
    expect(validateCoordinatorCreate(d)).toEqual([]);
  });

  it('stops part-way like Spiderpool: no podCIDRType, bad hijack IP, terminating', () => {
    const noType = defaultCoordinator(coord({ hijackCIDR: ['1.2.3.4'] }));
    expect(noType.spec.hijackCIDR).toEqual(['1.2.3.4']);
    expect(noType.metadata.finalizers).toBeUndefined();
    expect(noType.spec.vethMTU).toBe(1500);
    const bad = defaultCoordinator(coord({ podCIDRType: 'none', hijackCIDR: ['nope'] }));
    expect(bad.metadata.finalizers).toBeUndefined();
    const term = defaultCoordinator(
      coord({ podCIDRType: 'none' }, { deletionTimestamp: '2024-01-01T00:00:00Z' }),
    );
    expect(term.metadata.finalizers).toBeUndefined();
  });

  it('property: idempotent, and a valid object stays valid', () => {
    const arb = fc.record(
      {
        podCIDRType: fc.constantFrom('auto', 'cluster', 'calico', 'cilium', 'none'),
        mode: fc.constantFrom('auto', 'underlay', 'overlay', 'disabled'),
        hijackCIDR: fc.array(
          fc.oneof(
            fc.ipV4(),
            fc.ipV4().map((ip) => `${ip}/32`),
            fc.constant('fd00::/64'),
          ),
        ),
        policyRoutes: fc.array(
          fc.record({ dst: fc.oneof(fc.ipV4(), fc.constant('10.0.0.0/8')), gw: fc.ipV4() }),
        ),
        txQueueLen: fc.nat(),
        podRPFilter: fc.integer({ min: -1, max: 2 }),
        vethMTU: fc.integer({ min: 1, max: 9000 }),
      },
      { requiredKeys: ['podCIDRType'] },
    );
    fc.assert(
      fc.property(arb, (spec) => {
        const o = coord(JSON.parse(JSON.stringify(spec)) as CoordinatorSpec);
        const once = defaultCoordinator(o);
        expect(defaultCoordinator(once)).toEqual(once);
        expect(validateCoordinatorCreate(once)).toEqual([]);
        if (validateCoordinatorCreate(o).length === 0) expect(validateCoordinatorCreate(once)).toEqual([]);
      }),
    );
  });
});

describe('SpiderCoordinator validation rules (§2.7)', () => {
  it('podCIDRType required and supported', () => {
    expect(first({})).toBe(
      'spec.podCIDRType: Unsupported value: "": supported values: "auto", "cluster", "calico", "cilium", "none"',
    );
    expect(first({ podCIDRType: 'flannel' })).toMatch(/^spec.podCIDRType: Unsupported value: "flannel"/);
    expect(validateCoordinatorSpec({}, false)).toBeUndefined();
  });

  it('hijackCIDR and policyRoutes', () => {
    expect(first({ podCIDRType: 'none', hijackCIDR: ['10.0.0.0/8', 'x/8'] })).toMatch(
      /^spec.extraCIDR\[1\]: Invalid value: "x\/8"/,
    );
    expect(first({ podCIDRType: 'none', policyRoutes: [{ dst: 'bad', gw: '1.1.1.1' }] })).toMatch(
      /^spec.policyRoutes\[0\].dst: Invalid value: "bad"/,
    );
    expect(first({ podCIDRType: 'none', policyRoutes: [{ dst: '10.0.0.0/8', gw: 'x' }] })).toBe(
      'spec.policyRoutes[0].gw: Invalid value: "x": gw is an invalid IP address',
    );
    expect(first({ podCIDRType: 'none', policyRoutes: [{ dst: 'fd00::/64', gw: '10.0.0.1' }] })).toBe(
      'spec.policyRoutes[0]: Invalid value: {"dst":"fd00::/64","gw":"10.0.0.1"}: dst and gw must use the same IP family',
    );
  });

  it('podMACPrefix', () => {
    expect(first({ podCIDRType: 'none', podMACPrefix: '0a:1b' })).toBe('');
    expect(first({ podCIDRType: 'none', podMACPrefix: '0a:1b:2c' })).toBe(
      'spec.podMACPrefix: Invalid value: "0a:1b:2c": not a valid MAC prefix',
    );
    expect(first({ podCIDRType: 'none', podMACPrefix: 'zz:00' })).toBe(
      'spec.podMACPrefix: Invalid value: "zz:00": not a valid MAC prefix',
    );
    expect(first({ podCIDRType: 'none', podMACPrefix: '0b:00' })).toBe(
      'spec.podMACPrefix: Invalid value: "0b:00": not a unicast MAC: the lowest bit of the first byte must be 0',
    );
  });

  it('txQueueLen, podRPFilter, vethLinkAddress, vethMTU', () => {
    expect(first({ podCIDRType: 'none', txQueueLen: -1 })).toBe(
      "spec.txQueueLen: Invalid value: -1: txQueueLen can't be less than 0",
    );
    expect(first({ podCIDRType: 'none', podRPFilter: 3 })).toBe(
      'spec.podRPFilter: Unsupported value: 3: supported values: "0", "1", "2"',
    );
    expect(first({ podCIDRType: 'none', podRPFilter: -1 })).toBe('');
    expect(validateCoordinatorCreate(coord({ podCIDRType: 'none' }))[0]?.message).toBe(
      'spec.podRPFilter: Unsupported value: "null": supported values: "0", "1", "2"',
    );
    expect(first({ podCIDRType: 'none', vethLinkAddress: '169.254.300.1' })).toBe(
      'spec.vethLinkAddress: Invalid value: "169.254.300.1": vethLinkAddress is an invalid IP address',
    );
    expect(first({ podCIDRType: 'none', vethMTU: 0 })).toBe(
      'spec.vethMTU: Invalid value: 0: vethMTU must be greater than 0',
    );
  });

  it('update re-runs create rules; delete always allowed', () => {
    const ok = defaultCoordinator(coord({ podCIDRType: 'none' }));
    expect(validateCoordinatorUpdate(ok, { ...ok, spec: { ...ok.spec, vethMTU: -5 } })[0]?.field).toBe(
      'spec.vethMTU',
    );
    expect(validateCoordinatorUpdate(ok, ok)).toEqual([]);
    expect(validateCoordinatorDelete(ok)).toEqual([]);
  });

  it('parseIPOrCIDR keeps host bits like netip.Prefix', () => {
    expect(parseIPOrCIDR('10.1.2.3/8')).toEqual({ version: 4, text: '10.1.2.3/8' });
    expect(parseIPOrCIDR('FD00::1')).toEqual({ version: 6, text: 'fd00::1/128' });
    expect(typeof parseIPOrCIDR('1.2.3')).toBe('string');
  });
});
