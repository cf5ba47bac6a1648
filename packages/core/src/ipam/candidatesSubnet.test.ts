import { describe, expect, it } from 'vitest';
import type { OwnerReference } from '../api/index.ts';
import { parsePodSubnetAnnotation } from './annotationsSubnet.ts';
import { selectCandidates } from './candidates.ts';
import { mkInput, mkPod, mkPool } from './candidatesTestKit.ts';
import { DEFAULT_IPAM_SETTINGS } from './types.ts';

const SUBNET = 'ipam.spidernet.io/subnet';
const SUBNETS = 'ipam.spidernet.io/subnets';
const sts: OwnerReference = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  name: 'db',
  uid: 'db-uid',
  controller: true,
};

const autoPool = (name: string, labels: Record<string, string> = {}) =>
  mkPool(
    name,
    {},
    {
      labels: {
        'ipam.spidernet.io/owner-spider-subnet': 's1',
        'ipam.spidernet.io/owner-application-gv': 'apps_v1',
        'ipam.spidernet.io/owner-application-kind': 'StatefulSet',
        'ipam.spidernet.io/owner-application-namespace': 'default',
        'ipam.spidernet.io/owner-application-name': 'db',
        'ipam.spidernet.io/owner-application-uid': 'db-uid',
        'ipam.spidernet.io/interface': 'eth0',
        'ipam.spidernet.io/ip-version': 'IPv4',
        ...labels,
      },
    },
  );

describe('parsePodSubnetAnnotation', () => {
  it('single: first name per family, interface defaults to eth0', () => {
    const a = parsePodSubnetAnnotation({ [SUBNET]: '{"ipv4":["s1","ignored"]}' })._unsafeUnwrap();
    expect(a).toEqual({ annotation: SUBNET, multiple: false, items: [{ interface: 'eth0', ipv4: 's1' }] });
  });
  it('subnets wins over subnet', () => {
    const a = parsePodSubnetAnnotation({
      [SUBNETS]: '[{"interface":"net1","ipv6":["s6"]}]',
      [SUBNET]: '{"ipv4":["x"]}',
    });
    expect(a._unsafeUnwrap()?.items).toEqual([{ interface: 'net1', ipv6: 's6' }]);
  });
  it('absent: undefined', () => {
    expect(parsePodSubnetAnnotation({})._unsafeUnwrap()).toBeUndefined();
  });
  it('rejects empty names, empty items, duplicate subnets and interfaces', () => {
    for (const [k, v] of [
      [SUBNET, '{"ipv4":[""]}'],
      [SUBNET, '{}'],
      [SUBNETS, '[]'],
      [SUBNETS, '[{"interface":"eth0","ipv4":["s"]},{"interface":"net1","ipv4":["s"]}]'],
      [SUBNETS, '[{"interface":"eth0","ipv4":["a"]},{"interface":"eth0","ipv4":["b"]}]'],
      [SUBNETS, '{'],
    ] as const) {
      expect(parsePodSubnetAnnotation({ [k]: v })._unsafeUnwrapErr()).toMatchObject({
        _tag: 'BadAnnotation',
        annotation: k,
      });
    }
  });
});

describe('selectCandidates: SpiderSubnet rule (§3.2 step 1)', () => {
  const pod = mkPod(
    { [SUBNET]: '{"ipv4":["s1"]}', 'ipam.spidernet.io/ippool': '{"ipv4":["plain"]}' },
    { ownerReferences: [sts] },
  );
  const pools = [
    autoPool('auto4-db-eth0-uid'),
    autoPool('other-app', { 'ipam.spidernet.io/owner-application-name': 'web' }),
    mkPool('plain'),
  ];

  it('picks the application auto-pool before every other rule', () => {
    const nic = selectCandidates(mkInput({ pod, pools }))._unsafeUnwrap()[0];
    expect(nic?.source).toBe('pod-subnet-annotation');
    expect(nic?.versions).toEqual([{ version: 4, pools: ['auto4-db-eth0-uid'], dropped: [] }]);
  });
  it('no auto-pool yet: AutoPoolNotReady', () => {
    expect(selectCandidates(mkInput({ pod, pools: [mkPool('plain')] }))._unsafeUnwrapErr()._tag).toBe(
      'AutoPoolNotReady',
    );
  });
  it('a native app with another uid does not match', () => {
    const stale = [autoPool('auto4-db-eth0-old', { 'ipam.spidernet.io/owner-application-uid': 'old' })];
    expect(selectCandidates(mkInput({ pod, pools: stale }))._unsafeUnwrapErr()._tag).toBe('AutoPoolNotReady');
  });
  it('orphan Pods and disabled auto-pools are rejected', () => {
    const orphan = mkPod({ [SUBNET]: '{"ipv4":["s1"]}' });
    expect(selectCandidates(mkInput({ pod: orphan, pools }))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'BadAnnotation',
      detail: "SpiderSubnet feature doesn't support no-controller pod",
    });
    const settings = { ...DEFAULT_IPAM_SETTINGS, enableAutoPoolForApplication: false };
    expect(selectCandidates(mkInput({ pod, pools, settings }))._unsafeUnwrapErr()._tag).toBe('BadAnnotation');
  });
  it('SpiderSubnet disabled: the annotation is ignored', () => {
    const settings = { ...DEFAULT_IPAM_SETTINGS, enableSpiderSubnet: false };
    const nic = selectCandidates(mkInput({ pod, pools, settings }))._unsafeUnwrap()[0];
    expect(nic?.source).toBe('pod-ippool-annotation');
  });
});
