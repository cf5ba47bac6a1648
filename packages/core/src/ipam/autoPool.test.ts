import { describe, expect, it } from 'vitest';
import {
  applicationKey,
  applicationKeyFromPoolLabels,
  applicationLabelGV,
  autoPoolLabels,
  autoPoolName,
  autoPoolPodAffinity,
  parseApplicationKey,
  parsePoolIPNumber,
} from './autoPool.ts';

describe('autoPoolName', () => {
  it('matches Spiderpool examples', () => {
    expect(autoPoolName(4, 'test-name', 'test-nic', 'a-b-c-d')).toBe('auto4-test-name-test-nic-d');
    expect(autoPoolName(4, 'test-name', 'test-nic', 'a-b-c-defghi')).toBe('auto4-test-name-test-nic-defgh');
    expect(autoPoolName(6, 'Nginx', 'ETH0', '7b0a4b4c-1f6e-4d2e-9a5b-2C1F0E9D8A77')).toBe(
      'auto6-nginx-eth0-2c1f0',
    );
  });
  it('cuts the application name so the result fits 253 characters', () => {
    const long = 'a'.repeat(300);
    const name = autoPoolName(4, long, 'eth0', 'x-12345');
    expect(name.length).toBe(253);
    expect(name.endsWith('-eth0-12345')).toBe(true);
    expect(autoPoolName(4, 'a'.repeat(100), 'eth0', 'x-12345').length).toBe(6 + 100 + 1 + 4 + 1 + 5);
  });
});

describe('application keys', () => {
  it('formats and parses group/version apps and core apps', () => {
    const app = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'nginx' };
    expect(applicationKey(app)).toBe('apps_v1_Deployment_default_nginx');
    expect(parseApplicationKey('apps_v1_Deployment_default_nginx')).toEqual(app);
    const pod = { apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: 'p' };
    expect(applicationKey(pod)).toBe('v1_Pod_ns_p');
    expect(parseApplicationKey('v1_Pod_ns_p')).toEqual(pod);
    expect(parseApplicationKey('a_b_c')).toBeUndefined();
    expect(applicationLabelGV('batch/v1')).toBe('batch_v1');
  });
  it('labels round-trip to the application key', () => {
    const labels = autoPoolLabels({
      app: { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'db', name: 'pg', uid: 'u-1' },
      subnet: 's1',
      version: 6,
      ifName: 'net1',
      reclaim: false,
      cidrLabel: 'fd00--64',
    });
    expect(labels['ipam.spidernet.io/ippool-reclaim']).toBe('false');
    expect(labels['ipam.spidernet.io/ip-version']).toBe('IPv6');
    expect(labels['ipam.spidernet.io/owner-application-gv']).toBe('apps_v1');
    expect(applicationKeyFromPoolLabels(labels)).toBe('apps_v1_StatefulSet_db_pg');
    expect(applicationKeyFromPoolLabels({})).toBeUndefined();
  });
  it('pod affinity splits group and version', () => {
    expect(
      autoPoolPodAffinity({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'd', name: 'n' }),
    ).toEqual({
      matchLabels: {
        'ipam.spidernet.io/app-api-group': 'apps',
        'ipam.spidernet.io/app-api-version': 'v1',
        'ipam.spidernet.io/app-kind': 'Deployment',
        'ipam.spidernet.io/app-namespace': 'd',
        'ipam.spidernet.io/app-name': 'n',
      },
    });
    expect(
      autoPoolPodAffinity({ apiVersion: 'v1', kind: 'Pod', namespace: 'd', name: 'n' }).matchLabels?.[
        'ipam.spidernet.io/app-api-group'
      ],
    ).toBe('');
  });
});

describe('parsePoolIPNumber', () => {
  it('fixed and flexible', () => {
    expect(parsePoolIPNumber('5')._unsafeUnwrap()).toEqual({ _tag: 'Fixed', count: 5 });
    expect(parsePoolIPNumber('+1')._unsafeUnwrap()).toEqual({ _tag: 'Flexible', extra: 1 });
    expect(parsePoolIPNumber('+0')._unsafeUnwrap()).toEqual({ _tag: 'Flexible', extra: 0 });
  });
  it('rejects several plus signs, non-numbers and negatives', () => {
    for (const bad of ['++1', 'x', '', '1.5', '-1', '+-2', ' 3']) {
      expect(parsePoolIPNumber(bad).isErr(), bad).toBe(true);
    }
    expect(parsePoolIPNumber('-1')._unsafeUnwrapErr().message).toContain('greater than 0');
  });
});
