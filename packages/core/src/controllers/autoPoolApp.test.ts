import { describe, expect, it } from 'vitest';
import {
  appReplicas,
  DEFAULT_AUTO_POOL_SETTINGS,
  jobPodCount,
  parseGoBool,
  readAutoPoolIntent,
} from './autoPoolApp.ts';
import { IP_NUMBER_ANNO, SUBNET_ANNO, SUBNETS_ANNO, workload } from './autoPoolTestKit.ts';

const anno = { [SUBNET_ANNO]: '{"ipv4":["s4"]}' };

describe('desired IP count per kind (§3.9)', () => {
  it('Deployment / ReplicaSet / StatefulSet: spec.replicas (absent: 0)', () => {
    for (const kind of ['Deployment', 'ReplicaSet', 'StatefulSet']) {
      expect(appReplicas(workload(kind, 'ns', 'x', { replicas: 3 }))).toBe(3);
      expect(appReplicas(workload(kind, 'ns', 'x'))).toBe(0);
    }
  });
  it('DaemonSet: status.desiredNumberScheduled', () => {
    expect(appReplicas(workload('DaemonSet', 'ns', 'x', { status: { desiredNumberScheduled: 7 } }))).toBe(7);
    expect(appReplicas(workload('DaemonSet', 'ns', 'x', { replicas: 9 }))).toBe(0);
  });
  it('Job / CronJob: completions (0 -> 1), else parallelism (0 -> 1), else 1', () => {
    expect(jobPodCount(undefined, undefined)).toBe(1);
    expect(jobPodCount(4, undefined)).toBe(4);
    expect(jobPodCount(0, undefined)).toBe(1);
    expect(jobPodCount(undefined, 5)).toBe(5);
    expect(jobPodCount(undefined, 0)).toBe(1);
    expect(jobPodCount(3, 6)).toBe(6);
    expect(jobPodCount(3, 0)).toBe(1);
    expect(appReplicas(workload('Job', 'ns', 'x', { spec: { parallelism: 2, completions: 8 } }))).toBe(8);
    expect(appReplicas(workload('CronJob', 'ns', 'x', { spec: { parallelism: 3 } }))).toBe(3);
  });
});

describe('readAutoPoolIntent', () => {
  it('flexible default (+clusterSubnetDefaultFlexibleIPNumber), reclaim default true', () => {
    const i = readAutoPoolIntent(
      workload('Deployment', 'ns', 'x', { replicas: 2, annotations: anno, uid: 'u' }),
      {
        ...DEFAULT_AUTO_POOL_SETTINGS,
        clusterSubnetDefaultFlexibleIPNumber: 3,
      },
    )._unsafeUnwrap();
    expect(i).toMatchObject({
      app: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ns', name: 'x' },
      items: [{ interface: 'eth0', ipv4: 's4' }],
      ipNumberText: '+3',
      reclaim: true,
      desired: 5,
    });
  });
  it('fixed number ignores replicas; `+N` adds N; a CronJob reads its job template', () => {
    const fixed = workload('StatefulSet', 'ns', 'x', {
      replicas: 9,
      annotations: { ...anno, [IP_NUMBER_ANNO]: '4' },
    });
    expect(readAutoPoolIntent(fixed, DEFAULT_AUTO_POOL_SETTINGS)._unsafeUnwrap()).toMatchObject({
      desired: 4,
      ipNumberText: '4',
    });
    const cron = workload('CronJob', 'ns', 'c', {
      spec: { completions: 2 },
      annotations: { [SUBNETS_ANNO]: '[{"interface":"net1","ipv6":["s6"]}]', [IP_NUMBER_ANNO]: '+2' },
    });
    expect(readAutoPoolIntent(cron, DEFAULT_AUTO_POOL_SETTINGS)._unsafeUnwrap()).toMatchObject({
      app: { apiVersion: 'batch/v1', kind: 'CronJob' },
      items: [{ interface: 'net1', ipv6: 's6' }],
      desired: 4,
    });
  });
  it('a Job under a CronJob is not a top controller; SpiderSubnet off skips everything', () => {
    const job = workload('Job', 'ns', 'c-29000000', { annotations: anno });
    job.metadata.ownerReferences = [
      { apiVersion: 'batch/v1', kind: 'CronJob', name: 'c', uid: 'u', controller: true },
    ];
    expect(readAutoPoolIntent(job, DEFAULT_AUTO_POOL_SETTINGS)._unsafeUnwrap()).toBe('NotTopController');
    const off = { ...DEFAULT_AUTO_POOL_SETTINGS, enableSpiderSubnet: false };
    expect(readAutoPoolIntent(workload('Job', 'ns', 'j', { annotations: anno }), off)._unsafeUnwrap()).toBe(
      'SubnetFeatureDisabled',
    );
  });
  it('Go ParseBool forms', () => {
    expect(['1', 't', 'TRUE', 'True'].map(parseGoBool)).toEqual([true, true, true, true]);
    expect(['0', 'F', 'false'].map(parseGoBool)).toEqual([false, false, false]);
    expect(parseGoBool('yes')).toBeUndefined();
  });
});
