import { describe, expect, it } from 'vitest';
import { mkNamespace, mkNode, mkPod, mkPool, mkPool6 } from './candidatesTestKit.ts';
import { dropMessage, type FilterContext, filterPool, poolIPVersion } from './filter.ts';
import { topController } from './topController.ts';

const ctx = (over: Partial<FilterContext> = {}): FilterContext => {
  const pod = over.pod ?? mkPod({}, { labels: { app: 'web' } });
  return {
    version: 4,
    pod,
    namespace: mkNamespace({}, { team: 'a' }),
    node: mkNode({ zone: 'z1' }),
    controller: topController(pod),
    nic: 'eth0',
    network: 'kube-system/macvlan',
    agentNamespace: 'kube-system',
    ...over,
  };
};

describe('filterPool (§3.3)', () => {
  it('keeps a plain pool', () => {
    expect(filterPool(mkPool('p'), ctx())).toBeUndefined();
  });
  it('terminating before disabled before version', () => {
    const p = mkPool6('p', { disable: true });
    expect(filterPool({ ...p, metadata: { name: 'p', deletionTimestamp: 'x' } }, ctx())?._tag).toBe(
      'Terminating',
    );
    expect(filterPool(p, ctx())?._tag).toBe('Disabled');
    expect(filterPool(mkPool6('p'), ctx())).toEqual({ _tag: 'IPVersionMismatch', poolVersion: 6 });
  });
  it('infers the family from the subnet when ipVersion is absent', () => {
    const p = mkPool('p', { subnet: 'fd00::/64' });
    delete p.spec.ipVersion;
    expect(poolIPVersion(p)).toBe(6);
    expect(filterPool(p, ctx({ version: 6 }))).toBeUndefined();
  });
  it('nodeName wins over nodeAffinity', () => {
    const hit = mkPool('p', { nodeName: ['worker1'], nodeAffinity: { matchLabels: { zone: 'nope' } } });
    expect(filterPool(hit, ctx())).toBeUndefined();
    const miss = mkPool('p', { nodeName: ['w2'] });
    expect(filterPool(miss, ctx())).toEqual({ _tag: 'NodeNameMismatch', node: 'worker1', nodeName: ['w2'] });
  });
  it('nodeAffinity against the Node labels; unknown Node does not match', () => {
    const p = mkPool('p', { nodeAffinity: { matchLabels: { zone: 'z1' } } });
    expect(filterPool(p, ctx())).toBeUndefined();
    expect(filterPool(p, ctx({ node: mkNode({ zone: 'z2' }) }))?._tag).toBe('NodeAffinityMismatch');
    expect(filterPool(p, ctx({ node: undefined }))?._tag).toBe('NodeAffinityMismatch');
  });
  it('namespaceName wins over namespaceAffinity', () => {
    const hit = mkPool('p', {
      namespaceName: ['default'],
      namespaceAffinity: { matchLabels: { team: 'b' } },
    });
    expect(filterPool(hit, ctx())).toBeUndefined();
    expect(filterPool(mkPool('p', { namespaceName: ['kube-system'] }), ctx())?._tag).toBe(
      'NamespaceNameMismatch',
    );
  });
  it('namespaceAffinity against the Namespace labels', () => {
    const p = mkPool('p', {
      namespaceAffinity: { matchExpressions: [{ key: 'team', operator: 'In', values: ['a'] }] },
    });
    expect(filterPool(p, ctx())).toBeUndefined();
    expect(filterPool(p, ctx({ namespace: mkNamespace({}, { team: 'b' }) }))?._tag).toBe(
      'NamespaceAffinityMismatch',
    );
    expect(filterPool(p, ctx({ namespace: undefined }))?._tag).toBe('NamespaceAffinityMismatch');
  });
  it('podAffinity against the Pod labels', () => {
    expect(filterPool(mkPool('p', { podAffinity: { matchLabels: { app: 'web' } } }), ctx())).toBeUndefined();
    expect(filterPool(mkPool('p', { podAffinity: { matchLabels: { app: 'db' } } }), ctx())?._tag).toBe(
      'PodAffinityMismatch',
    );
  });
  it('auto-created pools match the top controller, not the Pod labels', () => {
    const pod = mkPod(
      {},
      {
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true },
        ],
      },
    );
    const affinity = {
      matchLabels: {
        'ipam.spidernet.io/app-api-group': 'apps',
        'ipam.spidernet.io/app-api-version': 'v1',
        'ipam.spidernet.io/app-kind': 'StatefulSet',
        'ipam.spidernet.io/app-namespace': 'default',
        'ipam.spidernet.io/app-name': 'db',
      },
    };
    const auto = mkPool(
      'auto4-db-eth0-1',
      { podAffinity: affinity },
      { labels: { 'ipam.spidernet.io/owner-application-name': 'db' } },
    );
    expect(filterPool(auto, ctx({ pod, controller: topController(pod) }))).toBeUndefined();
    const other = ctx({ controller: { ...topController(pod), name: 'web' } });
    expect(filterPool(auto, other)?._tag).toBe('PodAffinityMismatch');
  });
  it('multusName: bare names live in the agent namespace; unknown network drops', () => {
    expect(filterPool(mkPool('p', { multusName: ['macvlan'] }), ctx())).toBeUndefined();
    expect(filterPool(mkPool('p', { multusName: ['default/macvlan'] }), ctx())?._tag).toBe(
      'MultusNameMismatch',
    );
    expect(filterPool(mkPool('p', { multusName: ['macvlan'] }), ctx({ network: undefined }))).toEqual({
      _tag: 'MultusNameMismatch',
      network: undefined,
      multusName: ['macvlan'],
    });
  });
  it('master subnet: some PF address inside the pool subnet', () => {
    const p = mkPool('p', { subnet: '10.20.0.0/16' });
    expect(filterPool(p, ctx({ masterAddresses: ['192.168.0.1/24', '10.20.5.5'] }))).toBeUndefined();
    expect(filterPool(p, ctx({ masterAddresses: ['192.168.0.1/24'] }))?._tag).toBe('MasterSubnetMismatch');
    expect(filterPool(p, ctx({ masterAddresses: [] }))?._tag).toBe('MasterSubnetMismatch');
  });
  it('messages name the pool', () => {
    expect(dropMessage('p', { _tag: 'NodeNameMismatch', node: 'n', nodeName: ['a'] })).toContain(
      'unmatched Node name of IPPool p',
    );
    expect(dropMessage('p', { _tag: 'Disabled' })).toBe('disabled IPPool p');
  });
});
