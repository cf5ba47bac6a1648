// `pnpm --filter @spiderpool-ts/k8s crds`: writes one YAML file per CRD into packages/k8s/crds/
// (named like Spiderpool's chart: spiderpool.spidernet.io_<plural>.yaml).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SPIDERPOOL_GROUP, spiderpoolCRDs } from './spiderpoolCrds.ts';
import { toYaml } from './yaml.ts';

const dir = fileURLToPath(new URL('../../crds/', import.meta.url));
mkdirSync(dir, { recursive: true });
for (const crd of spiderpoolCRDs()) {
  const file = `${dir}${SPIDERPOOL_GROUP}_${crd.spec.names.plural}.yaml`;
  writeFileSync(file, `---\n${toYaml(crd)}`);
  console.log(`wrote ${file}`);
}
