import { describe, expect, it } from 'vitest';
import type { AddAnswer } from '../agent/protocol.ts';
import { buildCniResult } from './result.ts';
import { SUPPORTED_CNI_VERSIONS } from './version.ts';

const dual: AddAnswer = {
  interface: 'eth0',
  ips: [
    { version: 4, address: '10.20.168.190/16', gateway: '10.20.0.1' },
    { version: 6, address: 'fd00::190/64', gateway: 'fd00::1' },
  ],
  routes: [{ dst: '0.0.0.0/0', gw: '10.20.0.1' }, { dst: '::/0', gw: 'fd00::1' }, { dst: '172.16.0.0/16' }],
};

describe('buildCniResult', () => {
  it.each(['0.3.0', '0.3.1', '0.4.0'] as const)('%s: ips carry version "4"/"6", no interface index', (v) => {
    expect(JSON.stringify(buildCniResult(v, dual))).toBe(
      JSON.stringify({
        cniVersion: v,
        ips: [
          { version: '4', address: '10.20.168.190/16', gateway: '10.20.0.1' },
          { version: '6', address: 'fd00::190/64', gateway: 'fd00::1' },
        ],
        routes: [
          { dst: '0.0.0.0/0', gw: '10.20.0.1' },
          { dst: '::/0', gw: 'fd00::1' },
          { dst: '172.16.0.0/16' },
        ],
        dns: {},
      }),
    );
  });

  it('1.0.0: no ips[].version', () => {
    const r = buildCniResult('1.0.0', dual);
    expect(r.ips).toEqual([
      { address: '10.20.168.190/16', gateway: '10.20.0.1' },
      { address: 'fd00::190/64', gateway: 'fd00::1' },
    ]);
    expect(r.cniVersion).toBe('1.0.0');
  });

  it.each(SUPPORTED_CNI_VERSIONS)('%s: with interfaces, every IP points at the interface index', (v) => {
    const r = buildCniResult(v, dual, {
      interfaces: [{ name: 'eth0', mac: '0a:1b:0a:14:a8:be', sandbox: '/var/run/netns/p' }],
    });
    expect(r.interfaces).toHaveLength(1);
    expect(r.ips.map((ip) => ip.interface)).toEqual([0, 0]);
    expect(JSON.stringify(r.ips[0])).toMatch(
      v === '1.0.0' || v === '1.1.0' ? /^\{"interface":0,/ : /^\{"version":"4","interface":0,/,
    );
    expect(
      buildCniResult(v, dual, { interfaces: [{ name: 'a' }, { name: 'b' }], interfaceIndex: 0 }).ips[1]
        ?.interface,
    ).toBe(0);
  });

  it('an empty gateway is left out (cleanGateway pools)', () => {
    const r = buildCniResult('0.4.0', {
      interface: 'net1',
      ips: [{ version: 4, address: '10.1.0.5/24', gateway: '' }],
      routes: [],
    });
    expect(r.ips).toEqual([{ version: '4', address: '10.1.0.5/24' }]);
  });

  it('leaves out an empty routes list and the gw of an on-link route (libcni omitempty)', () => {
    const none = buildCniResult('1.0.0', {
      interface: 'net1',
      ips: [{ version: 4, address: '10.1.0.5/24' }],
      routes: [],
    });
    expect(JSON.stringify(none)).toBe('{"cniVersion":"1.0.0","ips":[{"address":"10.1.0.5/24"}],"dns":{}}');
    const onLink = buildCniResult('0.4.0', {
      interface: 'net1',
      ips: [{ version: 4, address: '10.1.0.5/24' }],
      routes: [{ dst: '172.16.0.0/16', gw: '' }],
    });
    expect(JSON.stringify(onLink.routes)).toBe('[{"dst":"172.16.0.0/16"}]');
  });
});
