import { describe, expect, it } from 'vitest';
import { evalJsonPath, humanAge, wantsTable } from './tableOutput.ts';

describe('printer-column JSONPath', () => {
  const pool = {
    spec: {
      ipVersion: 4,
      multusName: ['kube-system/macvlan-vlan0'],
      podAffinity: { matchLabels: { 'ipam.spidernet.io/app-namespace': 'kube-system' } },
    },
    status: { current: { ips: [{ interface: 'eth0' }] } },
  };

  it('reads fields, indices and escaped bracket keys (APP-NAMESPACE)', () => {
    expect(evalJsonPath(pool, '.spec.ipVersion')).toBe(4);
    expect(evalJsonPath(pool, '.status.current.ips[0].interface')).toBe('eth0');
    expect(evalJsonPath(pool, ".spec.podAffinity.matchLabels['ipam\\.spidernet\\.io/app\\-namespace']")).toBe(
      'kube-system',
    );
    expect(evalJsonPath(pool, '.spec.nodeName')).toBeUndefined();
    expect(evalJsonPath(pool, '.status.current.ips[3].interface')).toBeUndefined();
  });

  it('ages like kubectl and recognises the Table Accept header', () => {
    const now = new Date('2026-01-02T00:00:00Z');
    expect(humanAge('2026-01-01T23:59:15Z', now)).toBe('45s');
    expect(humanAge('2026-01-01T23:30:00Z', now)).toBe('30m');
    expect(humanAge('2026-01-01T19:00:00Z', now)).toBe('5h');
    expect(humanAge('2025-12-29T00:00:00Z', now)).toBe('4d');
    expect(wantsTable('application/json;as=Table;v=v1;g=meta.k8s.io,application/json')).toBe(true);
    expect(wantsTable('application/json')).toBe(false);
  });
});
