// Opt-in smoke test on a real cluster, run with the real-cluster Store contract (packages/k8s): set
// KUBECONFIG and SPIDERPOOL_TS_REAL_CLUSTER=1. It starts the operator's bundle against the cluster (a Lease
// of its own name in `default`, so it does not compete with an installed operator), waits until it leads,
// creates a SpiderMultusConfig, sees the operator write its NetworkAttachmentDefinition, deletes the SMC,
// sees the NAD go, stops the operator (SIGTERM: Lease released) and deletes the Lease. Use a test cluster:
// while it leads, the operator also runs its status, auto-pool, SpiderCoordinator and GC controllers there.
// Needs Spiderpool's CRDs and Multus' NetworkAttachmentDefinition CRD.
import type { KubeObject, Lease, NetworkAttachmentDefinition, Store } from '@spiderpool-ts/core';
import { createKubernetesStore } from '@spiderpool-ts/k8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBundle, killAll, operator, until } from './processTestKit.ts';

const kubeconfig = process.env.KUBECONFIG ?? '';
const real = process.env.SPIDERPOOL_TS_REAL_CLUSTER === '1' && kubeconfig !== '';
if (!real) {
  console.log(
    'real-cluster operator smoke test skipped: set KUBECONFIG and SPIDERPOOL_TS_REAL_CLUSTER=1 (a test cluster with the Spiderpool and NAD CRDs)',
  );
}

const suffix = `${process.pid}-${Date.now().toString(36)}`;
const LEASE = { kind: 'Lease', namespace: 'default', name: `spiderpool-ts-smoke-${suffix}` };
const SMC = { kind: 'SpiderMultusConfig', namespace: 'default', name: `smoke-${suffix}` };
const NAD = { ...SMC, kind: 'NetworkAttachmentDefinition' };
let store: Store | undefined;

describe.skipIf(!real)('sample operator on $KUBECONFIG (smoke)', () => {
  beforeAll(() => {
    ensureBundle();
    store = createKubernetesStore({ kubeConfig: kubeconfig })._unsafeUnwrap();
  }, 300_000);
  afterAll(async () => {
    killAll();
    // whatever the test left: the SMC (the NAD follows by its ownerReference), the Lease
    for (const ref of [SMC, NAD, LEASE]) await store?.delete(ref);
  });

  it('takes the Lease, reconciles a SpiderMultusConfig into its NAD, cleans up', async () => {
    const s = store as Store;
    const p = operator(
      [
        ...['--kubeconfig', kubeconfig, '--port', '0', '--identity', `smoke-${suffix}`],
        ...['--lease-namespace', LEASE.namespace, '--lease-name', LEASE.name],
      ],
      { KUBECONFIG: kubeconfig },
    );
    await p.waitFor(/leading: holds Lease/, 60_000);
    const held = (await s.get<Lease>(LEASE))._unsafeUnwrap();
    expect(held.spec?.holderIdentity).toBe(`smoke-${suffix}`);

    const smc = (
      await s.create<KubeObject>({
        apiVersion: 'spiderpool.spidernet.io/v2beta1',
        kind: 'SpiderMultusConfig',
        metadata: { name: SMC.name, namespace: SMC.namespace },
        spec: { cniType: 'macvlan', macvlan: { master: ['eth0'] } },
      } as KubeObject)
    )._unsafeUnwrap();
    const nad = await until(async () => {
      const r = await s.get<NetworkAttachmentDefinition>(NAD);
      return r.isOk() ? r.value : undefined;
    }, 60_000);
    expect(nad.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'SpiderMultusConfig',
      name: SMC.name,
      uid: smc.metadata.uid,
    });
    expect(JSON.parse(nad.spec?.config ?? '{}').plugins?.[0]?.type).toBe('macvlan');

    (await s.delete(SMC))._unsafeUnwrap();
    await until(async () => ((await s.get(NAD)).isErr() ? true : undefined), 60_000);

    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect((await s.get<Lease>(LEASE))._unsafeUnwrap().spec?.holderIdentity).toBe('');
    (await s.delete(LEASE))._unsafeUnwrap();
    expect((await s.get(LEASE)).isErr()).toBe(true);
  }, 300_000);
});
