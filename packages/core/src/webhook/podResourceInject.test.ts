import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/meta.ts';
import type { MultusCNIConfigSpec, SpiderMultusConfig } from '../api/multusConfig.ts';
import { injectPodNetworkResources } from './podResourceInject.ts';

const NET = 'cni.spidernet.io/network-resource-inject';
const RDMA = 'cni.spidernet.io/rdma-resource-inject';

const smc = (
  name: string,
  spec: MultusCNIConfigSpec,
  labels: Record<string, string>,
): SpiderMultusConfig => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderMultusConfig',
  metadata: { name, namespace: 'kube-system', labels },
  spec,
});

const sriov = (name: string, resourceName: string, label: Record<string, string>) =>
  smc(name, { cniType: 'sriov', sriov: { resourceName, ippools: { ipv4: ['v4-pool'] } } }, label);

const pod = (annotations: Record<string, string>, limits?: Record<string, string>): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', annotations },
    spec: {
      containers: [
        { name: 'a', image: 'x', ...(limits ? { resources: { limits } } : {}) },
        { name: 'b', image: 'y' },
      ],
    },
  }) as KubeObject;

const containersOf = (o: KubeObject) =>
  (o as KubeObject & { spec: { containers: { resources?: { limits?: Record<string, string> } }[] } }).spec
    .containers;

describe('injectPodNetworkResources', () => {
  const configs = [
    sriov('sriov-b', 'spidernet.io/sriov_netdevice_b', { [NET]: 'gpu' }),
    sriov('sriov-a', 'spidernet.io/sriov_netdevice_a', { [NET]: 'gpu' }),
    sriov('other', 'spidernet.io/other', { [NET]: 'cpu' }),
  ];

  it('adds the Multus networks (sorted by resource name) and one of each resource to the first container', () => {
    const input = pod({ [NET]: 'gpu' });
    const r = injectPodNetworkResources(input, { multusConfigs: configs })._unsafeUnwrap();
    expect(r.annotation).toBe(NET);
    expect(r.pod.metadata.annotations?.['k8s.v1.cni.cncf.io/networks']).toBe(
      'kube-system/sriov-a,kube-system/sriov-b',
    );
    expect(containersOf(r.pod)[0]?.resources?.limits).toEqual({
      'spidernet.io/sriov_netdevice_a': '1',
      'spidernet.io/sriov_netdevice_b': '1',
    });
    expect(containersOf(r.pod)[1]?.resources).toBeUndefined();
    expect(containersOf(input)[0]?.resources).toBeUndefined(); // input untouched
  });

  it('keeps a resource some container already limits', () => {
    const input = pod({ [NET]: 'gpu' }, { 'spidernet.io/sriov_netdevice_a': '2', cpu: '1' });
    const r = injectPodNetworkResources(input, { multusConfigs: configs })._unsafeUnwrap();
    expect(containersOf(r.pod)[0]?.resources?.limits).toEqual({
      'spidernet.io/sriov_netdevice_a': '2',
      cpu: '1',
      'spidernet.io/sriov_netdevice_b': '1',
    });
  });

  it('takes the annotation from the Namespace when the Pod has none', () => {
    const r = injectPodNetworkResources(pod({}), {
      multusConfigs: configs,
      namespaceAnnotations: { [NET]: 'cpu' },
    })._unsafeUnwrap();
    expect(r.pod.metadata.annotations?.['k8s.v1.cni.cncf.io/networks']).toBe('kube-system/other');
  });

  it('leaves a Pod without the annotations unchanged', () => {
    const input = pod({});
    const r = injectPodNetworkResources(input, { multusConfigs: configs })._unsafeUnwrap();
    expect(r.annotation).toBeUndefined();
    expect(r.pod).toBe(input);
  });

  it('refuses when no SpiderMultusConfig carries the label', () => {
    const r = injectPodNetworkResources(pod({ [NET]: 'none' }), { multusConfigs: configs });
    expect(r._unsafeUnwrapErr()).toMatchObject({
      _tag: 'NoMultusConfig',
      message: `no spidermultusconfigs with annotation: ${NET}:none found`,
    });
  });

  it('rdma injection needs a resource name and pools; network injection only pools when a resource is named', () => {
    const noRes = smc(
      'mv',
      { cniType: 'macvlan', macvlan: { master: ['eth0'] } },
      { [RDMA]: 'r', [NET]: 'n' },
    );
    const rdma = injectPodNetworkResources(pod({ [RDMA]: 'r' }), { multusConfigs: [noRes] });
    expect(rdma._unsafeUnwrapErr().message).toBe(
      'rdmaResourceName can not empty for spidermultusconfig kube-system/mv',
    );
    const net = injectPodNetworkResources(pod({ [NET]: 'n' }), { multusConfigs: [noRes] })._unsafeUnwrap();
    expect(net.pod.metadata.annotations?.['k8s.v1.cni.cncf.io/networks']).toBe('kube-system/mv');
    expect(containersOf(net.pod)[0]?.resources).toBeUndefined();
    const noPools = smc('s', { cniType: 'sriov', sriov: { resourceName: 'x/y' } }, { [NET]: 'n' });
    expect(
      injectPodNetworkResources(pod({ [NET]: 'n' }), { multusConfigs: [noPools] })._unsafeUnwrapErr().message,
    ).toBe('no any ippools configured for spidermultusconfig kube-system/s');
    const ovs = smc('o', { cniType: 'ovs', ovs: { bridge: 'br0' } }, { [NET]: 'n' });
    expect(
      injectPodNetworkResources(pod({ [NET]: 'n' }), { multusConfigs: [ovs] })._unsafeUnwrapErr().message,
    ).toBe('RDMA resource injection does not support cniType: ovs');
  });

  it('the rdma annotation wins over the network one', () => {
    const rdmaSmc = smc(
      'rd',
      { cniType: 'sriov', sriov: { resourceName: 'r/dma', ippools: { ipv4: ['p'] } } },
      { [RDMA]: 'x' },
    );
    const r = injectPodNetworkResources(pod({ [RDMA]: 'x', [NET]: 'gpu' }), {
      multusConfigs: [...configs, rdmaSmc],
    })._unsafeUnwrap();
    expect(r.annotation).toBe(RDMA);
    expect(r.pod.metadata.annotations?.['k8s.v1.cni.cncf.io/networks']).toBe('kube-system/rd');
  });

  it('refuses a Pod without containers with a typed error', () => {
    const bad = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations: { [NET]: 'gpu' } } };
    expect(injectPodNetworkResources(bad, { multusConfigs: configs })._unsafeUnwrapErr()._tag).toBe(
      'MalformedPod',
    );
  });
});
