import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/nad.ts';
import { createMemoryStore } from '../store/memoryStore.ts';
import { createStoreEvictor } from './storeEvictor.ts';
import type { PodDisruptionBudget } from './types.ts';

const pod = (name: string, phase: 'Running' | 'Pending' = 'Running'): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: 'web' } },
  spec: { nodeName: 'node-1' },
  status: { phase },
});

const pdb = (spec: PodDisruptionBudget['spec']): PodDisruptionBudget => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
});

const setup = async (budget: PodDisruptionBudget | undefined, pods: Pod[]) => {
  const store = createMemoryStore({ now: () => new Date(0) });
  // Pods and budgets have a status subresource: create drops status, updateStatus writes it.
  for (const p of pods) {
    const made = (await store.create(p))._unsafeUnwrap();
    (await store.updateStatus({ ...made, status: p.status }))._unsafeUnwrap();
  }
  if (budget) {
    const made = (await store.create(budget))._unsafeUnwrap();
    if (budget.status) (await store.updateStatus({ ...made, status: budget.status }))._unsafeUnwrap();
  }
  return { store, evictor: createStoreEvictor(store) };
};

describe('createStoreEvictor (PodDisruptionBudget check)', () => {
  it('evicts without a budget; a missing Pod is already evicted', async () => {
    const { store, evictor } = await setup(undefined, [pod('a')]);
    expect((await evictor.evict({ namespace: 'default', name: 'a' })).isOk()).toBe(true);
    expect((await store.get({ kind: 'Pod', namespace: 'default', name: 'a' })).isErr()).toBe(true);
    expect((await evictor.evict({ namespace: 'default', name: 'a' })).isOk()).toBe(true);
  });

  it('minAvailable blocks when healthy would drop below it, with the budget and counts', async () => {
    const { store, evictor } = await setup(pdb({ minAvailable: 2 }), [pod('a'), pod('b')]);
    const r = await evictor.evict({ namespace: 'default', name: 'a' });
    expect(r._unsafeUnwrapErr()).toMatchObject({
      _tag: 'EvictionBlocked',
      pod: 'a',
      budget: 'web',
      reason: 'The disruption budget web needs 2 healthy pods and has 2 currently',
    });
    expect((await store.get({ kind: 'Pod', namespace: 'default', name: 'a' })).isOk()).toBe(true);
  });

  it('maxUnavailable 1 (and 50%) lets one go; Pending Pods are always evictable', async () => {
    // status.expectedPods (the workload's scale, kept by a disruption controller) stays 2 after a is gone.
    const { evictor } = await setup({ ...pdb({ maxUnavailable: 1 }), status: { expectedPods: 2 } }, [
      pod('a'),
      pod('b'),
    ]);
    expect((await evictor.evict({ namespace: 'default', name: 'a' })).isOk()).toBe(true);
    expect((await evictor.evict({ namespace: 'default', name: 'b' })).isErr()).toBe(true);
    const half = await setup({ ...pdb({ maxUnavailable: '50%' }), status: { expectedPods: 3 } }, [
      pod('a'),
      pod('b'),
      pod('c', 'Pending'),
    ]);
    expect((await half.evictor.evict({ namespace: 'default', name: 'c' })).isOk()).toBe(true);
    expect((await half.evictor.evict({ namespace: 'default', name: 'a' })).isOk()).toBe(true);
    expect((await half.evictor.evict({ namespace: 'default', name: 'b' })).isErr()).toBe(true);
  });
});
