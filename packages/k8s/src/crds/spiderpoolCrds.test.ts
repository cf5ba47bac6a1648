import { readFileSync } from 'node:fs';
import { loadAllYaml } from '@kubernetes/client-node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SPIDERPOOL_GROUP, spiderpoolCRDs } from './spiderpoolCrds.ts';
import { toYaml } from './yaml.ts';

/**
 * Parses YAML with the js-yaml inside client-node: the value is wrapped in an object of a kind client-node
 * does not know, whose unknown fields it keeps as parsed (known kinds would be turned into model classes).
 */
const readYaml = (text: string): unknown => {
  const wrapped = `apiVersion: yaml.test/v1\nkind: Doc\ndoc:\n${text.replace(/^/gm, '  ')}`;
  return (loadAllYaml(wrapped)[0] as { doc: unknown }).doc;
};

const byKind = () => new Map(spiderpoolCRDs().map((c) => [c.spec.names.kind, c]));

describe('Spiderpool CRDs (reference §1)', () => {
  it('names, short names, scope, category and status subresource per kind', () => {
    const rows = spiderpoolCRDs().map((c) => [
      c.metadata.name,
      c.spec.names.shortNames.join(),
      c.spec.scope,
      c.spec.names.categories.join(),
      c.spec.versions[0]?.subresources?.status !== undefined,
    ]);
    expect(rows).toEqual([
      ['spiderippools.spiderpool.spidernet.io', 'sp', 'Cluster', 'spiderpool', true],
      ['spidersubnets.spiderpool.spidernet.io', 'ss', 'Cluster', 'spiderpool', true],
      ['spiderendpoints.spiderpool.spidernet.io', 'se', 'Namespaced', 'spiderpool', false],
      ['spiderreservedips.spiderpool.spidernet.io', 'sr', 'Cluster', 'spiderpool', false],
      ['spidermultusconfigs.spiderpool.spidernet.io', 'smc', 'Namespaced', 'spiderpool', false],
      ['spidercoordinators.spiderpool.spidernet.io', 'scc', 'Cluster', 'spiderpool', true],
    ]);
    for (const c of spiderpoolCRDs()) {
      expect(c.spec.versions).toHaveLength(1);
      expect(c.spec.versions[0]).toMatchObject({ name: 'v2beta1', served: true, storage: true });
    }
  });

  it('printer columns exactly as §1 (wide ones at priority 10)', () => {
    const cols = (kind: string) =>
      (byKind().get(kind)?.spec.versions[0]?.additionalPrinterColumns ?? []).map(
        (c) => `${c.name}:${c.type}:${c.jsonPath}:${c.priority ?? 0}`,
      );
    expect(cols('SpiderIPPool')).toEqual([
      'VERSION:string:.spec.ipVersion:0',
      'SUBNET:string:.spec.subnet:0',
      'ALLOCATED-IP-COUNT:integer:.status.allocatedIPCount:0',
      'TOTAL-IP-COUNT:integer:.status.totalIPCount:0',
      'DEFAULT:boolean:.spec.default:0',
      'DISABLE:boolean:.spec.disable:10',
      'NodeName:string:.spec.nodeName:10',
      'MultusName:string:.spec.multusName:10',
      "APP-NAMESPACE:string:.spec.podAffinity.matchLabels['ipam\\.spidernet\\.io/app\\-namespace']:10",
    ]);
    expect(cols('SpiderSubnet')).toEqual(cols('SpiderIPPool').slice(0, 4));
    expect(cols('SpiderEndpoint').map((c) => c.split(':')[0])).toEqual([
      'INTERFACE',
      'IPV4POOL',
      'IPV4',
      'IPV6POOL',
      'IPV6',
      'NODE',
    ]);
    expect(cols('SpiderReservedIP')).toEqual(['VERSION:string:.spec.ipVersion:0']);
    expect(cols('SpiderMultusConfig')).toEqual([]);
    expect(cols('SpiderCoordinator')).toEqual([]);
  });

  it('schemas carry §1 types, enums and defaults', () => {
    const spec = (kind: string) =>
      byKind().get(kind)?.spec.versions[0]?.schema.openAPIV3Schema.properties?.spec;
    expect(spec('SpiderIPPool')?.required).toEqual(['subnet']);
    expect(spec('SpiderIPPool')?.properties?.ipVersion).toMatchObject({ type: 'integer', enum: [4, 6] });
    expect(spec('SpiderIPPool')?.properties?.default).toEqual({ type: 'boolean', default: false });
    const smc = spec('SpiderMultusConfig')?.properties;
    expect(smc?.cniType?.default).toBe('custom');
    expect(smc?.cniType?.enum).toContain('ib-sriov');
    expect(smc?.enableCoordinator?.default).toBe(true);
    expect(smc?.ibsriov?.properties?.rdmaIsolation?.default).toBe(true);
    expect(smc?.vlan?.properties?.vlanMode).toMatchObject({ enum: ['manual', 'auto'], default: 'manual' });
    const coord = spec('SpiderCoordinator')?.properties;
    expect(coord?.hostRuleTable?.default).toBe(500);
    expect(coord?.mode).toMatchObject({ enum: ['auto', 'underlay', 'overlay', 'disabled'], default: 'auto' });
    expect(coord?.vethMTU?.minimum).toBe(1);
  });

  it('schema details as in the chart: atomic label selectors, no txQueueLen minimum, matchMasterSubnet enum', () => {
    const spec = (kind: string) =>
      byKind().get(kind)?.spec.versions[0]?.schema.openAPIV3Schema.properties?.spec?.properties;
    const podAffinity = spec('SpiderIPPool')?.podAffinity;
    expect(podAffinity?.['x-kubernetes-map-type']).toBe('atomic');
    expect(podAffinity?.properties?.matchExpressions?.['x-kubernetes-list-type']).toBe('atomic');
    expect(
      podAffinity?.properties?.matchExpressions?.items?.properties?.values?.['x-kubernetes-list-type'],
    ).toBe('atomic');
    const coord = spec('SpiderCoordinator');
    expect(coord?.txQueueLen).toEqual({ type: 'integer', default: 0 });
    expect(coord?.vethMTU).toEqual({ type: 'integer', minimum: 1 });
    expect(spec('SpiderMultusConfig')?.sriov?.properties?.ippools?.properties?.matchMasterSubnet).toEqual({
      type: 'boolean',
      default: false,
      enum: [true, false],
    });
    expect(spec('SpiderMultusConfig')?.ovs?.properties?.trunk?.items?.properties?.id).toEqual({
      type: 'integer',
      minimum: 0,
      maximum: 4094,
    });
    const appNs = byKind()
      .get('SpiderIPPool')
      ?.spec.versions[0]?.additionalPrinterColumns?.find((c) => c.name === 'APP-NAMESPACE');
    expect(appNs?.description).toBe('AppNamespace');
  });

  it('the YAML files in crds/ are what spiderpoolCRDs() emits (run `pnpm crds` after a change)', () => {
    for (const c of spiderpoolCRDs()) {
      const file = new URL(`../../crds/${SPIDERPOOL_GROUP}_${c.spec.names.plural}.yaml`, import.meta.url);
      expect(readFileSync(file, 'utf8')).toBe(`---\n${toYaml(c)}`);
    }
  });

  it('YAML reads back (js-yaml via client-node) as the same objects', () => {
    for (const c of spiderpoolCRDs()) expect(readYaml(toYaml(c))).toEqual(c);
  });
});

describe('toYaml', () => {
  it('round-trips arbitrary JSON values (property)', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('true', 'null', '1', '-a', 'a: b', '#x', ' s', 'x-y'));
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(null, true, false, '', 'yes', 'No', '0x1', '1e3', '~', '- x', '"q"'),
        fc.string(),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(key, tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, (v) => {
        expect(readYaml(toYaml(v))).toEqual(v);
      }),
      { numRuns: 300 },
    );
  });
});
