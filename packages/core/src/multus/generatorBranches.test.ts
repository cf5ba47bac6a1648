import { describe, expect, it } from 'vitest';
import type { MultusCNIConfigSpec, SpiderMultusConfig } from '../api/multusConfig.ts';
import { defaultMultusConfig } from '../webhook/multusConfigDefault.ts';
import { generateNetAttachDef } from './generateNetAttachDef.ts';

const smc = (spec: MultusCNIConfigSpec, annotations?: Record<string, string>): SpiderMultusConfig => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderMultusConfig',
  metadata: { name: 'net', namespace: 'ns', ...(annotations ? { annotations } : {}) },
  spec,
});
const gen = (o: SpiderMultusConfig) => generateNetAttachDef(defaultMultusConfig(o));
const conf = (o: SpiderMultusConfig) => JSON.parse(gen(o)._unsafeUnwrap().spec?.config ?? 'null');
const types = (o: SpiderMultusConfig): string[] => (conf(o).plugins as { type: string }[]).map((p) => p.type);

describe('generateNetAttachDef branches', () => {
  it('name override, cniconfig-name, cni-version and annotation copy', () => {
    const nad = gen(
      smc(
        { cniType: 'macvlan', macvlan: { master: ['eth0'] } },
        {
          'multus.spidernet.io/cr-name': 'custom-nad',
          'cni.spidernet.io/cniconfig-name': 'confname',
          'multus.spidernet.io/cni-version': '1.0.0',
          'example.com/x': 'y',
        },
      ),
    )._unsafeUnwrap();
    expect(nad.metadata.name).toBe('custom-nad');
    expect(nad.metadata.ownerReferences?.[0]?.name).toBe('net');
    expect(nad.metadata.ownerReferences?.[0]?.uid).toBe('');
    expect(nad.metadata.annotations?.['example.com/x']).toBe('y');
    expect(nad.metadata.annotations?.['k8s.v1.cni.cncf.io/resourceName']).toBeUndefined();
    expect(nad.spec?.config?.startsWith('{"cniVersion":"1.0.0","name":"confname","plugins":[')).toBe(true);
  });

  it('without cniconfig-name the conf name is the NAD name', () => {
    const c = conf(
      smc({ cniType: 'ipoib', ipoib: { master: 'ib0' } }, { 'multus.spidernet.io/cr-name': 'x' }),
    );
    expect(c.name).toBe('x');
    expect(c.cniVersion).toBe('0.3.1');
  });

  it('disableIPAM drops every ipam section', () => {
    for (const spec of [
      { cniType: 'macvlan', macvlan: { master: ['a'] } },
      { cniType: 'ipvlan', ipvlan: { master: ['a'] } },
      { cniType: 'vlan', vlan: { master: ['a'], vlanID: 5 } },
      { cniType: 'sriov', sriov: { resourceName: 'r' } },
      { cniType: 'ib-sriov', ibsriov: { resourceName: 'r' } },
      { cniType: 'ipoib', ipoib: { master: 'ib0' } },
      { cniType: 'ovs', ovs: { bridge: 'br' } },
    ] satisfies MultusCNIConfigSpec[]) {
      const s = gen(smc({ ...spec, disableIPAM: true }))._unsafeUnwrap().spec?.config ?? '';
      expect(s).not.toContain('"ipam"');
    }
  });

  it('enableCoordinator false drops the coordinator', () => {
    expect(types(smc({ cniType: 'ipvlan', ipvlan: { master: ['a'] }, enableCoordinator: false }))).toEqual([
      'ipvlan',
    ]);
  });

  it('ipvlan with vlan and with a bond gets an ifacer', () => {
    expect(types(smc({ cniType: 'ipvlan', ipvlan: { master: ['a'], vlanID: 7 } }))).toEqual([
      'ifacer',
      'ipvlan',
      'coordinator',
    ]);
    const c = conf(
      smc({
        cniType: 'ipvlan',
        ipvlan: { master: ['a', 'b'], bond: { name: 'b0', mode: 4, options: 'miimon=100' } },
      }),
    );
    expect(c.plugins[0]).toEqual({
      type: 'ifacer',
      interfaces: ['a', 'b'],
      bond: { name: 'b0', mode: 4, options: 'miimon=100' },
    });
    expect(c.plugins[1].master).toBe('b0');
  });

  it('vlan: two masters -> ifacer with bond and no vlanID; auto mode has no vlanId', () => {
    const c = conf(
      smc({ cniType: 'vlan', vlan: { master: ['a', 'b'], bond: { name: 'bond1', mode: 0 }, vlanID: 9 } }),
    );
    expect(c.plugins[0]).toEqual({
      type: 'ifacer',
      interfaces: ['a', 'b'],
      bond: { name: 'bond1', mode: 0, options: '' },
    });
    expect(c.plugins[1]).toMatchObject({ type: 'vlan', master: 'bond1', vlanMode: 'manual', vlanId: 9 });
    const auto = gen(smc({ cniType: 'vlan', vlan: { master: ['a'], vlanMode: 'auto' } }))._unsafeUnwrap();
    expect(auto.spec?.config).toContain('{"type":"vlan","master":"a","vlanMode":"auto","mtu":0,"ipam":');
  });

  it('sriov mtu 0 adds no tuning; ib-sriov sets the resourceName annotation', () => {
    expect(types(smc({ cniType: 'sriov', sriov: { resourceName: 'r', mtu: 0 } }))).toEqual([
      'sriov',
      'coordinator',
    ]);
    const nad = gen(smc({ cniType: 'ib-sriov', ibsriov: { resourceName: 'mellanox/ib' } }))._unsafeUnwrap();
    expect(nad.metadata.annotations?.['k8s.v1.cni.cncf.io/resourceName']).toBe('mellanox/ib');
  });

  it('ovs with deviceID and trunk', () => {
    const nad = gen(
      smc({
        cniType: 'ovs',
        ovs: {
          bridge: 'br1',
          vlan: 10,
          deviceID: '0000:01:00.1',
          trunk: [{ minID: 1, maxID: 5 }, { id: 7 }],
        },
      }),
    )._unsafeUnwrap();
    expect(nad.metadata.annotations?.['k8s.v1.cni.cncf.io/resourceName']).toBe(
      'ovs-cni.network.kubevirt.io/br1',
    );
    expect(nad.spec?.config).toContain(
      '{"vlan":10,"type":"ovs","bridge":"br1","deviceID":"0000:01:00.1","ipam":{"type":"spiderpool"},"trunk":[{"minID":1,"maxID":5},{"id":7}]}',
    );
  });

  it('coordinator podRPFilter only with podCIDRType', () => {
    const base = { cniType: 'ipoib', ipoib: { master: 'ib0' } } as const;
    expect(conf(smc({ ...base, coordinator: { podRPFilter: 2 } })).plugins[1]).not.toHaveProperty(
      'podRPFilter',
    );
    const c = gen(
      smc({ ...base, coordinator: { podRPFilter: 2, podCIDRType: 'cluster', vethMTU: 9000 } }),
    )._unsafeUnwrap();
    expect(c.spec?.config).toContain(
      '"txQueueLen":0,"vethMTU":9000,"tunePodRoutes":false,"mode":"auto","type":"coordinator","podRPFilter":2}',
    );
  });

  it('custom: verbatim config, empty config, invalid JSON', () => {
    const raw = '{ "cniVersion": "0.3.1", "type": "bridge" }';
    expect(gen(smc({ cniType: 'custom', customCNI: raw }))._unsafeUnwrap().spec?.config).toBe(raw);
    expect(gen(smc({}))._unsafeUnwrap().spec).toEqual({ config: '' });
    const bad = generateNetAttachDef(smc({ cniType: 'custom', customCNI: '{' }));
    expect(bad.isErr() && bad.error._tag).toBe('InvalidCustomCNI');
  });

  it('errors: bad chain JSON, unknown type, missing block', () => {
    const chain = generateNetAttachDef(
      smc({ cniType: 'ipoib', ipoib: { master: 'x' }, chainCNIJsonData: ['{'] }),
    );
    expect(chain.isErr() && chain.error._tag).toBe('InvalidChainCNIJson');
    const unk = generateNetAttachDef(smc({ cniType: 'calico' }));
    expect(unk.isErr() && unk.error.message).toBe('unrecognized CNI type calico');
    const missing = generateNetAttachDef(smc({ cniType: 'sriov' }));
    expect(missing.isErr() && missing.error._tag).toBe('MissingCniConfig');
  });

  it('chain data values are re-encoded the Go way (HTML escaping, sorted keys)', () => {
    const s = gen(
      smc({ cniType: 'ipoib', ipoib: { master: 'x' }, chainCNIJsonData: ['{"z":1,"a":"<b>","type":"t"}'] }),
    )._unsafeUnwrap().spec?.config;
    expect(s).toContain('{"a":"\\u003cb\\u003e","type":"t","z":1}');
  });
});
