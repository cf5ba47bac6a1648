// Multus's network choice: annotation formats, namespaces, interface names, devices, runtimeConfig.
import type { NetworkAttachmentDefinition, Pod } from '@spiderpool-ts/core';
import { describe, expect, it } from 'vitest';
import { pickNetworks } from './pick.ts';
import { parseNetworkSelection } from './selection.ts';

const nad = (
  ns: string,
  name: string,
  config: object,
  resourceName?: string,
): NetworkAttachmentDefinition => ({
  apiVersion: 'k8s.cni.cncf.io/v1',
  kind: 'NetworkAttachmentDefinition',
  metadata: {
    namespace: ns,
    name,
    ...(resourceName ? { annotations: { 'k8s.v1.cni.cncf.io/resourceName': resourceName } } : {}),
  },
  spec: { config: JSON.stringify(config) },
});

const pod = (annotations: Record<string, string>): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: 'app', name: 'p1', uid: 'u1', annotations },
});

const sriov = nad(
  'kube-system',
  'sriov-test',
  {
    cniVersion: '0.3.1',
    name: 'sriov-test',
    plugins: [{ type: 'sriov', ipam: { type: 'spiderpool' } }, { type: 'coordinator' }],
  },
  'spidernet.io/sriov_netdevice',
);
const mv = nad('app', 'mv', {
  cniVersion: '1.0.0',
  name: 'mv',
  type: 'macvlan',
  capabilities: { ips: true, mac: true },
});
const nads = [sriov, mv, nad('other', 'mv2', { cniVersion: '1.0.0', name: 'mv2', type: 'macvlan' })];

describe('parseNetworkSelection', () => {
  it('reads the comma list: ns/name@ifname, name, spaces; the Pod namespace by default', () => {
    expect(parseNetworkSelection(' kube-system/sriov-test@net7 , mv ,', 'app')._unsafeUnwrap()).toEqual([
      { namespace: 'kube-system', name: 'sriov-test', interface: 'net7' },
      { namespace: 'app', name: 'mv' },
    ]);
  });
  it('reads the JSON list with every field Multus knows', () => {
    const v = JSON.stringify([
      {
        name: 'mv',
        interface: 'x1',
        ips: ['10.1.0.5/24'],
        mac: '0a:00:00:00:00:01',
        'default-route': ['10.1.0.1'],
        'cni-args': { a: 1 },
      },
      { name: 'mv2', namespace: 'other' },
    ]);
    expect(parseNetworkSelection(v, 'app')._unsafeUnwrap()).toEqual([
      {
        namespace: 'app',
        name: 'mv',
        interface: 'x1',
        ips: ['10.1.0.5/24'],
        mac: '0a:00:00:00:00:01',
        'default-route': ['10.1.0.1'],
        'cni-args': { a: 1 },
      },
      { namespace: 'other', name: 'mv2' },
    ]);
  });
  it('refuses what Multus refuses', () => {
    for (const bad of [
      'a/b/c',
      'a@b@c',
      'UPPER',
      'ns/na_me',
      '[{"namespace":"x"}]',
      '[{"name":"a","ips":"10.0.0.1"}]',
      '[1]',
      '{"name": 3}',
      '[oops',
    ])
      expect(parseNetworkSelection(bad, 'app')._unsafeUnwrapErr()._tag).toBe('InvalidArgument');
    expect(parseNetworkSelection('', 'app')._unsafeUnwrap()).toEqual([]);
  });
});

describe('pickNetworks', () => {
  it('the default network is eth0, the extra ones net1, net2… by position unless named', () => {
    const p = pod({
      'v1.multus-cni.io/default-network': 'kube-system/sriov-test',
      'k8s.v1.cni.cncf.io/networks': 'mv@foo, other/mv2, mv',
    });
    const picked = pickNetworks({
      pod: p,
      nads,
      allocatedDevices: { 'spidernet.io/sriov_netdevice': ['0000:04:00.2'] },
    })._unsafeUnwrap();
    expect(picked.map((n) => [n.network, n.ifName, n.isDefault])).toEqual([
      ['kube-system/sriov-test', 'eth0', true],
      ['app/mv', 'foo', false],
      ['other/mv2', 'net2', false],
      ['app/mv', 'net3', false],
    ]);
  });

  it('deviceID from the NAD resourceName and the Pod devices: every plugin gets deviceID/pciBusID, and the capability arg', () => {
    const p = pod({ 'v1.multus-cni.io/default-network': 'kube-system/sriov-test' });
    const [first] = pickNetworks({
      pod: p,
      nads,
      allocatedDevices: { 'spidernet.io/sriov_netdevice': ['0000:04:00.3', '0000:04:00.4'] },
      patchPlugin: (pl) =>
        pl.ipam ? { ...pl, ipam: { ...(pl.ipam as object), ipam_unix_socket_path: '/n1.sock' } } : pl,
    })._unsafeUnwrap();
    expect(first?.deviceID).toBe('0000:04:00.3');
    expect(first?.capabilityArgs).toEqual({ deviceID: '0000:04:00.3' });
    expect(first?.conf.plugins).toEqual([
      {
        type: 'sriov',
        ipam: { type: 'spiderpool', ipam_unix_socket_path: '/n1.sock' },
        deviceID: '0000:04:00.3',
        pciBusID: '0000:04:00.3',
      },
      { type: 'coordinator', deviceID: '0000:04:00.3', pciBusID: '0000:04:00.3' },
    ]);
    // Two attachments of one resource take two devices; a third has none.
    const two = pod({
      'v1.multus-cni.io/default-network': 'kube-system/sriov-test',
      'k8s.v1.cni.cncf.io/networks': 'kube-system/sriov-test',
    });
    const both = pickNetworks({
      pod: two,
      nads,
      allocatedDevices: { 'spidernet.io/sriov_netdevice': ['0000:04:00.3', '0000:04:00.4'] },
    });
    expect(both._unsafeUnwrap().map((n) => n.deviceID)).toEqual(['0000:04:00.3', '0000:04:00.4']);
    const none = pickNetworks({
      pod: two,
      nads,
      allocatedDevices: { 'spidernet.io/sriov_netdevice': ['0000:04:00.3'] },
    });
    expect(none._unsafeUnwrapErr()).toMatchObject({ _tag: 'InvalidArgument', field: 'allocatedDevices' });
  });

  it('ips / mac become capability args, cni-args go to args.cni', () => {
    const p = pod({
      'v1.multus-cni.io/default-network': 'mv',
      'k8s.v1.cni.cncf.io/networks': JSON.stringify([
        {
          name: 'mv2',
          namespace: 'other',
          ips: ['10.1.0.5/24'],
          mac: '0a:00:00:00:00:01',
          'cni-args': { k: 'v' },
        },
      ]),
    });
    const [, extra] = pickNetworks({ pod: p, nads })._unsafeUnwrap();
    expect(extra?.capabilityArgs).toEqual({ ips: ['10.1.0.5/24'], mac: '0a:00:00:00:00:01' });
    expect(extra?.conf).toMatchObject({ type: 'macvlan', args: { cni: { k: 'v' } } });
  });

  it('falls back to the cluster network; refuses unknown NADs, two defaults, a reused interface name', () => {
    expect(pickNetworks({ pod: pod({}), nads, clusterNetwork: 'app/mv' })._unsafeUnwrap()[0]?.ifName).toBe(
      'eth0',
    );
    expect(pickNetworks({ pod: pod({}), nads })._unsafeUnwrapErr()._tag).toBe('InvalidArgument');
    expect(
      pickNetworks({ pod: pod({ 'v1.multus-cni.io/default-network': 'nope' }), nads })._unsafeUnwrapErr()
        .message,
    ).toContain('no such NetworkAttachmentDefinition');
    expect(
      pickNetworks({
        pod: pod({ 'v1.multus-cni.io/default-network': 'mv, other/mv2' }),
        nads,
      })._unsafeUnwrapErr().message,
    ).toContain('exactly one');
    expect(
      pickNetworks({
        pod: pod({ 'v1.multus-cni.io/default-network': 'mv', 'k8s.v1.cni.cncf.io/networks': 'mv@eth0' }),
        nads,
      })._unsafeUnwrapErr().message,
    ).toContain('used twice');
  });
});
