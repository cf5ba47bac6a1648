// KubernetesStore beyond the contract: transport failures, answers that are Status objects, PUT without a
// resourceVersion as read + CAS, and the contract against a real cluster when asked for explicitly.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject, ObjectRef, Store } from '@spiderpool-ts/core';
import { describeStoreContract } from '@spiderpool-ts/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesStore } from '../src/index.ts';
import { type ApiServerEmulator, kubeConfigFor, startApiServerEmulator } from '../src/testing/index.ts';

interface PoolFixture extends KubeObject {
  spec: { subnet: string };
}

const pool = (name: string): PoolFixture => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: { name },
  spec: { subnet: '10.8.0.0/16' },
});

describe('KubernetesStore', () => {
  let emu: ApiServerEmulator;
  beforeAll(async () => {
    emu = await startApiServerEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  it('a server that does not answer is Unavailable, for requests and for watches', async () => {
    const dead = await startApiServerEmulator();
    const url = dead.url;
    await dead.close();
    const store = createKubernetesStore({ kubeConfig: kubeConfigFor(url) })._unsafeUnwrap();
    const got = await store.get({ kind: 'SpiderIPPool', name: 'x' });
    expect(got._unsafeUnwrapErr()).toMatchObject({ _tag: 'Unavailable', kind: 'SpiderIPPool', name: 'x' });
    const events: string[] = [];
    const handle = await store.watch('SpiderIPPool', {}, (e) =>
      events.push(e.type === 'ERROR' ? e.error._tag : e.type),
    );
    expect(handle.isOk()).toBe(true);
    await expect.poll(() => events).toEqual(['Unavailable']);
  });

  it('a 200 whose body is not a JSON object is Unavailable, not an empty object', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>proxy login</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const store = createKubernetesStore({ kubeConfig: kubeConfigFor(url) })._unsafeUnwrap();
      const got = await store.get({ kind: 'SpiderIPPool', name: 'x' });
      expect(got._unsafeUnwrapErr()).toMatchObject({ _tag: 'Unavailable', name: 'x' });
      expect((await store.list('SpiderIPPool'))._unsafeUnwrapErr()._tag).toBe('Unavailable');
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  });

  it('an unconditional update reads the current version and writes with it (the API server needs one)', async () => {
    const store = createKubernetesStore({ kubeConfig: emu.kubeConfig() })._unsafeUnwrap();
    const created = (await store.create(pool('ks-blind')))._unsafeUnwrap();
    const { resourceVersion: _rv, ...meta } = created.metadata;
    const updated = (
      await store.update({ ...created, metadata: meta, spec: { subnet: '10.9.0.0/16' } })
    )._unsafeUnwrap();
    expect(updated.spec.subnet).toBe('10.9.0.0/16');
    const puts = emu.requests.filter((r) => r.startsWith('PUT') && r.includes('ks-blind'));
    expect(puts).toHaveLength(1);
  });

  it('a watch the server ends cleanly is resumed from the last resourceVersion, without gaps or repeats', async () => {
    const store = createKubernetesStore({ kubeConfig: emu.kubeConfig() })._unsafeUnwrap();
    const start = (await store.list('SpiderSubnet'))._unsafeUnwrap().resourceVersion;
    const seen: string[] = [];
    const handle = (
      await store.watch('SpiderSubnet', { resourceVersion: start }, (e) =>
        seen.push(
          e.type === 'ERROR'
            ? `ERROR ${e.error._tag}`
            : e.type === 'BOOKMARK'
              ? 'BOOKMARK'
              : `${e.type} ${e.object.metadata.name}`,
        ),
      )
    )._unsafeUnwrap();
    const subnet = (name: string): PoolFixture => ({
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderSubnet',
      metadata: { name },
      spec: { subnet: '10.40.0.0/16' },
    });
    const a = (await store.create(subnet('ks-resume-a')))._unsafeUnwrap();
    await expect.poll(() => seen).toEqual(['ADDED ks-resume-a']);
    expect(emu.dropWatches()).toBe(1);
    (await store.create(subnet('ks-resume-b')))._unsafeUnwrap();
    await expect.poll(() => seen).toEqual(['ADDED ks-resume-a', 'ADDED ks-resume-b']);
    const watches = emu.requests.filter((r) => r.includes('/spidersubnets?') && r.includes('watch=true'));
    expect(watches).toHaveLength(2);
    expect(watches[1]).toContain(`resourceVersion=${a.metadata.resourceVersion ?? '?'}`);
    handle.close();
  });

  it('a watch the server refuses as a bad request is Err Invalid, not an event', async () => {
    const store = createKubernetesStore({ kubeConfig: emu.kubeConfig() })._unsafeUnwrap();
    const bad = await store.watch('SpiderIPPool', { resourceVersion: 'not-a-version' }, () => {});
    expect(bad._unsafeUnwrapErr()._tag).toBe('Invalid');
  });

  it('sends the label selector as query text and finds objects by it', async () => {
    const store = createKubernetesStore({ kubeConfig: emu.kubeConfig() })._unsafeUnwrap();
    const p = pool('ks-sel');
    (await store.create({ ...p, metadata: { ...p.metadata, labels: { tier: 'gold' } } }))._unsafeUnwrap();
    const list = await store.list('SpiderIPPool', {
      labelSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['gold', 'silver'] }] },
    });
    expect(list._unsafeUnwrap().items.map((i) => i.metadata.name)).toEqual(['ks-sel']);
    expect(emu.requests.some((r) => r.includes('labelSelector=tier+in+%28gold%2Csilver%29'))).toBe(true);
  });
});

// The contract against a real cluster: only when asked for (it creates and deletes objects there).
const real = process.env.SPIDERPOOL_TS_REAL_CLUSTER === '1' && process.env.KUBECONFIG;
if (!real) {
  console.log(
    'real-cluster Store contract skipped: set KUBECONFIG and SPIDERPOOL_TS_REAL_CLUSTER=1 (needs the Spiderpool CRDs, namespaces "default" and "default-other")',
  );
}
/** Objects the suite created in the real cluster, removed after each test (finalizers dropped first). */
const created: ObjectRef[] = [];
const recording = (store: Store): Store =>
  new Proxy(store, {
    get(target, prop, receiver) {
      if (prop !== 'create') return Reflect.get(target, prop, receiver);
      return <T extends KubeObject>(o: T) =>
        target.create(o).map((made) => {
          const { name, namespace } = made.metadata;
          created.push({ kind: made.kind, name, ...(namespace ? { namespace } : {}) });
          return made;
        });
    },
  });
const removeCreated = async (store: Store): Promise<void> => {
  for (const ref of created.splice(0)) {
    const got = await store.get(ref);
    if (got.isOk() && (got.value.metadata.finalizers ?? []).length > 0) {
      await store.update({ ...got.value, metadata: { ...got.value.metadata, finalizers: [] } });
    }
    await store.delete(ref);
  }
};
describe.skipIf(!real)('real cluster', () => {
  describeStoreContract('KubernetesStore -> $KUBECONFIG', {
    makeStore: () =>
      recording(createKubernetesStore({ kubeConfig: process.env.KUBECONFIG ?? '' })._unsafeUnwrap()),
    cleanup: removeCreated,
    watchTimeoutMs: 15_000,
  });
});
