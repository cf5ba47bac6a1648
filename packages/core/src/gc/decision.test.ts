import { describe, expect, it } from 'vitest';
import type { Pod, SpiderEndpoint } from '../api/index.ts';
import { decideRecord, type GcContext, type GcDecision, type GcRecord } from './decision.ts';
import { DEFAULT_GC_SETTINGS, type GcSettings } from './settings.ts';

const NOW = new Date('2024-05-01T12:00:00Z');
const rec: GcRecord = { pool: 'p', ip: '10.0.0.5', pod: 'default/web-0', podUid: 'uid-1' };

interface PodOpts {
  uid?: string;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  ips?: boolean;
  owner?: 'StatefulSet' | 'VirtualMachineInstance' | 'ReplicaSet';
  deletedAt?: string;
  grace?: number;
}
const pod = (o: PodOpts = {}): Pod => {
  const ownerApi = o.owner === 'VirtualMachineInstance' ? 'kubevirt.io/v1' : 'apps/v1';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-0',
      namespace: 'default',
      uid: o.uid ?? 'uid-1',
      ...(o.owner
        ? {
            ownerReferences: [
              { apiVersion: ownerApi, kind: o.owner, name: 'web', uid: 'o', controller: true },
            ],
          }
        : {}),
      ...(o.deletedAt ? { deletionTimestamp: o.deletedAt, deletionGracePeriodSeconds: o.grace ?? 30 } : {}),
    },
    spec: { nodeName: 'n1' },
    status: { phase: o.phase ?? 'Running', ...(o.ips === false ? {} : { podIPs: [{ ip: '10.0.0.5' }] }) },
  };
};
const ep = (uid = 'uid-1', owner = 'Deployment'): SpiderEndpoint => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderEndpoint',
  metadata: { name: 'web-0', namespace: 'default' },
  status: {
    current: { uid, node: 'n1', ips: [{ interface: 'eth0', ipv4: '10.0.0.5/24', ipv4Pool: 'p' }] },
    ownerControllerType: owner,
    ownerControllerName: 'web',
  },
});
const ctx = (c: Partial<GcContext> & { s?: Partial<GcSettings> } = {}): GcContext => {
  const { s, ...rest } = c;
  return { now: NOW, settings: { ...DEFAULT_GC_SETTINGS, ...s }, nodeReady: true, ...rest };
};
const tagOf = (d: GcDecision): string =>
  d._tag === 'Release' ? `Release(ip=${d.ip},ep=${d.endpoint}):${d.reason}` : `${d._tag}:${d.reason}`;
const decide = (c: Partial<GcContext> & { s?: Partial<GcSettings> }, r: GcRecord = rec): string =>
  tagOf(decideRecord(r, ctx(c)));

describe('decideRecord: master switch', () => {
  it('keeps everything when GC is disabled', () => {
    expect(decide({ s: { enabled: false } })).toBe('Keep:GcDisabled');
  });
});

describe('decideRecord: pod missing', () => {
  it('pod and endpoint missing -> release the IP only', () => {
    expect(decide({})).toBe('Release(ip=true,ep=false):PodAndEndpointMissing');
  });
  it('stateless endpoint left -> release IP and endpoint', () => {
    expect(decide({ endpoint: ep() })).toBe('Release(ip=true,ep=true):PodMissingEndpointLeft');
  });
  it('valid StatefulSet endpoint -> keep; invalid (scaled down) -> release both', () => {
    expect(decide({ endpoint: ep('uid-1', 'StatefulSet'), stsValid: true })).toBe(
      'Keep:PodMissingValidStatic',
    );
    expect(decide({ endpoint: ep('uid-1', 'StatefulSet'), stsValid: false })).toBe(
      'Release(ip=true,ep=true):PodMissingEndpointLeft',
    );
  });
  it('KubeVirt endpoint follows vmValid; unknown validity keeps', () => {
    const vmEp = ep('uid-1', 'VirtualMachineInstance');
    expect(decide({ endpoint: vmEp, vmValid: true })).toBe('Keep:PodMissingValidStatic');
    expect(decide({ endpoint: vmEp, vmValid: false })).toBe(
      'Release(ip=true,ep=true):PodMissingEndpointLeft',
    );
    expect(decide({ endpoint: vmEp })).toBe('Keep:ValidityUnknown');
  });
  it('with enableStatefulSet off a StatefulSet endpoint is stateless', () => {
    expect(decide({ endpoint: ep('uid-1', 'StatefulSet'), s: { enableStatefulSet: false } })).toBe(
      'Release(ip=true,ep=true):PodMissingEndpointLeft',
    );
  });
});

describe('decideRecord: pod phases (same UID)', () => {
  it('running with IPs -> keep', () => {
    expect(decide({ pod: pod(), endpoint: ep() })).toBe('Keep:PodHasIPs');
  });
  it('pending -> keep, also without status (API default phase)', () => {
    expect(decide({ pod: pod({ phase: 'Pending', ips: false }) })).toBe('Keep:PodPending');
    const bare: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-0', namespace: 'default', uid: 'uid-1' },
    };
    expect(decide({ pod: bare })).toBe('Keep:PodPending');
  });
  it('stateless Succeeded/Failed without deletion -> keep (trace worker / CNI DEL)', () => {
    expect(decide({ pod: pod({ phase: 'Succeeded' }) })).toBe('Keep:StatelessPodFinished');
    expect(decide({ pod: pod({ phase: 'Failed' }) })).toBe('Keep:StatelessPodFinished');
  });
  it('stateless Succeeded with deletionTimestamp follows the terminating rule', () => {
    const p = pod({ phase: 'Succeeded', deletedAt: '2024-05-01T11:00:00Z', grace: 30 });
    expect(decide({ pod: p, endpoint: ep() })).toBe('Release(ip=true,ep=true):TerminatingPastGrace');
  });
  it('static Succeeded/Failed: valid -> trace, invalid -> release, unknown -> keep', () => {
    const p = pod({ phase: 'Failed', owner: 'StatefulSet' });
    expect(decide({ pod: p, stsValid: true })).toBe('Trace:StaticPodFinishedValid');
    expect(decide({ pod: p, stsValid: false, endpoint: ep() })).toBe(
      'Release(ip=true,ep=true):StaticPodFinishedInvalid',
    );
    expect(decide({ pod: p })).toBe('Keep:ValidityUnknown');
  });
  it('running without podIPs: stateless depends on the flag; other phases release', () => {
    expect(decide({ pod: pod({ ips: false }) })).toBe('Keep:RunningNoPodIPsGcOff');
    expect(decide({ pod: pod({ ips: false }), s: { statelessRunningPodOnEmptyPodStatusIPs: true } })).toBe(
      'Release(ip=true,ep=false):RunningNoPodIPs',
    );
    expect(decide({ pod: pod({ phase: 'Unknown', ips: false }) })).toBe('Release(ip=true,ep=false):NoPodIPs');
  });
  it('static pod without podIPs: valid keeps, invalid releases', () => {
    const p = pod({ ips: false, owner: 'VirtualMachineInstance' });
    expect(decide({ pod: p, vmValid: true })).toBe('Keep:StaticPodNoIPsValid');
    expect(decide({ pod: p, vmValid: false })).toBe('Release(ip=true,ep=false):StaticPodNoIPsInvalid');
  });
  it('a controller that is not StatefulSet/VMI is stateless', () => {
    const p = pod({ ips: false, owner: 'ReplicaSet' });
    expect(decide({ pod: p, stsValid: true })).toBe('Keep:RunningNoPodIPsGcOff');
  });
});

describe('decideRecord: terminating pods and grace boundaries', () => {
  // deletionTimestamp 11:59:00 + 30 s grace = 11:59:30; NOW is 12:00:00.
  const at = (deletedAt: string, extra: PodOpts = {}) => pod({ deletedAt, grace: 30, ...extra });
  it('past grace -> release IP and endpoint', () => {
    expect(decide({ pod: at('2024-05-01T11:59:00Z'), endpoint: ep() })).toBe(
      'Release(ip=true,ep=true):TerminatingPastGrace',
    );
  });
  it('exactly at the grace end is not past it (strictly after)', () => {
    expect(decide({ pod: at('2024-05-01T11:59:30Z') })).toBe('Trace:TerminatingWithinGrace');
    expect(decide({ pod: at('2024-05-01T11:59:29Z') })).toBe(
      'Release(ip=true,ep=false):TerminatingPastGrace',
    );
  });
  it('the additional grace delay extends the window', () => {
    expect(decide({ pod: at('2024-05-01T11:59:00Z'), s: { additionalGraceDelaySeconds: 60 } })).toBe(
      'Trace:TerminatingWithinGrace',
    );
  });
  it('within grace with IPs -> trace until grace end', () => {
    const d = decideRecord(rec, ctx({ pod: at('2024-05-01T11:59:50Z') }));
    expect(d._tag).toBe('Trace');
    expect(d._tag === 'Trace' && d.until?.toISOString()).toBe('2024-05-01T12:00:20.000Z');
  });
  it('within grace without IPs -> release', () => {
    expect(decide({ pod: at('2024-05-01T11:59:50Z', { ips: false }) })).toBe(
      'Release(ip=true,ep=false):TerminatingNoPodIPs',
    );
  });
  it('node-readiness flags gate stateless reclaim past grace', () => {
    const p = at('2024-05-01T11:00:00Z');
    expect(decide({ pod: p, s: { statelessTerminatingPodOnReadyNode: false } })).toBe(
      'Keep:TerminatingPastGraceNodeGcOff',
    );
    expect(decide({ pod: p, nodeReady: false, s: { statelessTerminatingPodOnReadyNode: false } })).toBe(
      'Release(ip=true,ep=false):TerminatingPastGrace',
    );
    expect(decide({ pod: p, nodeReady: false, s: { statelessTerminatingPodOnNotReadyNode: false } })).toBe(
      'Keep:TerminatingPastGraceNodeGcOff',
    );
  });
  it('an unknown node counts as NotReady', () => {
    const { nodeReady: _n, ...noNode } = ctx({ pod: at('2024-05-01T11:00:00Z') });
    const s = { ...DEFAULT_GC_SETTINGS, statelessTerminatingPodOnNotReadyNode: false };
    expect(tagOf(decideRecord(rec, { ...noNode, settings: s }))).toBe('Keep:TerminatingPastGraceNodeGcOff');
  });
  it('a static terminating pod past grace is kept (the node flag applies to stateless pods only)', () => {
    expect(decide({ pod: at('2024-05-01T11:00:00Z', { owner: 'StatefulSet' }), stsValid: true })).toBe(
      'Keep:TerminatingPastGraceNodeGcOff',
    );
  });
});

describe('decideRecord: UID mismatch', () => {
  const newPod = (o: PodOpts = {}) => pod({ uid: 'uid-2', ...o });
  it('stateless: a record of an earlier same-name pod is released whatever the new pod does', () => {
    expect(decide({ pod: newPod(), endpoint: ep('uid-2') })).toBe('Release(ip=true,ep=false):PodUidMismatch');
    expect(decide({ pod: newPod({ phase: 'Pending', ips: false }) })).toBe(
      'Release(ip=true,ep=false):PodUidMismatch',
    );
  });
  it('static: new pod already has IPs -> the old record is stale', () => {
    expect(decide({ pod: newPod({ owner: 'StatefulSet' }), stsValid: true, endpoint: ep('uid-2') })).toBe(
      'Release(ip=true,ep=false):StaticPodUidMismatchStale',
    );
  });
  it('static: new pod starting (no IPs) and valid -> keep for it; invalid -> release', () => {
    const p = newPod({ owner: 'StatefulSet', phase: 'Pending', ips: false });
    expect(decide({ pod: p, stsValid: true, endpoint: ep('uid-1', 'StatefulSet') })).toBe(
      'Keep:StaticPodUidMismatchValid',
    );
    expect(decide({ pod: p, stsValid: false, endpoint: ep('uid-1', 'StatefulSet') })).toBe(
      'Release(ip=true,ep=true):StaticPodUidMismatchStale',
    );
    expect(decide({ pod: p })).toBe('Keep:ValidityUnknown');
  });
});

describe('decideRecord: endpoint UID mismatch', () => {
  it('stateless: stale endpoint deleted, the live record kept (deviation from Spiderpool)', () => {
    expect(decide({ pod: pod(), endpoint: ep('uid-0') })).toBe(
      'Release(ip=false,ep=true):EndpointUidMismatch',
    );
  });
  it('static: endpoint of an earlier incarnation kept while the new pod starts and is valid', () => {
    const p = pod({ owner: 'StatefulSet', phase: 'Pending', ips: false });
    expect(decide({ pod: p, stsValid: true, endpoint: ep('uid-0', 'StatefulSet') })).toBe('Keep:PodPending');
    expect(
      decide({ pod: pod({ owner: 'StatefulSet' }), stsValid: true, endpoint: ep('uid-0', 'StatefulSet') }),
    ).toBe('Release(ip=false,ep=true):EndpointUidMismatch');
  });
});
