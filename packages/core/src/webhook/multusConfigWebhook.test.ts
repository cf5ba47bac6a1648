import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MultusCNIConfigSpec, SpiderMultusConfig } from '../api/multusConfig.ts';
import { defaultMultusConfig } from './multusConfigDefault.ts';
import type { MultusConfigValidationContext } from './multusConfigValidate.ts';
import {
  validateMultusConfigCreate,
  validateMultusConfigDelete,
  validateMultusConfigUpdate,
} from './multusConfigValidate.ts';

const ctx: MultusConfigValidationContext = { netAttachDefs: new Map() };
const smc = (
  spec: MultusCNIConfigSpec,
  annotations?: Record<string, string>,
  name = 'n',
): SpiderMultusConfig => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderMultusConfig',
  metadata: { name, namespace: 'ns', ...(annotations ? { annotations } : {}) },
  spec,
});
/** Default then validate; returns "type field: detail" of the first error, or "". */
const check = (o: SpiderMultusConfig, c = ctx): string => {
  const [e] = validateMultusConfigCreate(defaultMultusConfig(o), c);
  return e === undefined ? '' : `${e.type} ${e.field}: ${e.detail}`;
};

describe('SpiderMultusConfig defaulting', () => {
  it('seed sriov-test defaults and validates cleanly', () => {
    const o = smc(
      { cniType: 'sriov', sriov: { resourceName: 'spidernet.io/sriov_netdevice' } },
      undefined,
      'sriov-test',
    );
    const d = defaultMultusConfig(o);
    expect(d.spec.sriov).toEqual({
      resourceName: 'spidernet.io/sriov_netdevice',
      vlanID: 0,
      mtu: 0,
      minTxRateMbps: 0,
      maxTxRateMbps: 0,
      rdmaIsolation: false,
      ippools: { ipv4: [], ipv6: [], matchMasterSubnet: false },
    });
    expect(d.spec.coordinator).toEqual({
      mode: 'auto',
      hijackCIDR: [],
      policyRoutes: [],
      vethLinkAddress: '',
      podMACPrefix: '',
      podDefaultRouteNIC: '',
      podRPFilter: 0,
      tunePodRoutes: true,
    });
    expect(d.spec.chainCNIJsonData).toEqual([]);
    expect(validateMultusConfigCreate(d, ctx)).toEqual([]);
    expect(o.spec.sriov).toEqual({ resourceName: 'spidernet.io/sriov_netdevice' }); // input untouched
  });

  it('per-type defaults', () => {
    expect(defaultMultusConfig(smc({})).spec).toEqual({
      cniType: 'custom',
      customCNI: '',
      enableCoordinator: false,
      chainCNIJsonData: [],
    });
    expect(
      defaultMultusConfig(
        smc({ cniType: 'macvlan', macvlan: { master: ['a', 'b'], bond: { name: 'b', mode: 1 } } }),
      ).spec.macvlan,
    ).toEqual({
      master: ['a', 'b'],
      bond: { name: 'b', mode: 1, options: '' },
      vlanID: 0,
      mtu: 0,
      rdmaResourceName: '',
      ippools: { ipv4: [], ipv6: [] },
    });
    expect(
      defaultMultusConfig(smc({ cniType: 'vlan', vlan: { master: ['a'], vlanMode: 'auto' } })).spec.vlan,
    ).not.toHaveProperty('vlanID');
    expect(defaultMultusConfig(smc({ cniType: 'vlan', vlan: { master: ['a'] } })).spec.vlan).toMatchObject({
      vlanMode: 'manual',
      vlanID: 0,
    });
    expect(defaultMultusConfig(smc({ cniType: 'ib-sriov', ibsriov: {} })).spec.ibsriov).toEqual({
      pkey: '',
      enableIbKubernetes: false,
      rdmaIsolation: true,
      resourceName: '',
      linkState: 'enable',
      ippools: { ipv4: [], ipv6: [] },
    });
    expect(defaultMultusConfig(smc({ cniType: 'ovs', ovs: { bridge: 'b' } })).spec.ovs).toEqual({
      bridge: 'b',
      vlan: 0,
      ippools: { ipv4: [], ipv6: [] },
    });
    expect(defaultMultusConfig(smc({ cniType: 'ipoib', ipoib: {} })).spec.ipoib).toEqual({
      ippools: { ipv4: [], ipv6: [] },
    });
    expect(
      defaultMultusConfig(
        smc({ cniType: 'custom', coordinator: { mode: 'overlay' }, enableCoordinator: true }),
      ).spec,
    ).not.toHaveProperty('coordinator');
  });

  it('a given coordinator block gets tunePodRoutes false (quirk 12), txQueueLen 0; apiserver defaults win when asked', () => {
    const given = smc({ cniType: 'ipoib', ipoib: { master: 'x' }, coordinator: { mode: 'underlay' } });
    expect(defaultMultusConfig(given).spec.coordinator).toEqual({
      mode: 'underlay',
      hijackCIDR: [],
      policyRoutes: [],
      podMACPrefix: '',
      podDefaultRouteNIC: '',
      tunePodRoutes: false,
      txQueueLen: 0,
      podRPFilter: 0,
    });
    const real = defaultMultusConfig(smc({ cniType: 'ipoib', ipoib: { master: 'x' } }), {
      apiserverDefaults: true,
    }).spec;
    expect(real).toMatchObject({
      enableCoordinator: true,
      disableIPAM: false,
      coordinator: { txQueueLen: 0, hostRuleTable: 500 },
    });
  });

  it('copies inject annotations into labels', () => {
    const d = defaultMultusConfig(
      smc(
        { cniType: 'ipoib', ipoib: { master: 'x' } },
        { 'cni.spidernet.io/rdma-resource-inject': 'g1', other: 'x' },
      ),
    );
    expect(d.metadata.labels).toEqual({ 'cni.spidernet.io/rdma-resource-inject': 'g1' });
  });

  const arbSpec: fc.Arbitrary<MultusCNIConfigSpec> = fc
    .oneof(
      fc.record({
        cniType: fc.constant('macvlan'),
        macvlan: fc.record(
          {
            master: fc.array(fc.constantFrom('a', 'b'), { minLength: 1, maxLength: 1 }),
            vlanID: fc.option(fc.integer({ min: 0, max: 4094 }), { nil: undefined }),
          },
          { requiredKeys: ['master'] },
        ),
      }),
      fc.record({
        cniType: fc.constant('sriov'),
        sriov: fc.record(
          {
            resourceName: fc.constant('r'),
            mtu: fc.option(fc.nat(9000), { nil: undefined }),
            rdmaIsolation: fc.option(fc.boolean(), { nil: undefined }),
          },
          { requiredKeys: ['resourceName'] },
        ),
      }),
      fc.record({
        cniType: fc.constant('vlan'),
        vlan: fc.record({ master: fc.constant(['a']), vlanMode: fc.constantFrom('manual', 'auto') }),
      }),
      fc.record({ cniType: fc.constant('ovs'), ovs: fc.record({ bridge: fc.constant('br') }) }),
      fc.record({ cniType: fc.constant('ib-sriov'), ibsriov: fc.record({ resourceName: fc.constant('r') }) }),
      fc.record({
        cniType: fc.constant('ipoib'),
        ipoib: fc.record({ master: fc.constant('ib0') }),
        coordinator: fc.record(
          { mode: fc.constantFrom('auto', 'underlay'), tunePodRoutes: fc.boolean() },
          { requiredKeys: [] },
        ),
      }),
      fc.record({ customCNI: fc.constantFrom('', '{"type":"x"}') }, { requiredKeys: [] }),
    )
    .map((x) => JSON.parse(JSON.stringify(x)) as MultusCNIConfigSpec);

  it('property: default is idempotent and a valid object stays valid after it', () => {
    fc.assert(
      fc.property(arbSpec, fc.boolean(), (spec, api) => {
        const o = smc(spec);
        const once = defaultMultusConfig(o, { apiserverDefaults: api });
        const twice = defaultMultusConfig(once, { apiserverDefaults: api });
        if (api) {
          expect(twice).toEqual(once);
        } else {
          // Spiderpool's own webhook is not idempotent: a second pass sees the coordinator block it created and
          // adds txQueueLen 0 (what the apiserver's CRD default adds anyway). Nothing else changes, and it is
          // stable from the second pass on.
          const c = once.spec.coordinator;
          const expected =
            c === undefined
              ? once
              : { ...once, spec: { ...once.spec, coordinator: { ...c, txQueueLen: c.txQueueLen ?? 0 } } };
          expect(twice).toEqual(expected);
          expect(defaultMultusConfig(twice)).toEqual(twice);
        }
        expect(validateMultusConfigCreate(once, ctx)).toEqual([]);
        if (validateMultusConfigCreate(o, ctx).length === 0)
          expect(validateMultusConfigCreate(once, ctx)).toEqual([]);
      }),
    );
  });
});

describe('SpiderMultusConfig validation rules (§2.6)', () => {
  const mac = (m: Record<string, unknown>) => smc({ cniType: 'macvlan', macvlan: { master: ['a'], ...m } });

  it('cr-name: DNS-1123, NAD owned by another SMC, unowned NAD is adopted', () => {
    expect(
      check(smc({ cniType: 'ipoib', ipoib: { master: 'x' } }, { 'multus.spidernet.io/cr-name': 'Bad_Name' })),
    ).toMatch(/^Invalid metadata.annotations: invalid custom net-attach-def resource name/);
    const owned: MultusConfigValidationContext = {
      netAttachDefs: new Map([
        [
          'ns/n',
          { ownerReferences: [{ apiVersion: 'v', kind: 'SpiderMultusConfig', name: 'other', uid: 'u' }] },
        ],
        ['ns/free', {}],
      ]),
    };
    expect(check(smc({ cniType: 'ipoib', ipoib: { master: 'x' } }), owned)).toBe(
      'Invalid metadata.annotations: the net-attach-def ns/n already exists and is managed by SpiderMultusConfig ns/other.',
    );
    expect(
      check(
        smc({ cniType: 'ipoib', ipoib: { master: 'x' } }, { 'multus.spidernet.io/cr-name': 'free' }),
        owned,
      ),
    ).toBe('');
    expect(
      check(smc({ cniType: 'ipoib', ipoib: { master: 'x' } }, undefined, 'mine'), {
        netAttachDefs: new Map([
          [
            'ns/mine',
            { ownerReferences: [{ apiVersion: 'v', kind: 'SpiderMultusConfig', name: 'mine', uid: 'u' }] },
          ],
        ]),
      }),
    ).toBe('');
  });

  it('cni-version must be supported', () => {
    expect(
      check(
        smc({ cniType: 'ipoib', ipoib: { master: 'x' } }, { 'multus.spidernet.io/cni-version': '0.2.0' }),
      ),
    ).toBe('Invalid metadata.annotations: unsupported CNI version 0.2.0');
    expect(
      check(
        smc({ cniType: 'ipoib', ipoib: { master: 'x' } }, { 'multus.spidernet.io/cni-version': '1.0.0' }),
      ),
    ).toBe('');
  });

  it('update: cr-name cannot change nor be added', () => {
    const a = smc({ cniType: 'ipoib', ipoib: { master: 'x' } }, { 'multus.spidernet.io/cr-name': 'a' });
    const b = smc({ cniType: 'ipoib', ipoib: { master: 'x' } }, { 'multus.spidernet.io/cr-name': 'b' });
    const none = smc({ cniType: 'ipoib', ipoib: { master: 'x' } });
    expect(validateMultusConfigUpdate(a, b, ctx)[0]?.detail).toBe(
      "it's unsupported to change customized Multus net-attach-def resource name from 'a' to 'b'",
    );
    expect(validateMultusConfigUpdate(none, a, ctx)[0]?.detail).toBe(
      "it's unsupported to changed Multus net-attach-def 'n' to customized name 'a'",
    );
    expect(validateMultusConfigUpdate(a, a, ctx)).toEqual([]);
    expect(validateMultusConfigUpdate(a, none, ctx)).toEqual([]);
    expect(validateMultusConfigDelete(a, ctx)).toEqual([]);
  });

  it('macvlan / ipvlan / vlan rules', () => {
    expect(check(smc({ cniType: 'macvlan' }))).toBe(
      'Required spec.macvlanConfig: no spec.macvlanConfig specified',
    );
    expect(check(mac({ vlanID: 4095 }))).toBe(
      'Invalid spec.macvlanConfig: invalid vlanId 4095, please make sure vlanId in range [0,4094]',
    );
    expect(check(mac({ mtu: -1 }))).toBe(
      'Invalid spec.macvlanConfig: MTU must be greater than or equal to 0',
    );
    expect(check(mac({ ippools: { matchMasterSubnet: true } }))).toBe(
      'Invalid spec.macvlanConfig: MatchMasterSubnet feature is not supported for macvlan',
    );
    expect(check(smc({ cniType: 'macvlan', macvlan: { master: [] } }))).toBe(
      "Invalid spec.macvlanConfig: master can't be empty",
    );
    expect(check(smc({ cniType: 'ipvlan', ipvlan: { master: ['a', 'b'] } }))).toBe(
      'Invalid spec.ipvlanConfig: the bond property is nil with multiple Interfaces',
    );
    expect(
      check(smc({ cniType: 'ipvlan', ipvlan: { master: ['a', 'b'], bond: { name: '', mode: 0 } } })),
    ).toBe("Invalid spec.ipvlanConfig: bond name can't be empty");
    expect(check(smc({ cniType: 'macvlan', macvlan: { master: ['a'] }, sriov: {} }))).toBe(
      'Forbidden spec.cniType: the cniType macvlan only supports spec.macvlanConfig, please remove other CNI configs',
    );
    expect(check(smc({ cniType: 'vlan', vlan: { master: ['a'], vlanMode: 'auto', vlanID: 3 } }))).toBe(
      'Invalid spec.vlan: vlanId must not be specified when vlanMode is auto',
    );
    expect(check(smc({ cniType: 'vlan', vlan: { master: ['a'], vlanMode: 'trunk' } }))).toBe(
      'Invalid spec.vlan: invalid vlanMode trunk, supported values are manual and auto',
    );
    expect(
      check(smc({ cniType: 'vlan', vlan: { master: ['a'], ippools: { matchMasterSubnet: true } } })),
    ).toBe('Invalid spec.vlan: MatchMasterSubnet feature is not supported for vlan');
  });

  it('sriov / ib-sriov / ipoib rules', () => {
    expect(check(smc({ cniType: 'sriov' }))).toBe('Required spec.sriovConfig: no spec.sriovConfig specified');
    expect(check(smc({ cniType: 'sriov', sriov: { resourceName: 'r', vlanID: -1 } }))).toMatch(
      /^Invalid spec.sriovConfig: invalid vlanId -1/,
    );
    expect(
      check(smc({ cniType: 'sriov', sriov: { resourceName: 'r', minTxRateMbps: 10, maxTxRateMbps: 5 } })),
    ).toBe('Invalid spec.sriovConfig: minTxRateMbps must be less than maxTxRateMbps');
    expect(check(smc({ cniType: 'sriov', sriov: {} }))).toBe(
      'Required spec.sriovConfig: no spec.sriovConfig[resourceName] specified',
    );
    expect(check(smc({ cniType: 'ib-sriov', ibsriov: {} }))).toBe(
      'Required spec.ibsriovConfig: no spec.ibsriovConfig[resourceName] specified',
    );
    expect(check(smc({ cniType: 'ib-sriov' }))).toBe(
      'Required spec.ibsriovConfig: no spec.ibsriovConfig specified',
    );
    expect(check(smc({ cniType: 'ipoib', ipoib: {} }))).toBe(
      'Required spec.ipoibConfig: no spec.ipoibConfig[master] specified',
    );
    expect(check(smc({ cniType: 'ipoib' }))).toBe('Required spec.ipoibConfig: no spec.ipoibConfig specified');
  });

  it('resource injection annotations', () => {
    const rdma = { 'cni.spidernet.io/rdma-resource-inject': 'g' };
    const net = { 'cni.spidernet.io/network-resource-inject': 'g' };
    expect(check(smc({ cniType: 'macvlan', macvlan: { master: ['a'] } }, rdma))).toBe(
      'Invalid spec.macvlanConfig: rdmaResourceName can not empty for spidermultusconfig ns/n',
    );
    expect(check(smc({ cniType: 'macvlan', macvlan: { master: ['a'], rdmaResourceName: 'r' } }, rdma))).toBe(
      'Invalid spec.macvlanConfig: no any ippools configured for spidermultusconfig ns/n',
    );
    expect(
      check(
        smc(
          { cniType: 'macvlan', macvlan: { master: ['a'], rdmaResourceName: 'r', ippools: { ipv4: ['p'] } } },
          rdma,
        ),
      ),
    ).toBe('');
    expect(check(smc({ cniType: 'sriov', sriov: { resourceName: 'r' } }, net))).toBe(
      'Invalid spec.sriovConfig: no any ippools configured for spidermultusconfig ns/n',
    );
    expect(check(smc({ cniType: 'macvlan', macvlan: { master: ['a'] } }, net))).toBe('');
    expect(check(smc({ cniType: 'ovs', ovs: { bridge: 'b' } }, net))).toBe(
      'Forbidden spec.cniType: the cniType ovs does not support RDMA resource or network resource injected',
    );
    expect(check(smc({}, rdma))).toBe(
      'Forbidden spec.cniType: the cniType custom does not support RDMA resource or network resource injected',
    );
  });

  it('ovs trunk rules', () => {
    const ovs = (trunk: { minID?: number; maxID?: number; id?: number }[]) =>
      check(smc({ cniType: 'ovs', ovs: { bridge: 'b', trunk } }));
    expect(ovs([{ minID: 4095 }])).toBe('Invalid spec.ovsConfig: incorrect trunk minID parameter');
    expect(ovs([{ minID: 1, maxID: 4095 }])).toBe('Invalid spec.ovsConfig: incorrect trunk maxID parameter');
    expect(ovs([{ minID: 10, maxID: 5 }])).toBe(
      'Invalid spec.ovsConfig: minID is greater than maxID in trunk parameter',
    );
    expect(ovs([{ id: 4097 }])).toBe('Invalid spec.ovsConfig: incorrect trunk id parameter');
    expect(ovs([{ minID: 1, maxID: 10 }, { id: 4096 }])).toBe('');
    expect(check(smc({ cniType: 'ovs', ovs: { bridge: 'b', vlan: 5000 } }))).toMatch(
      /^Invalid spec.ovsConfig: invalid vlanId 5000/,
    );
    expect(check(smc({ cniType: 'ovs' }))).toBe('Required spec.ovsConfig: no spec.ovsConfig specified');
  });

  it('custom, coordinator block and chainCNIJsonData', () => {
    expect(check(smc({ customCNI: '{' }))).toBe(
      "Forbidden spec.customCniTypeConfig: customCniConfig isn't a valid JSON encoding",
    );
    expect(check(smc({ cniType: 'custom', customCNI: '{}', ipoib: {} }))).toBe(
      'Forbidden spec.cniType: the cniType custom only supports spec.customCniTypeConfig, please remove other CNI configs',
    );
    expect(
      check(smc({ cniType: 'ipoib', ipoib: { master: 'x' }, coordinator: { podMACPrefix: '0b:00' } })),
    ).toBe('Invalid spec.podMACPrefix: not a unicast MAC: the lowest bit of the first byte must be 0');
    expect(
      check(smc({ cniType: 'ipoib', ipoib: { master: 'x' }, chainCNIJsonData: ['{"sysctl":{}}'] })),
    ).toBe(
      `Forbidden spec.chainCNIJsonData: invalid {"sysctl":{}}: error parsing configuration: missing 'type'`,
    );
    expect(check(smc({ cniType: 'ipoib', ipoib: { master: 'x' }, chainCNIJsonData: ['nope'] }))).toMatch(
      /^Forbidden spec.chainCNIJsonData: invalid nope: error parsing/,
    );
    expect(
      check(smc({ cniType: 'ipoib', ipoib: { master: 'x' }, chainCNIJsonData: ['{"type":"tuning"}'] })),
    ).toBe('');
    const raw = { ...smc({}), spec: {} };
    expect(validateMultusConfigCreate(raw, ctx)[0]?.detail).toBe('CniType must not be nil');
  });
});
