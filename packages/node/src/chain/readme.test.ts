// The pickNetworks example of packages/node/README.md ("CNI chain runner and Multus stand-in"), kept runnable
// with the seed's NAD (what core generates for the sriov-test SpiderMultusConfig).
import type { NetworkAttachmentDefinition, Pod } from '@spiderpool-ts/core';
import { describe, expect, it } from 'vitest';
import { pickNetworks } from './multus/pick.ts';
import { loadNetworkConfig } from './netconf.ts';

const config =
  '{"cniVersion":"0.3.1","name":"sriov-test","plugins":[{"vlan":0,"min_tx_rate":0,"max_tx_rate":0,"type":"sriov","ipam":{"type":"spiderpool"}},{"tunePodRoutes":true,"mode":"auto","type":"coordinator"}]}';
const nads: NetworkAttachmentDefinition[] = [
  {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: {
      namespace: 'kube-system',
      name: 'sriov-test',
      annotations: { 'k8s.v1.cni.cncf.io/resourceName': 'spidernet.io/sriov_netdevice' },
    },
    spec: { config },
  },
];
const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    namespace: 'default',
    name: 'web-1',
    annotations: { 'v1.multus-cni.io/default-network': 'kube-system/sriov-test' },
  },
};

describe('README: pickNetworks', () => {
  it('eth0 from the default-network annotation, the device of the NAD resource in every plugin', () => {
    const picked = pickNetworks({
      pod,
      nads,
      allocatedDevices: { 'spidernet.io/sriov_netdevice': ['0000:04:00.2'] },
    });
    const [first] = picked._unsafeUnwrap();
    expect(first).toMatchObject({
      network: 'kube-system/sriov-test',
      ifName: 'eth0',
      isDefault: true,
      deviceID: '0000:04:00.2',
      capabilityArgs: { deviceID: '0000:04:00.2' },
    });
    const list = loadNetworkConfig(first?.conf ?? {})._unsafeUnwrap();
    expect(list.plugins.map((p) => [p.type, p.raw.deviceID, p.raw.pciBusID])).toEqual([
      ['sriov', '0000:04:00.2', '0000:04:00.2'],
      ['coordinator', '0000:04:00.2', '0000:04:00.2'],
    ]);
  });
});
