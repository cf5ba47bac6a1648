// Auto-pools of third-party controllers (an OpenKruise CloneSet): made at the Pod's first ADD with the
// annotation's fixed IP number, reused by the other Pods, refused without a fixed number, left alone by the
// auto-pool controller, and kept (reused) when the application is re-created.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/index.ts';
import { LABEL_IPPOOL_OWNER_APP_KIND, LABEL_IPPOOL_RECLAIM } from '../api/index.ts';
import { autoPoolName, createIpamEngine, topController } from '../ipam/index.ts';
import { runAutoPoolController } from './autoPoolController.ts';
import { autoPoolWorld, IP_NUMBER_ANNO, SUBNET_ANNO, subnetObject } from './autoPoolTestKit.ts';
import {
  isThirdPartyController,
  reconcileThirdPartyPools,
  withThirdPartyAutoPools,
} from './autoPoolThirdParty.ts';

const noSleep = { sleep: () => Promise.resolve(), random: () => 0.5 };
const CLONESET = { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'web' };
const UID = '6f1c2a3b-0000-4000-8000-028d6aaaaaaa';

const clonePod = (name: string, annotations: Record<string, string>, uid = UID): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    namespace: 'default',
    name,
    annotations,
    ownerReferences: [{ ...CLONESET, uid, controller: true }],
  },
  spec: { nodeName: 'node-1' },
  status: { phase: 'Running' },
});

const req = (podName: string) => ({
  podNamespace: 'default',
  podName,
  containerID: `c-${podName}`,
  ifName: 'eth0',
  ipamConfig: {},
});

const FIVE = { [SUBNET_ANNO]: '{"ipv4":["s4"]}', [IP_NUMBER_ANNO]: '5' };

const world = async () => {
  const w = autoPoolWorld();
  await w.create(subnetObject('s4', '10.1.0.0/24', ['10.1.0.10-10.1.0.50'], { gateway: '10.1.0.1' }));
  const engine = withThirdPartyAutoPools(
    createIpamEngine({ store: w.store, nodeName: 'node-1', ...noSleep }),
    w.store,
  );
  return { w, engine };
};

describe('third-party controllers', () => {
  it('tells native workloads from third-party ones as Spiderpool does', () => {
    expect(isThirdPartyController({ apiVersion: 'apps/v1', kind: 'Deployment' })).toBe(false);
    expect(isThirdPartyController({ apiVersion: 'batch/v1', kind: 'Job' })).toBe(false);
    expect(isThirdPartyController({ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet' })).toBe(true);
    // a known kind name under another group is third-party too
    expect(isThirdPartyController({ apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet' })).toBe(true);
  });

  it("the first ADD makes the CloneSet's auto-pool with the fixed IP number; the next Pods use it", async () => {
    const { w, engine } = await world();
    await w.create(clonePod('web-a', FIVE));
    await w.create(clonePod('web-b', FIVE));
    const a = await engine.allocate(req('web-a'));
    expect(a.isOk()).toBe(true);
    const name = autoPoolName(4, 'web', 'eth0', UID);
    expect(name).toBe('auto4-web-eth0-028d6');
    const pool = await w.pool(name);
    expect(pool?.spec.ips).toEqual(['10.1.0.10-10.1.0.14']);
    expect(pool?.metadata.labels).toMatchObject({
      [LABEL_IPPOOL_OWNER_APP_KIND]: 'CloneSet',
      'ipam.spidernet.io/owner-application-gv': 'apps.kruise.io_v1alpha1',
      [LABEL_IPPOOL_RECLAIM]: 'false',
    });
    expect(pool?.metadata.annotations?.[IP_NUMBER_ANNO]).toBe('5');
    expect((await w.controlled('s4')).get(name)?.ips).toEqual(['10.1.0.10-10.1.0.14']);
    const ipA = a._unsafeUnwrap().ips[0]?.address;
    expect(ipA).toBe('10.1.0.10/24');

    const b = await engine.allocate(req('web-b'));
    expect(b._unsafeUnwrap().ips[0]?.address).toBe('10.1.0.11/24');
    expect((await w.pools()).filter((p) => p.metadata.name.startsWith('auto'))).toHaveLength(1);
  });

  it('refuses a flexible or missing IP number and writes nothing', async () => {
    const { w, engine } = await world();
    await w.create(clonePod('flex', { [SUBNET_ANNO]: '{"ipv4":["s4"]}', [IP_NUMBER_ANNO]: '+2' }));
    await w.create(clonePod('none', { [SUBNET_ANNO]: '{"ipv4":["s4"]}' }));
    for (const pod of ['flex', 'none']) {
      const e = (await engine.allocate(req(pod)))._unsafeUnwrapErr();
      expect(e._tag).toBe('AutoPoolNotReady');
      expect(e.message).toMatch(/only supports fixed auto-created IPPool IP Number/);
    }
    expect(await w.pools()).toEqual([]);
    expect((await w.controlled('s4')).size).toBe(0);
  });

  it('leaves native applications to the auto-pool controller', async () => {
    const { w, engine } = await world();
    const pod: Pod = {
      ...clonePod('rs-pod', FIVE),
      metadata: {
        namespace: 'default',
        name: 'rs-pod',
        annotations: FIVE,
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true },
        ],
      },
    };
    await w.create(pod);
    expect((await engine.allocate(req('rs-pod')))._unsafeUnwrapErr()._tag).toBe('AutoPoolNotReady');
    expect(await w.pools()).toEqual([]);
    const r = await reconcileThirdPartyPools(w.store, pod, topController(pod));
    expect(r._unsafeUnwrap()).toEqual({ _tag: 'Skipped', reason: 'NotThirdParty' });
  });

  it('the auto-pool controller neither scales nor deletes it; a re-created CloneSet reuses it', async () => {
    const { w, engine } = await world();
    await w.create(clonePod('web-a', FIVE));
    expect((await engine.allocate(req('web-a'))).isOk()).toBe(true);
    const name = autoPoolName(4, 'web', 'eth0', UID);

    const ac = new AbortController();
    const changed: string[] = [];
    const handle = (
      await runAutoPoolController(w.store, {
        signal: ac.signal,
        onOutcome: (app) => changed.push(app.kind),
        onError: (app) => changed.push(`error ${app.kind}`),
      })
    )._unsafeUnwrap();
    // pool events (records written and released): no reconcile of a CloneSet, which it cannot read
    (await w.store.delete({ kind: 'Pod', namespace: 'default', name: 'web-a' }))._unsafeUnwrap();
    await w.create(clonePod('web-c', FIVE, '11111111-0000-4000-8000-0bbbbbbbbbbb'));
    // the CloneSet was deleted and re-created (new UID): its Pod reuses the kept pool
    const c = await engine.allocate(req('web-c'));
    expect(c.isOk()).toBe(true);
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 1));
      await handle.idle();
    }
    ac.abort();
    expect(changed).toEqual([]);
    const pools = (await w.pools()).filter((p) => p.metadata.name.startsWith('auto'));
    expect(pools.map((p) => p.metadata.name)).toEqual([name]);
    // reused as it is (found by name, kind and namespace; reclaim=false matches any UID), not re-made
    expect(pools[0]?.metadata.labels?.['ipam.spidernet.io/owner-application-uid']).toBe(UID);
    expect(pools[0]?.spec.ips).toEqual(['10.1.0.10-10.1.0.14']);
  });
});
