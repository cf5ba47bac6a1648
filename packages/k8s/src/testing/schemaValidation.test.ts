import { describe, expect, it } from 'vitest';
import { spiderpoolCRDs } from '../crds/spiderpoolCrds.ts';
import { validateAgainstSchema } from './schemaValidation.ts';

const schemaOf = (kind: string) => {
  const s = spiderpoolCRDs().find((c) => c.spec.names.kind === kind)?.spec.versions[0]?.schema
    .openAPIV3Schema;
  if (!s) throw new Error(kind);
  return s;
};

describe('validateAgainstSchema', () => {
  const pool = (spec: Record<string, unknown>) => ({
    apiVersion: 'x',
    kind: 'SpiderIPPool',
    metadata: {},
    spec,
  });

  it('accepts the seed pool with multusName as a list', () => {
    const ok = pool({
      subnet: '10.20.0.0/16',
      ips: ['10.20.168.190-10.20.168.199'],
      multusName: ['kube-system/sriov-test'],
    });
    expect(validateAgainstSchema(schemaOf('SpiderIPPool'), ok)).toEqual([]);
  });

  it('refuses the seed scalar multusName, a bad enum, a missing required field and out-of-range numbers', () => {
    const errs = validateAgainstSchema(
      schemaOf('SpiderIPPool'),
      pool({ multusName: 'kube-system/sriov-test', ipVersion: 5, routes: [{ dst: '1.0.0.0/8' }] }),
    );
    expect(errs).toEqual([
      'spec.subnet: Required value',
      'spec.multusName: Invalid value: "string": spec.multusName in body must be of type array: "string"',
      'spec.ipVersion: Unsupported value: 5: supported values: 4, 6',
      'spec.routes[0].gw: Required value',
    ]);
    const smc = {
      apiVersion: 'x',
      kind: 'SpiderMultusConfig',
      metadata: {},
      spec: { sriov: { vlanID: 5000 } },
    };
    expect(validateAgainstSchema(schemaOf('SpiderMultusConfig'), smc)).toEqual([
      'spec.sriov.vlanID: Invalid value: 5000: spec.sriov.vlanID in body should be less than or equal to 4094',
    ]);
  });
});
