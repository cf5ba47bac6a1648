import { describe, expect, it } from 'vitest';
import type {
  SriovNetworkNodePolicy,
  SriovNetworkNodePolicySpec,
  SriovNetworkNodeState,
} from '../api/sriov/types.ts';
import {
  defaultSriovPolicy,
  validateSriovPolicyCreate,
  validateSriovPolicyUpdate,
} from './sriovPolicyWebhook.ts';

const policy = (name: string, spec: Partial<SriovNetworkNodePolicySpec> = {}): SriovNetworkNodePolicy => ({
  apiVersion: 'sriovnetwork.openshift.io/v1',
  kind: 'SriovNetworkNodePolicy',
  metadata: { name, namespace: 'sriov-network-operator' },
  spec: {
    resourceName: 'sriov_netdevice',
    numVfs: 8,
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    nicSelector: { pfNames: ['enp4s0f0np0'] },
    ...spec,
  },
});

const fields = (p: SriovNetworkNodePolicy, ctx = { policies: [] }) =>
  validateSriovPolicyCreate(p, ctx).map((e) => [e.field, e.type]);

const state: SriovNetworkNodeState = {
  apiVersion: 'sriovnetwork.openshift.io/v1',
  kind: 'SriovNetworkNodeState',
  metadata: { name: 'node-1', namespace: 'sriov-network-operator' },
  status: {
    interfaces: [
      { name: 'enp4s0f0np0', pciAddress: '0000:04:00.0', vendor: '15b3', deviceID: '1017', totalvfs: 8 },
    ],
  },
};
const nodes = [{ name: 'node-1', labels: { 'kubernetes.io/os': 'linux' } }];

describe('SriovNetworkNodePolicy webhook', () => {
  it("admits the seed's policy and defaults priority, deviceType, isRdma", () => {
    const p = defaultSriovPolicy(policy('policy1'));
    expect(p.spec).toMatchObject({ priority: 99, deviceType: 'netdevice', isRdma: false });
    expect(validateSriovPolicyCreate(p, { policies: [], nodes, states: [state] })).toEqual([]);
  });

  it('refuses bad fields with paths and the offending value', () => {
    const errs = validateSriovPolicyCreate(policy('bad', { resourceName: 'sriov-netdevice' }), {
      policies: [],
    });
    expect(errs[0]).toMatchObject({
      _tag: 'FieldError',
      field: 'spec.resourceName',
      value: 'sriov-netdevice',
    });
    expect(errs[0]?.message).toContain('contains invalid characters');
    expect(fields(policy('n', { numVfs: -1 }))).toEqual([['spec.numVfs', 'Invalid']]);
    expect(fields(policy('n', { numVfs: 1.5 }))).toEqual([['spec.numVfs', 'Invalid']]);
    expect(fields(policy('p', { priority: 100 }))).toEqual([['spec.priority', 'Invalid']]);
    expect(fields(policy('m', { mtu: 0 }))).toEqual([['spec.mtu', 'Invalid']]);
    expect(fields(policy('m', { mtu: 70000 }))).toEqual([['spec.mtu', 'Invalid']]);
    expect(fields(policy('s', { nicSelector: {} }))).toEqual([['spec.nicSelector', 'Required']]);
    expect(fields(policy('r', { nicSelector: { pfNames: ['enp4s0f0np0#0-8'] } }))).toEqual([
      ['spec.nicSelector.pfNames[0]', 'Invalid'],
    ]);
    expect(fields(policy('r', { nicSelector: { pfNames: ['ok', 'enp4s0f0np0#3-1'] } }))).toEqual([
      ['spec.nicSelector.pfNames[1]', 'Invalid'],
    ]);
    expect(fields(policy('d', { deviceType: 'vdpa' as 'netdevice' }))).toEqual([
      ['spec.deviceType', 'NotSupported'],
    ]);
    expect(fields(policy('v', { deviceType: 'vfio-pci', isRdma: true }))).toEqual([
      ['spec.isRdma', 'Invalid'],
    ]);
    expect(fields(policy('x', { nicSelector: { rootDevices: ['04:00.0'] } }))).toEqual([
      ['spec.nicSelector.rootDevices[0]', 'Invalid'],
    ]);
  });

  it('refuses a partition overlapping another policy on a shared node, admits disjoint ones', () => {
    const a = policy('a', { resourceName: 'a', nicSelector: { pfNames: ['enp4s0f0np0#0-3'] } });
    const b = policy('b', { resourceName: 'b', nicSelector: { pfNames: ['enp4s0f0np0#4-7'] } });
    const c = policy('c', { resourceName: 'c', nicSelector: { pfNames: ['enp4s0f0np0#3-5'] } });
    expect(validateSriovPolicyCreate(b, { policies: [a], nodes })).toEqual([]);
    const errs = validateSriovPolicyCreate(c, { policies: [a, b], nodes });
    expect(errs[0]).toMatchObject({ field: 'spec.nicSelector.pfNames[0]', value: 'enp4s0f0np0#3-5' });
    expect(errs[0]?.message).toContain(
      'VF index range in enp4s0f0np0#3-5 is overlapped with existing policy a',
    );
    // A whole-PF policy claims 0..numVfs-1.
    expect(validateSriovPolicyCreate(policy('w'), { policies: [a], nodes })).toHaveLength(1);
    // No node selected by both: no conflict.
    const other = policy('o', {
      nodeSelector: { role: 'other' },
      nicSelector: { pfNames: ['enp4s0f0np0#0-3'] },
    });
    expect(validateSriovPolicyCreate(other, { policies: [a], nodes })).toEqual([]);
  });

  it('numVfs is bounded by totalvfs of the selected nodes’ states', () => {
    const errs = validateSriovPolicyCreate(policy('big', { numVfs: 16 }), {
      policies: [],
      nodes,
      states: [state],
    });
    expect(errs.map((e) => e.field)).toEqual(['spec.numVfs']);
    expect(errs[0]?.message).toContain(
      'exceed the maximum allowed value(8) interface(enp4s0f0np0) node(node-1)',
    );
  });

  it('update re-validates; a terminating policy keeps its spec', () => {
    const old = { ...policy('a'), metadata: { ...policy('a').metadata, deletionTimestamp: 'x' } };
    expect(validateSriovPolicyUpdate(old, policy('a', { numVfs: 2 }), { policies: [] })[0]?.type).toBe(
      'Forbidden',
    );
    expect(
      validateSriovPolicyUpdate(policy('a'), policy('a', { resourceName: 'a-b' }), { policies: [] }),
    ).toHaveLength(1);
  });
});
