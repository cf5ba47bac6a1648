import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sriovCRDs } from './sriovCrds.ts';
import { toYaml } from './yaml.ts';

describe('sriov-network-operator CRDs', () => {
  it('names, scope, status subresource and printer columns', () => {
    expect(
      sriovCRDs().map((c) => [
        c.metadata.name,
        c.spec.scope,
        c.spec.versions[0]?.subresources?.status !== undefined,
      ]),
    ).toEqual([
      ['sriovnetworknodepolicies.sriovnetwork.openshift.io', 'Namespaced', true],
      ['sriovnetworknodestates.sriovnetwork.openshift.io', 'Namespaced', true],
    ]);
    const state = sriovCRDs()[1]?.spec.versions[0];
    expect(state?.additionalPrinterColumns?.map((c) => c.name)).toEqual([
      'SYNC STATUS',
      'PF',
      'NUMVFS',
      'TOTALVFS',
      'LAST SYNC ERROR',
      'AGE',
    ]);
    const spec = sriovCRDs()[0]?.spec.versions[0]?.schema.openAPIV3Schema.properties?.spec?.properties;
    expect(spec?.priority).toMatchObject({ minimum: 0, maximum: 99 });
    expect(spec?.deviceType).toMatchObject({ enum: ['netdevice', 'vfio-pci'], default: 'netdevice' });
    expect(spec?.numVfs).toMatchObject({ minimum: 0 });
    expect(spec?.mtu).toMatchObject({ minimum: 1 });
  });

  it('the YAML files in crds/ are what sriovCRDs() emits (run `pnpm crds` after a change)', () => {
    for (const c of sriovCRDs()) {
      const file = new URL(`../../crds/${c.spec.group}_${c.spec.names.plural}.yaml`, import.meta.url);
      expect(readFileSync(file, 'utf8')).toBe(`---\n${toYaml(c)}`);
    }
  });
});
