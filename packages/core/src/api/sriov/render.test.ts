import { describe, expect, it } from 'vitest';
import { parsePfName } from './pfName.ts';
import { renderNodeSpec, sortPoliciesForApply } from './render.ts';
import type { SriovInterfaceExt, SriovNetworkNodePolicy, SriovNetworkNodePolicySpec } from './types.ts';

const policy = (name: string, spec: Partial<SriovNetworkNodePolicySpec>): SriovNetworkNodePolicy => ({
  apiVersion: 'sriovnetwork.openshift.io/v1',
  kind: 'SriovNetworkNodePolicy',
  metadata: { name, namespace: 'sriov-network-operator' },
  spec: { resourceName: name, numVfs: 8, nicSelector: { pfNames: ['enp4s0f0np0'] }, ...spec },
});

const pf: SriovInterfaceExt = {
  name: 'enp4s0f0np0',
  pciAddress: '0000:04:00.0',
  vendor: '15b3',
  deviceID: '1017',
  totalvfs: 8,
  numVfs: 0,
};
const labels = { 'kubernetes.io/os': 'linux' };

describe('renderNodeSpec (operator merge semantics)', () => {
  it("the seed's policy: one PF, 8 VFs, one group 0-7", () => {
    const seed = policy('policy1', {
      resourceName: 'sriov_netdevice',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      deviceType: 'netdevice',
    });
    const out = renderNodeSpec([seed], labels, [pf]);
    expect(out.refused).toEqual([]);
    expect(out.interfaces).toEqual([
      {
        pciAddress: '0000:04:00.0',
        name: 'enp4s0f0np0',
        numVfs: 8,
        vfGroups: [
          { resourceName: 'sriov_netdevice', deviceType: 'netdevice', vfRange: '0-7', policyName: 'policy1' },
        ],
      },
    ]);
  });

  it('two partitions of one PF: both groups, numVfs the max, MTU the largest', () => {
    const a = policy('a', { nicSelector: { pfNames: ['enp4s0f0np0#0-3'] }, mtu: 1500, priority: 10 });
    const b = policy('b', { nicSelector: { pfNames: ['enp4s0f0np0#4-7'] }, mtu: 9000, priority: 20 });
    const [iface] = renderNodeSpec([a, b], labels, [pf]).interfaces;
    expect(iface?.numVfs).toBe(8);
    expect(iface?.mtu).toBe(9000);
    expect(iface?.vfGroups?.map((g) => [g.policyName, g.vfRange, g.mtu])).toEqual([
      ['a', '0-3', 1500],
      ['b', '4-7', 9000],
    ]);
  });

  it('a full-PF policy of higher priority replaces a lower one (not a partition)', () => {
    const low = policy('low', { priority: 50, numVfs: 4, mtu: 9000 });
    const high = policy('high', { priority: 5, numVfs: 6, mtu: 1500 });
    const out = renderNodeSpec([high, low], labels, [pf]);
    expect(out.interfaces[0]).toMatchObject({ numVfs: 6, mtu: 1500 });
    expect(out.interfaces[0]?.vfGroups?.map((g) => g.policyName)).toEqual(['high']);
    expect(out.refused.map((r) => r.policy)).toEqual(['low']);
  });

  it('equal priorities merge numVfs and MTU even when the group is replaced', () => {
    const a = policy('a', { priority: 10, numVfs: 4, mtu: 9000, resourceName: 'same' });
    const b = policy('b', { priority: 10, numVfs: 6, mtu: 1500, resourceName: 'same' });
    expect(renderNodeSpec([a, b], labels, [pf]).interfaces[0]).toMatchObject({ numVfs: 6, mtu: 9000 });
  });

  it('nodeSelector and nicSelector gate selection; numVfs > totalvfs is refused, not applied', () => {
    expect(renderNodeSpec([policy('x', { nodeSelector: { role: 'gpu' } })], labels, [pf]).interfaces).toEqual(
      [],
    );
    expect(
      renderNodeSpec([policy('v', { nicSelector: { vendor: '8086' } })], labels, [pf]).interfaces,
    ).toEqual([]);
    const big = renderNodeSpec([policy('big', { numVfs: 16 })], labels, [pf]);
    expect(big.interfaces).toEqual([]);
    expect(big.refused[0]?.message).toContain('numVfs(16) in CR big exceed the maximum allowed value(8)');
  });

  it('apply order: highest number first, ties by name', () => {
    const order = sortPoliciesForApply([
      policy('b', { priority: 1 }),
      policy('a', { priority: 1 }),
      policy('z', { priority: 99 }),
    ]).map((p) => p.metadata.name);
    expect(order).toEqual(['z', 'a', 'b']);
  });
});

describe('parsePfName', () => {
  it.each([
    ['enp4s0f0np0', undefined],
    ['enp4s0f0np0#0-3', { first: 0, last: 3 }],
  ])('%s', (item, range) => {
    expect(parsePfName(item, 8)._unsafeUnwrap().range).toEqual(range);
  });
  it.each([
    ['p#0-3#4', 'separator'],
    ['p#0,2', 'range character'],
    ['p#x-3', 'start range'],
    ['p#0-y', 'end range is incorrect'],
    ['p#5-3', 'smaller than start'],
    ['p#0-8', 'exceeds the maximum VF index'],
  ])('%s is refused (%s)', (item, why) => {
    expect(parsePfName(item, 8)._unsafeUnwrapErr().message).toContain(why);
  });
});
