// EtcdStore beyond the contract: kube-apiserver's key layout and values, resourceVersion = mod revision,
// CAS races between stores, Gone after compaction, etcd's request-size limit, an unreachable etcd.
import type { KubeObject } from '@spiderpool-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtcdStore, type EtcdStore, isRequestTooLarge } from '../src/index.ts';
import { type EtcdProcess, startEtcd } from '../src/testing/index.ts';
import { gateEtcd } from './etcdKit.ts';

const SP = 'spiderpool.spidernet.io/v2beta1';
const skip = gateEtcd('EtcdStore');
let seq = 0;
const unique = (p: string): string => `${p}-${process.pid}-${++seq}`;

const pool = (name: string, extra: Record<string, unknown> = {}): KubeObject & { spec: unknown } => ({
  apiVersion: SP,
  kind: 'SpiderIPPool',
  metadata: { name },
  spec: { subnet: '10.6.0.0/16', ips: ['10.6.0.10-10.6.0.20'] },
  ...extra,
});

const rawGet = async (store: EtcdStore, key: string) =>
  (await store.client.kv.range({ key: Buffer.from(key) })).kvs[0];

describe.skipIf(skip)('EtcdStore on a real etcd', () => {
  let etcd: EtcdProcess | undefined;
  let store: EtcdStore;
  beforeAll(async () => {
    etcd = await startEtcd();
    store = createEtcdStore({ endpoints: [etcd.endpoint] });
  }, 30_000);
  afterAll(async () => {
    store?.close();
    await etcd?.close();
  });

  it("stores under kube-apiserver's keys, JSON without resourceVersion, which is the mod revision", async () => {
    const p = (await store.create(pool(unique('p'))))._unsafeUnwrap();
    const podName = unique('pod');
    const pod = (
      await store.create<KubeObject>({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: podName, namespace: 'default' },
      })
    )._unsafeUnwrap();
    const depName = unique('d');
    await store.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: depName, namespace: 'ns1' },
    });

    const kv = await rawGet(store, `/registry/spiderpool.spidernet.io/spiderippools/${p.metadata.name}`);
    expect(kv?.mod_revision).toBe(p.metadata.resourceVersion);
    const value: unknown = JSON.parse(kv?.value.toString('utf8') ?? 'null');
    expect(value).toMatchObject({
      kind: 'SpiderIPPool',
      metadata: { name: p.metadata.name, uid: p.metadata.uid },
    });
    expect(value).not.toHaveProperty('metadata.resourceVersion');
    expect((await rawGet(store, `/registry/pods/default/${podName}`))?.mod_revision).toBe(
      pod.metadata.resourceVersion,
    );
    expect(await rawGet(store, `/registry/deployments/ns1/${depName}`)).toBeDefined();

    const list = (await store.list('SpiderIPPool'))._unsafeUnwrap();
    const header = (await store.client.kv.range({ key: Buffer.from('/none') })).header.revision;
    expect(list.resourceVersion).toBe(header);
  });

  it('concurrent writers from two stores: one CAS wins, unconditional updates all land', async () => {
    if (!etcd) throw new Error('etcd not started');
    const other = createEtcdStore({ endpoints: [etcd.endpoint] });
    try {
      const p = (await store.create(pool(unique('race'))))._unsafeUnwrap();
      const [a, b] = await Promise.all([
        store.update({ ...p, spec: { subnet: '10.6.0.0/16', ips: ['10.6.0.1'] } }),
        other.update({ ...p, spec: { subnet: '10.6.0.0/16', ips: ['10.6.0.2'] } }),
      ]);
      expect([a.isOk(), b.isOk()].sort()).toEqual([false, true]);
      const loser = a.isErr() ? a.error : b.isErr() ? b.error : undefined;
      expect(loser?._tag).toBe('Conflict');

      const { resourceVersion: _rv, ...meta } = p.metadata;
      const writes = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 ? store : other).update<KubeObject>({
            ...p,
            metadata: { ...meta, labels: { n: String(i) } },
          }),
        ),
      );
      const rvs = writes.map((w) => w._unsafeUnwrap().metadata.resourceVersion);
      expect(new Set(rvs).size).toBe(12);
    } finally {
      other.close();
    }
  });

  it('a watch from a revision that compact() removed ends in ERROR Gone', async () => {
    const first = (await store.create(pool(unique('c'))))._unsafeUnwrap();
    let current = first;
    for (let i = 0; i < 3; i++) {
      current = (
        await store.update({ ...current, metadata: { ...current.metadata, labels: { i: String(i) } } })
      )._unsafeUnwrap();
    }
    (await store.compact(Number(current.metadata.resourceVersion)))._unsafeUnwrap();
    const events: string[] = [];
    const handle = (
      await store.watch('SpiderIPPool', { resourceVersion: first.metadata.resourceVersion ?? '' }, (e) =>
        events.push(e.type === 'ERROR' ? `ERROR ${e.error._tag}` : e.type),
      )
    )._unsafeUnwrap();
    await expect.poll(() => events, { timeout: 5000 }).toEqual(['ERROR Gone']);
    handle.close();
  });

  it('an unreachable etcd is Unavailable within the deadline', async () => {
    const dead = createEtcdStore({ endpoints: ['http://127.0.0.1:1'], timeoutMs: 500 });
    try {
      const started = Date.now();
      const r = await dead.get({ kind: 'SpiderIPPool', name: 'x' });
      expect(r.isErr() && r.error._tag).toBe('Unavailable');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      dead.close();
    }
  });
});

describe.skipIf(skip)("etcd's request-size limit (--max-request-bytes=4096)", () => {
  let etcd: EtcdProcess | undefined;
  let store: EtcdStore;
  beforeAll(async () => {
    etcd = await startEtcd({ maxRequestBytes: 4096 });
    store = createEtcdStore({ endpoints: [etcd.endpoint] });
  }, 30_000);
  afterAll(async () => {
    store?.close();
    await etcd?.close();
  });

  it('a value past the limit is RequestTooLarge and changes nothing', async () => {
    const big = { note: 'x'.repeat(8192) };
    const name = unique('big');
    const refused = await store.create(pool(name, { metadata: { name, annotations: big } }));
    expect(refused.isErr() && isRequestTooLarge(refused.error)).toBe(true);
    if (refused.isErr() && isRequestTooLarge(refused.error))
      expect(refused.error.bytes).toBeGreaterThan(8192);
    expect((await store.get({ kind: 'SpiderIPPool', name }))._unsafeUnwrapErr()._tag).toBe('NotFound');

    const small = (await store.create(pool(unique('small'))))._unsafeUnwrap();
    const grown = await store.update({ ...small, metadata: { ...small.metadata, annotations: big } });
    expect(grown.isErr() && isRequestTooLarge(grown.error)).toBe(true);
    const after = (await store.get({ kind: 'SpiderIPPool', name: small.metadata.name }))._unsafeUnwrap();
    expect(after).toEqual(small);

    // Past gRPC's receive limit too (RESOURCE_EXHAUSTED): refused once, and the client stays usable.
    const huge = await store.update({
      ...small,
      metadata: { ...small.metadata, annotations: { x: 'y'.repeat(1 << 20) } },
    });
    expect(huge.isErr() && isRequestTooLarge(huge.error)).toBe(true);
    expect((await store.get({ kind: 'SpiderIPPool', name: small.metadata.name }))._unsafeUnwrap()).toEqual(
      small,
    );
  });
});
