import { describe, expect, it } from 'vitest';
import { mkPod } from './candidatesTestKit.ts';
import { parseNetworkSelections, qualifyMultusName, resolveNicNetwork } from './networks.ts';
import { DEFAULT_IPAM_SETTINGS } from './types.ts';

const DEFAULT_NET = 'v1.multus-cni.io/default-network';
const NETWORKS = 'k8s.v1.cni.cncf.io/networks';
const settings = DEFAULT_IPAM_SETTINGS;

describe('parseNetworkSelections', () => {
  it('comma form with namespaces and interfaces', () => {
    const nets = parseNetworkSelections(NETWORKS, 'ns1/a@if1, b', 'pod-ns')._unsafeUnwrap();
    expect(nets).toEqual([
      { namespace: 'ns1', name: 'a', interface: 'if1' },
      { namespace: 'pod-ns', name: 'b', interface: '' },
    ]);
  });
  it('JSON form', () => {
    const nets = parseNetworkSelections(
      NETWORKS,
      '[{"name":"a","interface":"net5"},{"name":"b","namespace":"x"}]',
      'd',
    );
    expect(nets._unsafeUnwrap()).toEqual([
      { namespace: 'd', name: 'a', interface: 'net5' },
      { namespace: 'x', name: 'b', interface: '' },
    ]);
  });
  it('rejects malformed values', () => {
    for (const v of ['', 'a/b/c', 'a@x@y', 'Upper', '[{"name":1}]', '[{']) {
      expect(parseNetworkSelections(NETWORKS, v, 'd')._unsafeUnwrapErr()._tag).toBe('BadAnnotation');
    }
  });
});

describe('resolveNicNetwork', () => {
  it('first NIC: default-network annotation, bare name in the agent namespace', () => {
    expect(resolveNicNetwork(mkPod({ [DEFAULT_NET]: 'sriov-test' }), 'eth0', settings)._unsafeUnwrap()).toBe(
      'kube-system/sriov-test',
    );
    expect(resolveNicNetwork(mkPod({ [DEFAULT_NET]: 'ns/x' }), '0', settings)._unsafeUnwrap()).toBe('ns/x');
  });
  it('first NIC: falls back to MULTUS_CLUSTER_NETWORK, else MissingDefaultNetwork', () => {
    const withCluster = { ...settings, multusClusterNetwork: 'kube-system/calico' };
    expect(resolveNicNetwork(mkPod(), 'eth0', withCluster)._unsafeUnwrap()).toBe('kube-system/calico');
    expect(resolveNicNetwork(mkPod(), 'eth0', settings)._unsafeUnwrapErr()._tag).toBe(
      'MissingDefaultNetwork',
    );
  });
  it('other NICs: by interface name, default net<idx+1>, or position; bare names in the Pod namespace', () => {
    const pod = mkPod({ [NETWORKS]: 'a, other/b@ens5, c' });
    expect(resolveNicNetwork(pod, 'net1', settings)._unsafeUnwrap()).toBe('default/a');
    expect(resolveNicNetwork(pod, 'ens5', settings)._unsafeUnwrap()).toBe('other/b');
    expect(resolveNicNetwork(pod, 'net3', settings)._unsafeUnwrap()).toBe('default/c');
    expect(resolveNicNetwork(pod, '2', settings)._unsafeUnwrap()).toBe('other/b');
    expect(resolveNicNetwork(pod, 'net9', settings)._unsafeUnwrap()).toBeUndefined();
    expect(resolveNicNetwork(mkPod(), 'net1', settings)._unsafeUnwrap()).toBeUndefined();
  });
  it('qualifyMultusName', () => {
    expect(qualifyMultusName('x', 'kube-system')).toBe('kube-system/x');
    expect(qualifyMultusName('a/x', 'kube-system')).toBe('a/x');
  });
});
