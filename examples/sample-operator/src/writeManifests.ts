// `pnpm --filter @spiderpool-ts/sample-operator manifests`: rewrites manifests/webhook.yaml.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { webhookManifestYaml } from './webhookManifest.ts';

const path = fileURLToPath(new URL('../manifests/webhook.yaml', import.meta.url));
writeFileSync(path, webhookManifestYaml());
console.log(`wrote ${path}`);
