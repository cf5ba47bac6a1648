// The webhook server example of packages/k8s/README.md, kept runnable: against the emulator instead of a
// cluster (kubeconfig from the emulator, a free port, the Service resolved by the emulator's option).
import { createKindRegistry, defaultKindInfos, type SpiderIPPool } from '@spiderpool-ts/core';
import { describe, expect, it } from 'vitest';
import {
  createKubernetesStore,
  generateSelfSignedTls,
  renderWebhookConfigurations,
  startWebhookServer,
  storeLister,
  WEBHOOK_CONFIGURATION_KINDS,
} from '../src/index.ts';
import { startApiServerEmulator } from '../src/testing/index.ts';

describe('README: webhook server example', () => {
  it('registers the webhooks and a pool written through the API server gets defaulted', async () => {
    let base = '';
    const emulator = await startApiServerEmulator({ webhookServices: () => base });
    try {
      const tls = (
        await generateSelfSignedTls({ hosts: ['spiderpool-controller.kube-system.svc', '127.0.0.1'] })
      )._unsafeUnwrap();
      const kinds = createKindRegistry([...defaultKindInfos, ...WEBHOOK_CONFIGURATION_KINDS]);
      const store = createKubernetesStore({ kubeConfig: emulator.kubeConfig(), kinds })._unsafeUnwrap();
      const server = (await startWebhookServer({ tls, lister: storeLister(store), port: 0 }))._unsafeUnwrap();
      base = server.url;
      const [mutating, validating] = renderWebhookConfigurations({
        caBundle: server.caBundle,
        service: { name: 'spiderpool-controller', namespace: 'kube-system', port: 5722 },
        podResourceInject: { namespacesExclude: ['kube-system'] },
      });
      (await store.create(mutating))._unsafeUnwrap();
      (await store.create(validating))._unsafeUnwrap();
      const pool = (
        await store.create<SpiderIPPool>({
          apiVersion: 'spiderpool.spidernet.io/v2beta1',
          kind: 'SpiderIPPool',
          metadata: { name: 'readme' },
          spec: { subnet: '10.40.0.0/24', ips: ['10.40.0.10'] },
        })
      )._unsafeUnwrap();
      expect(pool.spec.ipVersion).toBe(4);
      expect(pool.metadata.finalizers).toEqual(['spiderpool.spidernet.io']);
      await server.close();
    } finally {
      await emulator.close();
    }
  });
});
