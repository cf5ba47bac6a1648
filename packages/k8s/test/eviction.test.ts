// The eviction subresource end to end: KubernetesStore.evict POSTs a policy/v1 Eviction to the emulator,
// which applies the PodDisruptionBudget check and answers 201 / 429 like the API server.
import type { Pod, PodDisruptionBudget } from '@spiderpool-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesStore, type KubernetesStore } from '../src/index.ts';
import { type ApiServerEmulator, startApiServerEmulator } from '../src/testing/index.ts';

const pod = (name: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: 'web' } },
  spec: { nodeName: 'node-1' },
});

describe('eviction subresource (emulator + KubernetesStore.evict)', () => {
  let emu: ApiServerEmulator;
  let store: KubernetesStore;
  beforeAll(async () => {
    emu = await startApiServerEmulator();
    store = createKubernetesStore({ kubeConfig: emu.kubeConfig() })._unsafeUnwrap();
    for (const name of ['a', 'b']) {
      const made = (await store.create(pod(name)))._unsafeUnwrap();
      (await store.updateStatus({ ...made, status: { phase: 'Running' } }))._unsafeUnwrap();
    }
    const pdb: PodDisruptionBudget = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web', namespace: 'default' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
    };
    (await store.create(pdb))._unsafeUnwrap();
  });
  afterAll(async () => {
    await emu.close();
  });

  it('evicts while the budget allows, then 429 with the budget named; the Pod stays', async () => {
    expect((await store.evict({ namespace: 'default', name: 'a' })).isOk()).toBe(true);
    expect((await store.get({ kind: 'Pod', namespace: 'default', name: 'a' }))._unsafeUnwrapErr()._tag).toBe(
      'NotFound',
    );
    const blocked = await store.evict({ namespace: 'default', name: 'b' });
    expect(blocked._unsafeUnwrapErr()).toMatchObject({
      _tag: 'EvictionBlocked',
      pod: 'b',
      budget: 'web',
      reason: 'The disruption budget web needs 1 healthy pods and has 1 currently',
    });
    expect((await store.get({ kind: 'Pod', namespace: 'default', name: 'b' })).isOk()).toBe(true);
    expect(emu.requests).toContain('POST /api/v1/namespaces/default/pods/b/eviction');
  });

  it('a missing Pod is ok (already gone); a body naming another Pod is 400', async () => {
    expect((await store.evict({ namespace: 'default', name: 'nope' })).isOk()).toBe(true);
    const res = await fetch(`${emu.url}/api/v1/namespaces/default/pods/b/eviction`, {
      method: 'POST',
      body: JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'x' } }),
    });
    expect(res.status).toBe(400);
  });
});
