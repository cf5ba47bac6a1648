// `pnpm --filter @spiderpool-ts/k8s crds`: writes one YAML file per CRD into packages/k8s/crds/
// (named like the charts: <group>_<plural>.yaml): Spiderpool's six, spiderpool-ts's SpiderIPBlock and
// sriov-network-operator's two.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spiderpoolCRDs } from './spiderpoolCrds.ts';
import { spiderpoolTsCRDs } from './spiderpoolTsCrds.ts';
import { sriovCRDs } from './sriovCrds.ts';
import { toYaml } from './yaml.ts';

const dir = fileURLToPath(new URL('../../crds/', import.meta.url));
mkdirSync(dir, { recursive: true });
for (const crd of [...spiderpoolCRDs(), ...spiderpoolTsCRDs(), ...sriovCRDs()]) {
  const file = `${dir}${crd.spec.group}_${crd.spec.names.plural}.yaml`;
  writeFileSync(file, `---\n${toYaml(crd)}`);
  console.log(`wrote ${file}`);
}
