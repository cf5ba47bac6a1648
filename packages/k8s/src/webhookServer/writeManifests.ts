// `pnpm --filter @spiderpool-ts/k8s manifests`: writes packages/k8s/manifests/webhooks.yaml, the webhook
// configurations of a controller Service `spiderpool-controller` in kube-system on port 5722 (Spiderpool's
// chart defaults), Pod resource injection on outside kube-system. The caBundle is left out: set it with
// `renderWebhookConfigurations({ caBundle })`, or let cert-manager's inject-ca-from annotation fill it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { webhookManifestsYaml } from './webhookManifestsYaml.ts';

const dir = fileURLToPath(new URL('../../manifests/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}webhooks.yaml`, webhookManifestsYaml());
console.log(`wrote ${dir}webhooks.yaml`);
