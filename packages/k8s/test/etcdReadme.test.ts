// The EtcdStore example of packages/k8s/README.md, kept runnable (on a real etcd).
import type { KubeObject } from '@spiderpool-ts/core';
import { describe, expect, it } from 'vitest';
import { createEtcdStore, createKubernetesStore, isRequestTooLarge } from '../src/index.ts';
import { startApiServerEmulator, startEtcd } from '../src/testing/index.ts';
import { gateEtcd } from './etcdKit.ts';

describe.skipIf(gateEtcd('README: EtcdStore'))('README: EtcdStore example', () => {
  it('creates at the kube-apiserver key, refuses a value past etcd limit, serves HTTP on etcd', async () => {
    const etcd = await startEtcd();
    const store = createEtcdStore({ endpoints: [etcd.endpoint] });
    try {
      const pool = (
        await store.create<KubeObject & { spec: { subnet: string } }>({
          apiVersion: 'spiderpool.spidernet.io/v2beta1',
          kind: 'SpiderIPPool',
          metadata: { name: 'p' },
          spec: { subnet: '10.6.0.0/16' },
        })
      )._unsafeUnwrap();
      const kv = (
        await store.client.kv.range({ key: Buffer.from('/registry/spiderpool.spidernet.io/spiderippools/p') })
      ).kvs[0];
      expect(pool.metadata.resourceVersion).toBe(kv?.mod_revision);
      const tooBig = await store.update({
        ...pool,
        metadata: { ...pool.metadata, annotations: { x: 'y'.repeat(2 << 20) } },
      });
      expect(tooBig.isErr() && isRequestTooLarge(tooBig.error)).toBe(true);
      const emulator = await startApiServerEmulator({ store });
      const viaHttp = createKubernetesStore({ kubeConfig: emulator.kubeConfig() })._unsafeUnwrap();
      const r = await viaHttp.get({ kind: 'SpiderIPPool', name: 'p' });
      const got = r._unsafeUnwrap();
      expect(got.metadata.resourceVersion).toBe(pool.metadata.resourceVersion);
      await emulator.close();
    } finally {
      store.close();
      await etcd.close();
    }
  }, 30_000);
});
