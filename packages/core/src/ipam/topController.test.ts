import { describe, expect, it } from 'vitest';
import type { KubeObject, OwnerReference, Pod } from '../api/index.ts';
import { mkPod } from './candidatesTestKit.ts';
import { isPodAlive, ownerLookupFromObjects, podNotAliveReason, topController } from './topController.ts';

const ref = (apiVersion: string, kind: string, name: string, uid = `${name}-uid`): OwnerReference => ({
  apiVersion,
  kind,
  name,
  uid,
  controller: true,
});
const owned = (r: OwnerReference, labels: Record<string, string> = {}): Pod =>
  mkPod({}, { name: 'p', ownerReferences: [r], labels });
const obj = (kind: string, name: string, owner?: OwnerReference): KubeObject => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name, namespace: 'default', ...(owner === undefined ? {} : { ownerReferences: [owner] }) },
});

describe('topController', () => {
  it('an orphan Pod is its own controller', () => {
    expect(topController(mkPod({}, { name: 'solo', uid: 'u1' }))).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: 'default',
      name: 'solo',
      uid: 'u1',
      source: 'pod',
    });
  });
  it('ignores non-controller owner references', () => {
    const pod = mkPod(
      {},
      { name: 'p', ownerReferences: [{ ...ref('apps/v1', 'ReplicaSet', 'rs'), controller: false }] },
    );
    expect(topController(pod).kind).toBe('Pod');
  });
  it('ReplicaSet -> Deployment through the lookup', () => {
    const lookup = ownerLookupFromObjects([
      obj('ReplicaSet', 'web-abc', ref('apps/v1', 'Deployment', 'web', 'd-uid')),
    ]);
    expect(topController(owned(ref('apps/v1', 'ReplicaSet', 'web-abc')), lookup)).toMatchObject({
      kind: 'Deployment',
      name: 'web',
      uid: 'd-uid',
      source: 'lookup',
    });
  });
  it('a known ReplicaSet without a Deployment stays the top', () => {
    const lookup = ownerLookupFromObjects([obj('ReplicaSet', 'web-abc')]);
    expect(topController(owned(ref('apps/v1', 'ReplicaSet', 'web-abc')), lookup)).toMatchObject({
      kind: 'ReplicaSet',
      name: 'web-abc',
    });
  });
  it('unknown ReplicaSet: pod-template-hash suffix gives the Deployment', () => {
    const pod = owned(ref('apps/v1', 'ReplicaSet', 'sriov-deploy-6d4b8'), { 'pod-template-hash': '6d4b8' });
    expect(topController(pod)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'default',
      name: 'sriov-deploy',
      source: 'nameSuffix',
    });
    const noHash = owned(ref('apps/v1', 'ReplicaSet', 'bare-rs'));
    expect(topController(noHash)).toMatchObject({
      kind: 'ReplicaSet',
      name: 'bare-rs',
      source: 'ownerReference',
    });
  });
  it('Job -> CronJob through the lookup or the scheduled-minutes suffix', () => {
    const lookup = ownerLookupFromObjects([
      {
        ...obj('Job', 'nightly-x'),
        metadata: {
          name: 'nightly-x',
          namespace: 'default',
          ownerReferences: [ref('batch/v1', 'CronJob', 'nightly')],
        },
      },
    ]);
    expect(topController(owned(ref('batch/v1', 'Job', 'nightly-x')), lookup)).toMatchObject({
      kind: 'CronJob',
      name: 'nightly',
    });
    expect(topController(owned(ref('batch/v1', 'Job', 'backup-28391520')))).toMatchObject({
      kind: 'CronJob',
      name: 'backup',
      source: 'nameSuffix',
    });
    expect(topController(owned(ref('batch/v1', 'Job', 'migrate-2')))).toMatchObject({
      kind: 'Job',
      name: 'migrate-2',
    });
  });
  it('StatefulSet, DaemonSet and third-party controllers as referenced', () => {
    expect(topController(owned(ref('apps/v1', 'StatefulSet', 'db')))).toMatchObject({
      kind: 'StatefulSet',
      name: 'db',
      uid: 'db-uid',
    });
    expect(topController(owned(ref('apps/v1', 'DaemonSet', 'agent')))).toMatchObject({ kind: 'DaemonSet' });
    expect(topController(owned(ref('kubevirt.io/v1', 'VirtualMachineInstance', 'vm1')))).toMatchObject({
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachineInstance',
      name: 'vm1',
    });
  });
});

describe('isPodAlive (§3.6 step 1)', () => {
  const withState = (restartPolicy: string | undefined, phase: string, reason?: string): Pod =>
    ({
      ...mkPod(),
      spec: { nodeName: 'n', ...(restartPolicy === undefined ? {} : { restartPolicy }) },
      status: { phase, ...(reason === undefined ? {} : { reason }) },
    }) as Pod;
  it('running and pending Pods are alive', () => {
    expect(isPodAlive(withState(undefined, 'Running'))).toBe(true);
    expect(isPodAlive(withState('Never', 'Pending'))).toBe(true);
  });
  it('terminating Pods are not', () => {
    expect(podNotAliveReason(mkPod({}, { deletionTimestamp: '2024-01-01T00:00:00Z' }))).toBe('terminating');
  });
  it('finished Pods per restartPolicy; evicted Pods', () => {
    expect(isPodAlive(withState('OnFailure', 'Succeeded'))).toBe(false);
    expect(isPodAlive(withState('Always', 'Succeeded'))).toBe(true);
    expect(isPodAlive(withState('Never', 'Failed'))).toBe(false);
    expect(isPodAlive(withState('OnFailure', 'Failed'))).toBe(true);
    expect(isPodAlive(withState('Always', 'Failed', 'Evicted'))).toBe(false);
  });
});
