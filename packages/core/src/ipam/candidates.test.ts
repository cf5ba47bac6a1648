import { describe, expect, it } from 'vitest';
import { collectCandidates, selectCandidates } from './candidates.ts';
import { mkInput, mkNamespace, mkPod, mkPool, mkPool6, seedPool } from './candidatesTestKit.ts';
import { DEFAULT_IPAM_SETTINGS } from './types.ts';

const DEFAULT_NET = 'v1.multus-cni.io/default-network';
const IPPOOL = 'ipam.spidernet.io/ippool';
const IPPOOLS = 'ipam.spidernet.io/ippools';
const NS_V4 = 'ipam.spidernet.io/default-ipv4-ippool';
const NS_V6 = 'ipam.spidernet.io/default-ipv6-ippool';

describe('selectCandidates: the seed walkthrough', () => {
  it('selects ippool-test for a Pod on kube-system/sriov-test', () => {
    const input = mkInput({ pod: mkPod({ [DEFAULT_NET]: 'kube-system/sriov-test' }), pools: [seedPool()] });
    const nics = selectCandidates(input)._unsafeUnwrap();
    expect(nics).toEqual([
      {
        nic: 'eth0',
        cleanGateway: false,
        source: 'cluster-default',
        versions: [{ version: 4, pools: ['ippool-test'], dropped: [] }],
      },
    ]);
  });

  it('drops ippool-test (MultusNameMismatch) for a Pod on another NAD', () => {
    const input = mkInput({ pod: mkPod({ [DEFAULT_NET]: 'kube-system/macvlan-x' }), pools: [seedPool()] });
    const e = selectCandidates(input)._unsafeUnwrapErr();
    expect(e._tag).toBe('AllPoolsFilteredOut');
    if (e._tag !== 'AllPoolsFilteredOut') return;
    expect(e.dropped[0]?.reason).toEqual({
      _tag: 'MultusNameMismatch',
      network: 'kube-system/macvlan-x',
      multusName: ['kube-system/sriov-test'],
    });
    expect(e.message).toContain('ippool-test');
    const explained = collectCandidates(input)._unsafeUnwrap();
    expect(explained[0]?.versions[0]?.pools).toEqual([]);
    expect(explained[0]?.versions[0]?.dropped[0]?.pool).toBe('ippool-test');
  });

  it('a bare default-network name lives in the agent namespace', () => {
    const input = mkInput({ pod: mkPod({ [DEFAULT_NET]: 'sriov-test' }), pools: [seedPool()] });
    expect(selectCandidates(input)._unsafeUnwrap()[0]?.versions[0]?.pools).toEqual(['ippool-test']);
  });
});

describe('selectCandidates: precedence (§3.2)', () => {
  const pools = [mkPool('a'), mkPool('b'), mkPool('c'), mkPool('d'), mkPool('e', { default: true })];
  const ns = mkNamespace({ [NS_V4]: '["c"]' });
  const conf = { default_ipv4_ippool: ['d'] };
  const first = (input: ReturnType<typeof mkInput>) => {
    const nic = selectCandidates(input)._unsafeUnwrap()[0];
    return [nic?.source, nic?.versions[0]?.pools];
  };

  it('ippools annotation beats everything', () => {
    const pod = mkPod({ [IPPOOLS]: '[{"interface":"eth0","ipv4":["a"]}]', [IPPOOL]: '{"ipv4":["b"]}' });
    expect(first(mkInput({ pod, namespace: ns, ipamConfig: conf, pools }))).toEqual([
      'pod-ippools-annotation',
      ['a'],
    ]);
  });
  it('ippool annotation beats namespace, CNI config and cluster defaults', () => {
    const pod = mkPod({ [IPPOOL]: '{"ipv4":["b"]}' });
    expect(first(mkInput({ pod, namespace: ns, ipamConfig: conf, pools }))).toEqual([
      'pod-ippool-annotation',
      ['b'],
    ]);
  });
  it('namespace defaults beat CNI config', () => {
    expect(first(mkInput({ namespace: ns, ipamConfig: conf, pools }))).toEqual(['namespace-default', ['c']]);
  });
  it('CNI config beats cluster defaults', () => {
    expect(first(mkInput({ ipamConfig: conf, pools }))).toEqual(['cni-config', ['d']]);
  });
  it('cluster defaults last', () => {
    expect(first(mkInput({ pools }))).toEqual(['cluster-default', ['e']]);
  });
  it('no rule at all: NoPoolSelectionRule', () => {
    const e = selectCandidates(mkInput({ pools: [mkPool('a')] }))._unsafeUnwrapErr();
    expect(e._tag).toBe('NoPoolSelectionRule');
    expect(e.message).toContain('no pool selection rules of any type are specified');
  });
  it('an empty namespace annotation list falls through to the next rule', () => {
    const input = mkInput({ namespace: mkNamespace({ [NS_V4]: '[]' }), ipamConfig: conf, pools });
    expect(first(input)).toEqual(['cni-config', ['d']]);
  });
  it('a missing namespace skips the namespace rule', () => {
    expect(first(mkInput({ namespace: undefined, ipamConfig: conf, pools }))).toEqual(['cni-config', ['d']]);
  });
});

describe('selectCandidates: errors', () => {
  it('bad JSON in each annotation', () => {
    for (const pod of [mkPod({ [IPPOOLS]: '[{' }), mkPod({ [IPPOOL]: '{"ipv4":"a"}' })]) {
      expect(selectCandidates(mkInput({ pod }))._unsafeUnwrapErr()._tag).toBe('BadAnnotation');
    }
    const namespace = mkNamespace({ [NS_V6]: '{"x":1}' });
    expect(selectCandidates(mkInput({ namespace }))._unsafeUnwrapErr()._tag).toBe('BadAnnotation');
  });
  it('a pool named twice for a NIC: DuplicatePool', () => {
    const pod = mkPod({ [IPPOOL]: '{"ipv4":["a","a"]}' });
    const e = selectCandidates(mkInput({ pod, pools: [mkPool('a')] }))._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: 'DuplicatePool', pool: 'a', nic: 'eth0' });
  });
  it('a malformed wildcard in the CNI config: BadCniConfig', () => {
    const e = selectCandidates(
      mkInput({ ipamConfig: { default_ipv4_ippool: ['a[' + ']'] } }),
    )._unsafeUnwrapErr();
    expect(e._tag).toBe('BadCniConfig');
  });
  it('all pools filtered: aggregated reasons', () => {
    const pools = [
      mkPool('a', { disable: true }),
      mkPool('b', {}, { deletionTimestamp: '2024-01-01T00:00:00Z' }),
    ];
    const pod = mkPod({ [IPPOOL]: '{"ipv4":["a","b","zz"]}' });
    const e = selectCandidates(mkInput({ pod, pools }))._unsafeUnwrapErr();
    expect(e._tag).toBe('AllPoolsFilteredOut');
    if (e._tag !== 'AllPoolsFilteredOut') return;
    expect(e.dropped.map((d) => d.reason._tag)).toEqual(['Disabled', 'Terminating', 'NotFound']);
    expect(e.message).toMatch(/all IPv4 IPPools \[a b zz\] of eth0 filtered out/);
  });
  it('multusName filtering without any default network: MissingDefaultNetwork', () => {
    const settings = { ...DEFAULT_IPAM_SETTINGS };
    const e = selectCandidates(mkInput({ settings, pools: [seedPool()] }))._unsafeUnwrapErr();
    expect(e._tag).toBe('MissingDefaultNetwork');
  });
  it('no default network is fine when no candidate pool has multusName', () => {
    const settings = { ...DEFAULT_IPAM_SETTINGS };
    const r = selectCandidates(mkInput({ settings, pools: [mkPool('p', { default: true })] }));
    expect(r._unsafeUnwrap()[0]?.versions[0]?.pools).toEqual(['p']);
  });
  it('only disabled families named: NoEnabledVersionPools', () => {
    const pod = mkPod({ [IPPOOL]: '{"ipv6":["p6"]}' });
    const settings = { ...DEFAULT_IPAM_SETTINGS, enableIPv6: false };
    const e = selectCandidates(mkInput({ pod, settings, pools: [mkPool6('p6')] }))._unsafeUnwrapErr();
    expect(e._tag).toBe('NoEnabledVersionPools');
  });
});

describe('selectCandidates: families, wildcards, cleanGateway', () => {
  it('dual stack: one list per family, v4 first', () => {
    const pod = mkPod({ [IPPOOL]: '{"ipv6":["p6"],"ipv4":["p4"]}' });
    const nic = selectCandidates(mkInput({ pod, pools: [mkPool('p4'), mkPool6('p6')] }))._unsafeUnwrap()[0];
    expect(nic?.versions.map((v) => [v.version, v.pools])).toEqual([
      [4, ['p4']],
      [6, ['p6']],
    ]);
  });
  it('a disabled family is left out without error', () => {
    const pod = mkPod({ [IPPOOL]: '{"ipv4":["p4"],"ipv6":["p6"]}' });
    const settings = { ...DEFAULT_IPAM_SETTINGS, enableIPv6: false };
    const nic = selectCandidates(
      mkInput({ pod, settings, pools: [mkPool('p4'), mkPool6('p6')] }),
    )._unsafeUnwrap()[0];
    expect(nic?.versions.map((v) => v.version)).toEqual([4]);
  });
  it('wildcards expand against pools of the family, by name, at the entry position', () => {
    const pools = [mkPool('z-first'), mkPool('web-b'), mkPool('web-a'), mkPool6('web-6')];
    const pod = mkPod({ [IPPOOL]: '{"ipv4":["z-first","web-*"]}' });
    const nic = selectCandidates(mkInput({ pod, pools }))._unsafeUnwrap()[0];
    expect(nic?.versions[0]?.pools).toEqual(['z-first', 'web-a', 'web-b']);
  });
  it('a name a wildcard brings in again keeps its first place', () => {
    const pools = [mkPool('web-a'), mkPool('web-b')];
    const pod = mkPod({ [IPPOOL]: '{"ipv4":["web-b","web-?"]}' });
    expect(selectCandidates(mkInput({ pod, pools }))._unsafeUnwrap()[0]?.versions[0]?.pools).toEqual([
      'web-b',
      'web-a',
    ]);
  });
  it('a wildcard matching nothing leaves the family with no pools: AllPoolsFilteredOut', () => {
    const pod = mkPod({ [IPPOOL]: '{"ipv4":["nothing-*"]}' });
    const e = selectCandidates(mkInput({ pod, pools: [mkPool('a')] }))._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: 'AllPoolsFilteredOut', dropped: [] });
  });
  it('cluster defaults are ordered by name per family', () => {
    const pools = [
      mkPool('d2', { default: true }),
      mkPool('d1', { default: true }),
      mkPool6('d6', { default: true }),
    ];
    const nic = selectCandidates(mkInput({ pools }))._unsafeUnwrap()[0];
    expect(nic?.versions.map((v) => v.pools)).toEqual([['d1', 'd2'], ['d6']]);
  });
  it('cleanGateway from the CNI config, except ippools items', () => {
    const pools = [mkPool('a', { default: true })];
    expect(
      selectCandidates(mkInput({ pools, ipamConfig: { clean_gateway: true } }))._unsafeUnwrap()[0]
        ?.cleanGateway,
    ).toBe(true);
    const pod = mkPod({ [IPPOOLS]: '[{"interface":"eth0","ipv4":["a"],"cleangateway":false}]' });
    const nic = selectCandidates(
      mkInput({ pod, pools, ipamConfig: { clean_gateway: true } }),
    )._unsafeUnwrap()[0];
    expect(nic?.cleanGateway).toBe(false);
  });
  it('filtered pools and usable ones are reported together, usable ones ordered', () => {
    const pools = [
      mkPool('plain'),
      mkPool('pinned', { nodeName: ['worker1'] }),
      mkPool('elsewhere', { nodeName: ['w9'] }),
    ];
    const pod = mkPod({ [IPPOOL]: '{"ipv4":["plain","pinned","elsewhere"]}' });
    const v = selectCandidates(mkInput({ pod, pools }))._unsafeUnwrap()[0]?.versions[0];
    expect(v?.pools).toEqual(['pinned', 'plain']);
    expect(v?.dropped.map((d) => [d.pool, d.reason._tag])).toEqual([['elsewhere', 'NodeNameMismatch']]);
  });
});

describe('selectCandidates: multi-NIC through ipam.spidernet.io/ippools', () => {
  const pools = [mkPool('a'), mkPool('b'), mkPool6('a6')];
  const named =
    '[{"interface":"eth0","ipv4":["a"],"ipv6":["a6"]},{"interface":"net1","ipv4":["b"],"cleangateway":true}]';

  it('the first NIC allocates every item', () => {
    const nics = selectCandidates(mkInput({ pod: mkPod({ [IPPOOLS]: named }), pools }))._unsafeUnwrap();
    expect(nics.map((n) => [n.nic, n.cleanGateway, n.versions.map((v) => v.pools)])).toEqual([
      ['eth0', false, [['a'], ['a6']]],
      ['net1', true, [['b']]],
    ]);
  });
  it('a later NIC gets exactly its own item', () => {
    const nics = selectCandidates(
      mkInput({ pod: mkPod({ [IPPOOLS]: named }), pools, ifName: 'net1' }),
    )._unsafeUnwrap();
    expect(nics.map((n) => n.nic)).toEqual(['net1']);
  });
  it('named mode must list the current NIC', () => {
    const pod = mkPod({ [IPPOOLS]: '[{"interface":"net1","ipv4":["b"]}]' });
    const e = selectCandidates(mkInput({ pod, pools }))._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: 'BadAnnotation', detail: 'interface eth0 must be specified' });
  });
  it('mixed named and unnamed items, duplicate interfaces, empty list are rejected', () => {
    for (const v of [
      '[{"interface":"eth0","ipv4":["a"]},{"ipv4":["b"]}]',
      '[{"interface":"eth0","ipv4":["a"]},{"interface":"eth0","ipv4":["b"]}]',
      '[]',
    ]) {
      expect(selectCandidates(mkInput({ pod: mkPod({ [IPPOOLS]: v }), pools }))._unsafeUnwrapErr()._tag).toBe(
        'BadAnnotation',
      );
    }
  });
  it('no-name mode names NICs by index; a later NIC maps through its position', () => {
    const pod = mkPod({ [IPPOOLS]: '[{"ipv4":["a"]},{"ipv4":["b"]}]' });
    const all = selectCandidates(mkInput({ pod, pools }))._unsafeUnwrap();
    expect(all.map((n) => [n.nic, n.versions[0]?.pools])).toEqual([
      ['0', ['a']],
      ['1', ['b']],
    ]);
    const later = selectCandidates(mkInput({ pod, pools, ifName: 'net1' }))._unsafeUnwrap();
    expect(later.map((n) => [n.nic, n.versions[0]?.pools])).toEqual([['1', ['b']]]);
  });
  it('multusName of a second NIC is checked against its networks element', () => {
    const mpools = [mkPool('a'), mkPool('b', { multusName: ['default/macvlan-b'] })];
    const pod = mkPod({
      [IPPOOLS]: named.replace('"a6"', '"a"').replace(',"ipv6":["a"]', ''),
      'k8s.v1.cni.cncf.io/networks': 'macvlan-b',
    });
    const nics = selectCandidates(mkInput({ pod, pools: mpools }))._unsafeUnwrap();
    expect(nics[1]?.versions[0]?.pools).toEqual(['b']);
    const other = mkPod({ ...pod.metadata.annotations, 'k8s.v1.cni.cncf.io/networks': 'macvlan-c' });
    const e = selectCandidates(mkInput({ pod: other, pools: mpools }))._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: 'AllPoolsFilteredOut', nic: 'net1' });
  });
});

describe('selectCandidates: masterAddresses (matchMasterSubnet)', () => {
  const pools = [mkPool('here', { subnet: '10.20.0.0/16' }), mkPool('there', { subnet: '10.30.0.0/16' })];
  const pod = mkPod({ [IPPOOL]: '{"ipv4":["here","there"]}' });
  it('applies only with match_master_subnet and addresses', () => {
    const on = mkInput({
      pod,
      pools,
      ipamConfig: { match_master_subnet: true },
      masterAddresses: ['10.20.1.1/16'],
    });
    const v = selectCandidates(on)._unsafeUnwrap()[0]?.versions[0];
    expect(v?.pools).toEqual(['here']);
    expect(v?.dropped[0]?.reason._tag).toBe('MasterSubnetMismatch');
    const off = mkInput({ pod, pools, masterAddresses: ['10.20.1.1/16'] });
    expect(selectCandidates(off)._unsafeUnwrap()[0]?.versions[0]?.pools).toEqual(['here', 'there']);
  });
});
