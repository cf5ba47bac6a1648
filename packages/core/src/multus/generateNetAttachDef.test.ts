import { describe, expect, it } from 'vitest';
import type { MultusCNIConfigSpec, SpiderMultusConfig } from '../api/multusConfig.ts';
import { defaultMultusConfig } from '../webhook/multusConfigDefault.ts';
import { generateNetAttachDef } from './generateNetAttachDef.ts';

const smc = (
  name: string,
  spec: MultusCNIConfigSpec,
  annotations?: Record<string, string>,
): SpiderMultusConfig => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderMultusConfig',
  metadata: { name, namespace: 'kube-system', uid: 'uid-1', ...(annotations ? { annotations } : {}) },
  spec,
});

/** Default like the webhook, then generate; returns spec.config. */
const config = (o: SpiderMultusConfig, apiserverDefaults = false): string => {
  const nad = generateNetAttachDef(defaultMultusConfig(o, { apiserverDefaults }))._unsafeUnwrap();
  return nad.spec?.config ?? '';
};

const COORD = '{"tunePodRoutes":true,"mode":"auto","type":"coordinator"}';
const mainPlugin = (s: string): string => {
  const m = /"plugins":\[(\{.*?"ipam":\{[^}]*\}\})/.exec(s);
  return m?.[1] ?? '';
};

describe('generateNetAttachDef: literal outputs of reference §4', () => {
  it('seed sriov-test: NAD metadata and config', () => {
    const o = smc('sriov-test', {
      cniType: 'sriov',
      sriov: { resourceName: 'spidernet.io/sriov_netdevice' },
    });
    const nad = generateNetAttachDef(defaultMultusConfig(o))._unsafeUnwrap();
    expect(nad.apiVersion).toBe('k8s.cni.cncf.io/v1');
    expect(nad.metadata.name).toBe('sriov-test');
    expect(nad.metadata.namespace).toBe('kube-system');
    expect(nad.metadata.annotations).toEqual({
      'k8s.v1.cni.cncf.io/resourceName': 'spidernet.io/sriov_netdevice',
    });
    expect(nad.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'spiderpool.spidernet.io/v2beta1',
        kind: 'SpiderMultusConfig',
        name: 'sriov-test',
        uid: 'uid-1',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(nad.spec?.config).toBe(
      '{"cniVersion":"0.3.1","name":"sriov-test","plugins":[{"vlan":0,"min_tx_rate":0,"max_tx_rate":0,"type":"sriov","ipam":{"type":"spiderpool"}},{"tunePodRoutes":true,"mode":"auto","type":"coordinator"}]}',
    );
  });

  it('sriov-test in a real cluster (apiserver CRD defaults): coordinator gains txQueueLen 0', () => {
    const o = smc('sriov-test', {
      cniType: 'sriov',
      sriov: { resourceName: 'spidernet.io/sriov_netdevice' },
    });
    expect(config(o, true)).toBe(
      '{"cniVersion":"0.3.1","name":"sriov-test","plugins":[{"vlan":0,"min_tx_rate":0,"max_tx_rate":0,"type":"sriov","ipam":{"type":"spiderpool"}},{"txQueueLen":0,"tunePodRoutes":true,"mode":"auto","type":"coordinator"}]}',
    );
  });

  it('sriov with vlan, rates, rdma, mtu (tuning last), pools and matchMasterSubnet', () => {
    const o = smc('sriov-rdma', {
      cniType: 'sriov',
      sriov: {
        resourceName: 'r',
        vlanID: 100,
        minTxRateMbps: 100,
        maxTxRateMbps: 1000,
        rdmaIsolation: true,
        mtu: 8000,
        ippools: { ipv4: ['vf-pool-v4'], matchMasterSubnet: true },
      },
    });
    expect(config(o)).toBe(
      `{"cniVersion":"0.3.1","name":"sriov-rdma","plugins":[{"vlan":100,"min_tx_rate":100,"max_tx_rate":1000,"type":"sriov","ipam":{"type":"spiderpool","default_ipv4_ippool":["vf-pool-v4"],"match_master_subnet":true}},{"type":"rdma"},${COORD},{"type":"tuning","mtu":8000}]}`,
    );
  });

  it('sriov + rdma + chainCNIJsonData (keys re-sorted like a Go map, before the coordinator)', () => {
    const o = smc('sriov-chain', {
      cniType: 'sriov',
      sriov: { resourceName: 'r', rdmaIsolation: true },
      chainCNIJsonData: ['{"type":"tuning","sysctl":{"net.core.somaxconn":"4096"}}'],
    });
    expect(config(o)).toBe(
      `{"cniVersion":"0.3.1","name":"sriov-chain","plugins":[{"vlan":0,"min_tx_rate":0,"max_tx_rate":0,"type":"sriov","ipam":{"type":"spiderpool"}},{"type":"rdma"},{"sysctl":{"net.core.somaxconn":"4096"},"type":"tuning"},${COORD}]}`,
    );
  });

  it('macvlan single master', () => {
    const o = smc('macvlan-ens192', { cniType: 'macvlan', macvlan: { master: ['ens192'] } });
    expect(config(o)).toBe(
      `{"cniVersion":"0.3.1","name":"macvlan-ens192","plugins":[{"type":"macvlan","master":"ens192","mode":"bridge","mtu":0,"ipam":{"type":"spiderpool"}},${COORD}]}`,
    );
  });

  it('macvlan with vlanID: ifacer first, master.vlan, pools', () => {
    const o = smc('macvlan-100', {
      cniType: 'macvlan',
      macvlan: {
        master: ['ens192'],
        vlanID: 100,
        ippools: { ipv4: ['default-pool-v4'], ipv6: ['default-pool-v6'] },
      },
    });
    expect(config(o)).toBe(
      `{"cniVersion":"0.3.1","name":"macvlan-100","plugins":[{"vlanID":100,"type":"ifacer","interfaces":["ens192"]},{"type":"macvlan","master":"ens192.100","mode":"bridge","mtu":0,"ipam":{"type":"spiderpool","default_ipv4_ippool":["default-pool-v4"],"default_ipv6_ippool":["default-pool-v6"]}},${COORD}]}`,
    );
  });

  it('macvlan bond with vlanID', () => {
    const o = smc('macvlan-bond', {
      cniType: 'macvlan',
      macvlan: { master: ['ens192', 'ens224'], bond: { name: 'bond0', mode: 1 }, vlanID: 100 },
    });
    expect(config(o)).toBe(
      `{"cniVersion":"0.3.1","name":"macvlan-bond","plugins":[{"vlanID":100,"type":"ifacer","interfaces":["ens192","ens224"],"bond":{"name":"bond0","mode":1,"options":""}},{"type":"macvlan","master":"bond0.100","mode":"bridge","mtu":0,"ipam":{"type":"spiderpool"}},${COORD}]}`,
    );
  });

  it('ipvlan, vlan, ib-sriov, ipoib, ovs main plugins', () => {
    expect(mainPlugin(config(smc('a', { cniType: 'ipvlan', ipvlan: { master: ['ens192'] } })))).toBe(
      '{"type":"ipvlan","master":"ens192","mtu":0,"ipam":{"type":"spiderpool"}}',
    );
    expect(mainPlugin(config(smc('a', { cniType: 'vlan', vlan: { master: ['ens192'], vlanID: 100 } })))).toBe(
      '{"type":"vlan","master":"ens192","vlanMode":"manual","vlanId":100,"mtu":0,"ipam":{"type":"spiderpool"}}',
    );
    expect(mainPlugin(config(smc('a', { cniType: 'ib-sriov', ibsriov: { resourceName: 'ib' } })))).toBe(
      '{"type":"ib-sriov","pkey":"","link_state":"enable","rdmaIsolation":true,"ibKubernetesEnabled":false,"ipam":{"type":"spiderpool"}}',
    );
    expect(mainPlugin(config(smc('a', { cniType: 'ipoib', ipoib: { master: 'ibs5f0' } })))).toBe(
      '{"type":"ipoib","master":"ibs5f0","ipam":{"type":"spiderpool"}}',
    );
    expect(mainPlugin(config(smc('a', { cniType: 'ovs', ovs: { bridge: 'br1' } })))).toBe(
      '{"vlan":0,"type":"ovs","bridge":"br1","ipam":{"type":"spiderpool"}}',
    );
  });

  it('fully populated coordinator', () => {
    const o = smc('c', {
      cniType: 'ipoib',
      ipoib: { master: 'ib0' },
      coordinator: {
        mode: 'underlay',
        txQueueLen: 2000,
        vethLinkAddress: '169.254.100.1',
        tunePodRoutes: true,
        podMACPrefix: '0a:1b',
        podDefaultRouteNIC: 'net1',
        hijackCIDR: ['169.254.0.0/16'],
        policyRoutes: [{ dst: '10.10.0.0/16', gw: '172.18.0.1' }],
        hostRuleTable: 600,
      },
    });
    const plugins = config(o);
    expect(
      plugins.endsWith(
        ',{"txQueueLen":2000,"vethLinkAddress":"169.254.100.1","tunePodRoutes":true,"podMACPrefix":"0a:1b","mode":"underlay","type":"coordinator","podDefaultRouteNic":"net1","hijackCIDR":["169.254.0.0/16"],"policyRoutes":[{"dst":"10.10.0.0/16","gw":"172.18.0.1"}]}]}',
      ),
    ).toBe(true);
  });
});
