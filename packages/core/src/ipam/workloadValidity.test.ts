import { describe, expect, it } from 'vitest';
import {
  isValidStatefulSetPod,
  isValidVMPod,
  isVMIControlledByVM,
  type KubevirtObjectLike,
  type StatefulSetLike,
  statefulSetPodOrdinal,
} from './workloadValidity.ts';

const sts = (spec: StatefulSetLike['spec']): StatefulSetLike => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web', namespace: 'default' },
  ...(spec === undefined ? {} : { spec }),
});

const kv = (kind: string, extra: Partial<KubevirtObjectLike['metadata']> = {}): KubevirtObjectLike => ({
  apiVersion: 'kubevirt.io/v1',
  kind,
  metadata: { name: 'vm1', namespace: 'default', ...extra },
});

describe('statefulSetPodOrdinal', () => {
  it('splits at the last dash-digits suffix', () => {
    expect(statefulSetPodOrdinal('web-12')).toEqual({ parent: 'web', ordinal: 12 });
    expect(statefulSetPodOrdinal('my-web-0')).toEqual({ parent: 'my-web', ordinal: 0 });
  });
  it('rejects names without an ordinal or with one beyond int32', () => {
    expect(statefulSetPodOrdinal('web')).toBeUndefined();
    expect(statefulSetPodOrdinal('web-x1')).toBeUndefined();
    expect(statefulSetPodOrdinal('web-2147483648')).toBeUndefined();
    expect(statefulSetPodOrdinal('web-2147483647')).toEqual({ parent: 'web', ordinal: 2147483647 });
  });
});

describe('isValidStatefulSetPod', () => {
  it('ordinal < replicas is valid, ordinal >= replicas (scaled down) is not', () => {
    expect(isValidStatefulSetPod('web-2', sts({ replicas: 3 }))).toBe(true);
    expect(isValidStatefulSetPod('web-3', sts({ replicas: 3 }))).toBe(false);
    expect(isValidStatefulSetPod('web-0', sts({ replicas: 0 }))).toBe(false);
  });
  it('replicas defaults to 1', () => {
    expect(isValidStatefulSetPod('web-0', sts({}))).toBe(true);
    expect(isValidStatefulSetPod('web-1', sts(undefined))).toBe(false);
  });
  it('uses the [start, start+replicas-1] window with spec.ordinals', () => {
    const s = sts({ replicas: 2, ordinals: { start: 5 } });
    expect(isValidStatefulSetPod('web-4', s)).toBe(false);
    expect(isValidStatefulSetPod('web-5', s)).toBe(true);
    expect(isValidStatefulSetPod('web-6', s)).toBe(true);
    expect(isValidStatefulSetPod('web-7', s)).toBe(false);
  });
  it('a missing StatefulSet or a name without ordinal is invalid', () => {
    expect(isValidStatefulSetPod('web-0', undefined)).toBe(false);
    expect(isValidStatefulSetPod('web', sts({ replicas: 3 }))).toBe(false);
  });
});

describe('isValidVMPod', () => {
  const ownedVmi = (extra: Partial<KubevirtObjectLike['metadata']> = {}) =>
    kv('VirtualMachineInstance', {
      ownerReferences: [
        { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', name: 'vm1', uid: 'u', controller: true },
      ],
      ...extra,
    });
  it('an alive VMI is valid', () => {
    expect(isValidVMPod(kv('VirtualMachineInstance'), undefined)).toBe(true);
  });
  it('a terminating VMI without VM owner is invalid even if a VM exists', () => {
    const vmi = kv('VirtualMachineInstance', { deletionTimestamp: '2024-01-01T00:00:00Z' });
    expect(isVMIControlledByVM(vmi)).toBe(false);
    expect(isValidVMPod(vmi, kv('VirtualMachine'))).toBe(false);
  });
  it('a terminating VMI owned by a VM follows the VM', () => {
    const vmi = ownedVmi({ deletionTimestamp: '2024-01-01T00:00:00Z' });
    expect(isVMIControlledByVM(vmi)).toBe(true);
    expect(isValidVMPod(vmi, kv('VirtualMachine'))).toBe(true);
    expect(isValidVMPod(vmi, undefined)).toBe(false);
    expect(isValidVMPod(vmi, kv('VirtualMachine', { deletionTimestamp: '2024-01-01T00:00:00Z' }))).toBe(
      false,
    );
  });
  it('no VMI: valid only while the VM exists and is not terminating', () => {
    expect(isValidVMPod(undefined, kv('VirtualMachine'))).toBe(true);
    expect(isValidVMPod(undefined, undefined)).toBe(false);
  });
});
