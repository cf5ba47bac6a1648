// The auto-pool example of packages/core/README.md, kept runnable.
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/index.ts';
import { reconcileApplicationPools } from './autoPoolReconcile.ts';
import { SUBNET_ANNO, subnetObject, workload } from './autoPoolTestKit.ts';

describe('README: auto-pool example', () => {
  it('gives the outcome the README states', async () => {
    const uids = ['subnet-uid', '7b0a4b4c-1f6e-4d2e-9a5b-2b3c4d5e6f70'];
    const store = createMemoryStore({ now: () => new Date(0), uid: () => uids.shift() ?? 'x' });
    await store.create(subnetObject('s4', '10.1.0.0/24', ['10.1.0.10-10.1.0.50']));
    await store.create(
      workload('Deployment', 'default', 'nginx', {
        replicas: 2,
        annotations: { [SUBNET_ANNO]: '{"ipv4":["s4"]}' },
      }),
    );
    const out = (
      await reconcileApplicationPools(store, { kind: 'Deployment', namespace: 'default', name: 'nginx' })
    )._unsafeUnwrap();
    expect(out).toEqual({
      _tag: 'Reconciled',
      pools: [
        { pool: 'auto4-nginx-eth0-2b3c4', subnet: 's4', action: 'created', ips: ['10.1.0.10-10.1.0.12'] },
      ],
    });
  });
});
