// manifests/webhook.yaml is what webhookManifest.ts renders (regenerate with `pnpm manifests` here), and
// those configurations work: registered in the emulator with the real CA bundle and their Service resolved
// to the operator's webhook server (startOperatorWebhook, as main.ts starts it), a write is refused or
// defaulted by that server over HTTPS.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createKubernetesStore } from '@spiderpool-ts/k8s';
import { type ApiServerEmulator, startApiServerEmulator } from '@spiderpool-ts/k8s/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';
import { type OperatorWebhook, startOperatorWebhook } from './webhook.ts';
import { WEBHOOK_SERVICE, webhookManifestObjects, webhookManifestYaml } from './webhookManifest.ts';

let emulator: ApiServerEmulator | undefined;
let webhook: OperatorWebhook | undefined;
afterAll(async () => {
  await webhook?.close();
  await emulator?.close();
});

describe('manifests/webhook.yaml', () => {
  it('is in step with the generator', () => {
    const path = fileURLToPath(new URL('../manifests/webhook.yaml', import.meta.url));
    expect(readFileSync(path, 'utf8')).toBe(webhookManifestYaml());
  });

  it("registers Spiderpool's five kinds at Spiderpool's paths through the Service on 443", () => {
    const text = webhookManifestYaml();
    for (const kind of [
      'spiderippool',
      'spidersubnet',
      'spiderreservedip',
      'spidermultusconfig',
      'spidercoordinator',
    ]) {
      expect(text).toContain(`/mutate-spiderpool-spidernet-io-v2beta1-${kind}`);
      expect(text).toContain(`/validate-spiderpool-spidernet-io-v2beta1-${kind}`);
    }
    expect(text).toContain('targetPort: 5722');
    expect(text.match(/caBundle: CA_BUNDLE/g)?.length).toBe(10);
  });

  it('through its Service, the emulator calls the operator webhook: a bad pool is refused, a good one defaulted', async () => {
    let port = 0;
    emulator = await startApiServerEmulator({
      webhookServices: (svc) =>
        svc.name === WEBHOOK_SERVICE.name && svc.namespace === WEBHOOK_SERVICE.namespace && svc.port === 443
          ? `https://127.0.0.1:${port}`
          : undefined,
    });
    const store = createKubernetesStore({ kubeConfig: emulator.kubeConfig() })._unsafeUnwrap();
    const parsed = parseArgs(['--port', '0'], {});
    if (!parsed.ok) throw new Error(parsed.error.message);
    webhook = (await startOperatorWebhook(store, parsed.args, () => {}))._unsafeUnwrap();
    port = webhook.server.port;
    const [, mutating, validating] = webhookManifestObjects(webhook.server.caBundle);
    for (const c of [mutating, validating]) (await emulator.store.create(c))._unsafeUnwrap();

    const post = async (name: string, ips: string[]) => {
      const r = await fetch(`${emulator?.url}/apis/spiderpool.spidernet.io/v2beta1/spiderippools`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          apiVersion: 'spiderpool.spidernet.io/v2beta1',
          kind: 'SpiderIPPool',
          metadata: { name },
          spec: { subnet: '10.9.0.0/24', ips },
        }),
      });
      return { status: r.status, body: (await r.json()) as { message?: string; spec?: unknown } };
    };
    const bad = await post('bad', ['10.10.0.1']);
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(/admission webhook "spiderippool\.spiderpool\.spidernet\.io" denied/);
    const good = await post('good', ['10.9.0.9', '10.9.0.2-10.9.0.4']);
    expect(good.status).toBe(201);
    expect(good.body.spec).toMatchObject({ ipVersion: 4, ips: ['10.9.0.2-10.9.0.4', '10.9.0.9'] });
    expect(await webhook.ready()).toBe(true);
  }, 60_000);
});
