import { describe, expect, it } from 'vitest';
import type { Pod } from './index.ts';

describe('Pod', () => {
  it('declares spec.restartPolicy and status.reason (read by the IPAM pod-alive rule)', () => {
    // Type-checked by the test project: an evicted Pod as the API server returns it.
    const evicted: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: { nodeName: 'n1', restartPolicy: 'Never' },
      status: { phase: 'Failed', reason: 'Evicted' },
    };
    const roundTrip = JSON.parse(JSON.stringify(evicted)) as Pod;
    expect(roundTrip.spec?.restartPolicy).toBe('Never');
    expect(roundTrip.status?.reason).toBe('Evicted');
  });
});
