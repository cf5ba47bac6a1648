import { describe, expect, it } from 'vitest';
import { cniConfError } from './cniNetConf.ts';

const P = 'error parsing configuration: ';

describe('cniConfError (libcni.ConfFromBytes into types.NetConf)', () => {
  it('accepts a plugin conf with a type, ignoring unknown keys', () => {
    expect(cniConfError('{"type":"tuning","sysctl":{"net.core.somaxconn":"4096"}}')).toBeUndefined();
    expect(cniConfError('{"type":"x","ipam":{"type":"host-local"},"dns":{"nameservers":["1.1.1.1"]}}')).toBe(
      undefined,
    );
  });

  it('matches keys case-insensitively, like Go struct decoding', () => {
    expect(cniConfError('{"TYPE":"tuning"}')).toBeUndefined();
    expect(cniConfError('{"Type":"tuning","type":null}')).toBeUndefined();
    expect(cniConfError('{"Capabilities":{"mac":"yes"},"type":"t"}')).toBe(
      `${P}json: cannot unmarshal string into Go struct field NetConf.capabilities of type bool`,
    );
  });

  it('missing or empty type; JSON null decodes to an empty NetConf', () => {
    expect(cniConfError('{"sysctl":{}}')).toBe(`${P}missing 'type'`);
    expect(cniConfError('{"type":""}')).toBe(`${P}missing 'type'`);
    expect(cniConfError('null')).toBe(`${P}missing 'type'`);
  });

  it('refuses a non-object document, naming its JSON kind', () => {
    expect(cniConfError('[]')).toBe(`${P}json: cannot unmarshal array into Go value of type types.NetConf`);
    expect(cniConfError('"x"')).toBe(`${P}json: cannot unmarshal string into Go value of type types.NetConf`);
    expect(cniConfError('nope')).toMatch(/^error parsing configuration: /);
  });

  it('refuses values of the wrong kind in typed fields, the first one in key order', () => {
    expect(cniConfError('{"type":1}')).toBe(
      `${P}json: cannot unmarshal number into Go struct field NetConf.type of type string`,
    );
    expect(cniConfError('{"type":"t","name":true,"cniVersion":1}')).toBe(
      `${P}json: cannot unmarshal bool into Go struct field NetConf.name of type string`,
    );
    expect(cniConfError('{"type":"t","ipam":"host-local"}')).toBe(
      `${P}json: cannot unmarshal string into Go struct field NetConf.ipam of type types.IPAM`,
    );
    expect(cniConfError('{"type":"t","ipam":{"type":5}}')).toBe(
      `${P}json: cannot unmarshal number into Go struct field IPAM.ipam.type of type string`,
    );
    expect(cniConfError('{"type":"t","dns":{"nameservers":[1]}}')).toBe(
      `${P}json: cannot unmarshal number into Go struct field DNS.dns.nameservers of type string`,
    );
    expect(cniConfError('{"type":"t","prevResult":[]}')).toBe(
      `${P}json: cannot unmarshal array into Go struct field NetConf.prevResult of type map[string]interface {}`,
    );
  });
});
