import { describe, expect, it } from 'vitest';
import { parseCIDR } from '../ip/index.ts';
import {
  isMultipleNicWithNoName,
  normalizePodIPPools,
  parseNamespaceDefaultPools,
  parsePodIPPoolAnnotation,
  parsePodIPPoolsAnnotation,
} from './annotations.ts';
import { groupPodRoutes, parsePodRoutesAnnotation, podRoutes } from './annotationsRoutes.ts';
import { mkNamespace, mkPod } from './candidatesTestKit.ts';

describe('parsePodIPPoolAnnotation', () => {
  it('reads both families; absent or null lists are empty', () => {
    expect(parsePodIPPoolAnnotation('{"ipv4":["p1","p2*"]}')._unsafeUnwrap()).toEqual({
      ipv4: ['p1', 'p2*'],
      ipv6: [],
    });
    expect(parsePodIPPoolAnnotation('{"ipv4":null,"ipv6":["x"]}')._unsafeUnwrap()).toEqual({
      ipv4: [],
      ipv6: ['x'],
    });
    expect(parsePodIPPoolAnnotation('null')._unsafeUnwrap()).toEqual({ ipv4: [], ipv6: [] });
  });
  it('matches keys case-insensitively (Go encoding/json) and ignores unknown keys', () => {
    expect(parsePodIPPoolAnnotation('{"IPv4":["a"],"other":1}')._unsafeUnwrap().ipv4).toEqual(['a']);
  });
  it('rejects what Go would not unmarshal', () => {
    for (const v of ['', '{', '[]', '"x"', '{"ipv4":"a"}', '{"ipv4":[1]}']) {
      const e = parsePodIPPoolAnnotation(v)._unsafeUnwrapErr();
      expect(e).toMatchObject({ _tag: 'BadAnnotation', annotation: 'ipam.spidernet.io/ippool', value: v });
    }
  });
});

describe('parsePodIPPoolsAnnotation + normalizePodIPPools', () => {
  it('reads items with interface and cleangateway', () => {
    const items = parsePodIPPoolsAnnotation(
      '[{"interface":"eth0","ipv4":["a"],"cleangateway":true}]',
    )._unsafeUnwrap();
    expect(items).toEqual([{ interface: 'eth0', ipv4: ['a'], ipv6: [], cleanGateway: true }]);
  });
  it('rejects bad shapes', () => {
    for (const v of ['{}', '[1]', '[{"interface":1}]', '[{"cleangateway":"yes"}]', '[{"ipv6":{}}]']) {
      expect(parsePodIPPoolsAnnotation(v)._unsafeUnwrapErr()._tag).toBe('BadAnnotation');
    }
  });
  it('names unnamed items by index', () => {
    const raw = parsePodIPPoolsAnnotation('[{"ipv4":["a"]},{"ipv4":["b"]}]')._unsafeUnwrap();
    expect(
      normalizePodIPPools(raw, 'eth0', '')
        ._unsafeUnwrap()
        .map((i) => i.interface),
    ).toEqual(['0', '1']);
  });
  it('checks the item rules', () => {
    const cases: Array<[string, string]> = [
      ['[]', 'value requires at least one item'],
      ['[{"interface":"eth0"},{}]', 'NIC should be either all specified or all unspecified'],
      ['[{"interface":"eth0"},{"interface":"eth0"}]', 'duplicate interface eth0'],
      ['[{"interface":"net1"}]', 'interface eth0 must be specified'],
    ];
    for (const [v, detail] of cases) {
      const raw = parsePodIPPoolsAnnotation(v)._unsafeUnwrap();
      expect(normalizePodIPPools(raw, 'eth0', v)._unsafeUnwrapErr()).toMatchObject({ detail });
    }
  });
  it('isMultipleNicWithNoName', () => {
    expect(isMultipleNicWithNoName({ 'ipam.spidernet.io/ippools': '[{"ipv4":["a"]}]' })).toBe(true);
    expect(isMultipleNicWithNoName({ 'ipam.spidernet.io/ippools': '[{"interface":"eth0"}]' })).toBe(false);
    expect(isMultipleNicWithNoName({})).toBe(false);
  });
});

describe('parseNamespaceDefaultPools', () => {
  it('reads both annotations; absent ones are empty', () => {
    const ns = mkNamespace({ 'ipam.spidernet.io/default-ipv4-ippool': '["ns-v4-ippool1","ns-v4-ippool2"]' });
    expect(parseNamespaceDefaultPools(ns)._unsafeUnwrap()).toEqual({
      ipv4: ['ns-v4-ippool1', 'ns-v4-ippool2'],
      ipv6: [],
    });
  });
  it('rejects non-arrays', () => {
    const ns = mkNamespace({ 'ipam.spidernet.io/default-ipv6-ippool': 'pool' });
    expect(parseNamespaceDefaultPools(ns)._unsafeUnwrapErr()).toMatchObject({
      _tag: 'BadAnnotation',
      annotation: 'ipam.spidernet.io/default-ipv6-ippool',
    });
  });
});

describe('ipam.spidernet.io/routes', () => {
  it('accepts v4 and v6 routes, non-canonical dst and the default route', () => {
    const routes = parsePodRoutesAnnotation(
      '[{"dst":"10.0.0.0/16","gw":"192.168.1.1"},{"dst":"fd01::1/64","gw":"fd00::1"},{"dst":"0.0.0.0/0","gw":"10.1.0.1"}]',
    )._unsafeUnwrap();
    expect(routes.map((r) => [r.dst, r.gw, r.version])).toEqual([
      ['10.0.0.0/16', '192.168.1.1', 4],
      ['fd01::1/64', 'fd00::1', 6],
      ['0.0.0.0/0', '10.1.0.1', 4],
    ]);
  });
  it('rejects mixed families, bad addresses and bad JSON', () => {
    for (const v of [
      '[{"dst":"10.0.0.0/16","gw":"fd00::1"}]',
      '[{"dst":"10.0.0.0","gw":"10.0.0.1"}]',
      '[{"dst":"10.0.0.0/16"}]',
      '{}',
    ]) {
      expect(parsePodRoutesAnnotation(v)._unsafeUnwrapErr()).toMatchObject({
        _tag: 'BadAnnotation',
        annotation: 'ipam.spidernet.io/routes',
      });
    }
  });
  it('podRoutes: none without the annotation', () => {
    expect(podRoutes(mkPod())._unsafeUnwrap()).toEqual([]);
  });
  it('groups each route to the first NIC whose subnet holds the gw; others unmatched', () => {
    const routes = parsePodRoutesAnnotation(
      '[{"dst":"10.30.0.0/16","gw":"10.20.0.1"},{"dst":"10.40.0.0/16","gw":"172.16.0.1"},{"dst":"fd09::/64","gw":"fd00::1"}]',
    )._unsafeUnwrap();
    const g = groupPodRoutes(routes, [
      { nic: 'eth0', subnet: parseCIDR('10.20.0.0/16')._unsafeUnwrap() },
      { nic: 'net1', subnet: parseCIDR('10.0.0.0/8')._unsafeUnwrap() },
      { nic: 'eth0', subnet: parseCIDR('fd00::/64')._unsafeUnwrap() },
    ]);
    expect(g.byNic.get('eth0')).toEqual([
      { dst: '10.30.0.0/16', gw: '10.20.0.1' },
      { dst: 'fd09::/64', gw: 'fd00::1' },
    ]);
    expect(g.byNic.get('net1')).toBeUndefined();
    expect(g.unmatched).toEqual([{ dst: '10.40.0.0/16', gw: '172.16.0.1' }]);
  });
});
