import { describe, expect, it } from 'vitest';
import { parseSriovNetConf } from './netconf.ts';

// What Spiderpool's NAD renders for cniType sriov (reference §4), with the deviceID Multus adds.
const nad = {
  cniVersion: '0.3.1',
  name: 'sriov-test',
  vlan: 100,
  min_tx_rate: 100,
  max_tx_rate: 1000,
  type: 'sriov',
  deviceID: '0000:04:00.2',
  ipam: { type: 'spiderpool', default_ipv4_ippool: ['vf-pool-v4'], match_master_subnet: true },
};
const parse = (v: unknown) => parseSriovNetConf(JSON.stringify(v));

describe('parseSriovNetConf', () => {
  it('reads the NAD-rendered config and keeps ipam as given', () => {
    expect(parse(nad)._unsafeUnwrap()).toEqual({ ...nad, type: undefined });
  });
  it('runtimeConfig.deviceID / mac win over the static fields; 1.1.0 is accepted', () => {
    const c = parse({
      ...nad,
      cniVersion: '1.1.0',
      runtimeConfig: { deviceID: '0000:04:00.3', mac: '0a:00:00:00:00:01' },
    });
    expect(c._unsafeUnwrap()).toMatchObject({
      cniVersion: '1.1.0',
      deviceID: '0000:04:00.3',
      mac: '0a:00:00:00:00:01',
    });
  });
  it.each([
    [{ ...nad, vlan: '100' }, 6, 'vlan'],
    [{ ...nad, mtu: 1.5 }, 6, 'mtu'],
    [{ ...nad, vlan: 4095 }, 7, 'vlan'],
    [{ ...nad, spoofchk: 'yes' }, 7, 'spoofchk'],
    [{ ...nad, min_tx_rate: 2000 }, 7, 'min_tx_rate'],
    [{ ...nad, deviceID: 'eth0' }, 7, 'deviceID'],
    [{ ...nad, ipam: undefined }, 7, 'ipam'],
    [{ ...nad, ipam: { type: '' } }, 7, 'ipam.type'],
    [{ ...nad, cniVersion: '0.2.0' }, 1, undefined],
  ])('%j -> code %i on %s', (conf, code, field) => {
    const e = parse(conf)._unsafeUnwrapErr();
    expect({ IncompatibleVersion: 1, DecodeFailure: 6, InvalidNetConf: 7 }[e._tag as string]).toBe(code);
    if (field !== undefined && 'field' in e) expect(e.field).toBe(field);
  });
});
