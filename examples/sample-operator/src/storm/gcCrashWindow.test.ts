// Found by the storm (storm.process.test.ts): the leading operator SIGKILLed inside a GC pass, after it
// released a deleted Pod's pool records and marked its SpiderEndpoint for deletion but before it stripped the
// finalizer, leaves that endpoint for good. Scan-all is driven by pool records (none left for that Pod), the
// new leader's trace path never saw the Pod's deletion, and `enableCleanOutdatedEndpoint` is off by default;
// the endpoint keeps listing an IP the pool hands to the next Pod (a duplicate IP across endpoints). The same
// happens when the fenced store refuses the strip (a leader whose renewals are slower than its renew
// deadline). Fixed in core: every scan-all pass finishes such a release (packages/core/src/gc/orphanEndpoints.ts);
// the first case failed before the fix (the endpoint was left over) and passes now.
import {
  createIpamEngine,
  DEFAULT_GC_SETTINGS,
  decodeAllocatedIPs,
  type Pod,
  runGcPass,
  type SpiderIPPool,
  type Store,
  storeUnavailable,
} from '@spiderpool-ts/core';
import { type ApiServerEmulator, startApiServerEmulator } from '@spiderpool-ts/k8s/testing';
import { errAsync } from 'neverthrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let emu: ApiServerEmulator | undefined;
beforeAll(async () => {
  emu = await startApiServerEmulator();
});
afterAll(async () => {
  await emu?.close();
});

/** The store as the operator saw it just before SIGKILL: every SpiderEndpoint update fails (never sent). */
const diesBeforeTheStrip = (store: Store): Store =>
  new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'update')
        return (o: { kind: string; metadata: { name: string; namespace?: string } }) =>
          o.kind === 'SpiderEndpoint'
            ? errAsync(storeUnavailable({ kind: o.kind, name: o.metadata.name }, 'process killed'))
            : target.update(o as never);
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });

/** Pod web-1 gets an IP, is deleted, a GC pass dies before the strip, then `recover` passes run; the endpoints left. */
const crashThenRecover = async (
  tag: string,
  subnet: number,
  recover: typeof DEFAULT_GC_SETTINGS,
): Promise<string[]> => {
  if (!emu) throw new Error('no emulator');
  const store = emu.store;
  const ns = `crash-${tag}`;
  (await store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }))._unsafeUnwrap();
  (
    await store.create<SpiderIPPool>({
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderIPPool',
      metadata: { name: `pool-${tag}` },
      spec: { ipVersion: 4, subnet: `10.${subnet}.0.0/16`, ips: [`10.${subnet}.0.1-10.${subnet}.0.9`] },
    })
  )._unsafeUnwrap();
  const pod = (
    await store.create<Pod>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        namespace: ns,
        name: 'web-1',
        annotations: { 'ipam.spidernet.io/ippool': JSON.stringify({ ipv4: [`pool-${tag}`] }) },
      },
      spec: { nodeName: 'n0' },
      status: { phase: 'Running' },
    })
  )._unsafeUnwrap();
  const engine = createIpamEngine({ store, nodeName: 'n0', sleep: async () => {}, random: () => 0.5 });
  (
    await engine.allocate({
      podNamespace: ns,
      podName: 'web-1',
      podUid: pod.metadata.uid ?? '',
      containerID: 'c1',
      ifName: 'eth0',
      ipamConfig: {},
    })
  )._unsafeUnwrap();
  engine.dispose();
  (await store.delete({ kind: 'Pod', namespace: ns, name: 'web-1' }))._unsafeUnwrap();

  const now = () => new Date();
  // op-a's pass: the record goes, the endpoint is marked for deletion, then the process dies.
  await runGcPass(diesBeforeTheStrip(store), { now, settings: DEFAULT_GC_SETTINGS });
  const pool = (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: `pool-${tag}` }))._unsafeUnwrap();
  expect(decodeAllocatedIPs(pool.status?.allocatedIPs)._unsafeUnwrap().size).toBe(0);
  // op-b's passes, on a healthy store.
  for (let i = 0; i < 3; i++) (await runGcPass(store, { now, settings: recover }))._unsafeUnwrap();
  return (await store.list('SpiderEndpoint', { namespace: ns }))
    ._unsafeUnwrap()
    .items.map((e) => e.metadata.name);
};

describe('GC crash window (found by the storm)', () => {
  beforeAll(async () => {
    (await emu?.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n0' } }))?._unsafeUnwrap();
  });

  it('a pass killed between record release and finalizer strip: the next leader reclaims the endpoint', async () => {
    expect(await crashThenRecover('default', 70, DEFAULT_GC_SETTINGS)).toEqual([]);
  });

  it('with enableCleanOutdatedEndpoint the next leader reclaims it (the mitigation the storm ran with)', async () => {
    expect(
      await crashThenRecover('clean', 71, { ...DEFAULT_GC_SETTINGS, enableCleanOutdatedEndpoint: true }),
    ).toEqual([]);
  });
});
