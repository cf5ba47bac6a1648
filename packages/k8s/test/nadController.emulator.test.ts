// The NAD controller suite of core, run through KubernetesStore over HTTP against the emulator (CRD
// validation on, as on a cluster with Spiderpool's CRDs), plus leader election on a real coordination Lease.
import { createLeaderElector, fencedStore, isNotLeader, type Lease } from '@spiderpool-ts/core';
import { describeNadControllerContract } from '@spiderpool-ts/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesStore } from '../src/index.ts';
import { type ApiServerEmulator, startApiServerEmulator } from '../src/testing/index.ts';

let emulator: ApiServerEmulator | undefined;
let t = Date.parse('2026-01-01T00:00:00Z');

beforeAll(async () => {
  emulator = await startApiServerEmulator();
  // Namespaces exist on a real cluster; create them in case the emulator checks.
  for (const name of ['default', 'kube-system']) {
    await emulator.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
});
afterAll(async () => {
  await emulator?.close();
});

const k8sStore = () => {
  if (!emulator) throw new Error('emulator not started');
  return createKubernetesStore({ kubeConfig: emulator.kubeConfig() })._unsafeUnwrap();
};

describeNadControllerContract('KubernetesStore -> API-server emulator', { makeStore: k8sStore });

describe('leader election through KubernetesStore', () => {
  it('acquires a coordination.k8s.io/v1 Lease, fences the old leader after expiry, releases', async () => {
    const store = k8sStore();
    const now = () => new Date(t);
    const make = (identity: string) =>
      createLeaderElector(store, { namespace: 'kube-system', name: 'emu-lease', identity, now });
    const a = make('a');
    const b = make('b');
    expect((await a.tryAcquireOrRenew())._unsafeUnwrap()).toBe(true);
    expect((await b.tryAcquireOrRenew())._unsafeUnwrap()).toBe(false);
    const got = await store.get<Lease>({ kind: 'Lease', namespace: 'kube-system', name: 'emu-lease' });
    expect(got._unsafeUnwrap().spec?.holderIdentity).toBe('a');
    // The wire path really is coordination.k8s.io/v1.
    expect(
      emulator?.requests.some((r) =>
        r.includes('/apis/coordination.k8s.io/v1/namespaces/kube-system/leases'),
      ),
    ).toBe(true);
    t += 16_000;
    expect((await b.tryAcquireOrRenew())._unsafeUnwrap()).toBe(true);
    const write = await fencedStore(store, a.isLeader).create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'written-by-old-leader', namespace: 'kube-system' },
    });
    expect(write.isErr() && isNotLeader(write.error)).toBe(true);
    expect((await b.release())._unsafeUnwrap()).toBe(true);
    const freed = await store.get<Lease>({ kind: 'Lease', namespace: 'kube-system', name: 'emu-lease' });
    expect(freed._unsafeUnwrap().spec?.holderIdentity).toBe('');
    expect((await a.tryAcquireOrRenew())._unsafeUnwrap()).toBe(true);
  });
});
