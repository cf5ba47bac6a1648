import { describe, expect, it } from 'vitest';
import { parseCIDR } from './cidr.ts';
import { validateRoute, validateRoutes } from './route.ts';

const subnet4 = parseCIDR('10.20.0.0/16')._unsafeUnwrap();
const subnet6 = parseCIDR('fd00:20::/64')._unsafeUnwrap();

describe('validateRoute', () => {
  it('accepts a route of the family with gw in the subnet', () => {
    const r = validateRoute(4, { dst: '192.168.0.0/16', gw: '10.20.0.1' }, subnet4)._unsafeUnwrap();
    expect(r.dst.text).toBe('192.168.0.0/16');
    expect(r.gw).toEqual({ version: 4, value: 0x0a140001n });
    expect(validateRoute(6, { dst: 'fd00:99::/64', gw: 'fd00:20::1' }, subnet6).isOk()).toBe(true);
    expect(validateRoute(4, { dst: '192.168.0.0/16', gw: '172.16.0.1' }).isOk()).toBe(true);
  });

  it.each([
    [4, { dst: '192.168.0.0', gw: '10.20.0.1' }, 'dst', '192.168.0.0'],
    [4, { dst: '192.168.0.0/33', gw: '10.20.0.1' }, 'dst', '192.168.0.0/33'],
    [4, { dst: '192.168.0.0/16', gw: '10.20.0.256' }, 'gw', '10.20.0.256'],
    [4, { dst: 'fd00:99::/64', gw: '10.20.0.1' }, 'family', 'fd00:99::/64'],
    [4, { dst: '192.168.0.0/16', gw: 'fd00:20::1' }, 'family', '192.168.0.0/16'],
    [4, { dst: '192.168.0.0/16', gw: '::ffff:10.20.0.1' }, 'family', '192.168.0.0/16'],
    [4, { dst: '0.0.0.0/0', gw: '10.20.0.1' }, 'defaultRoute', '0.0.0.0/0'],
    [4, { dst: '10.0.0.0/0', gw: '10.20.0.1' }, 'defaultRoute', '10.0.0.0/0'],
    [6, { dst: '::/0', gw: 'fd00:20::1' }, 'defaultRoute', '::/0'],
    [4, { dst: '192.168.0.0/16', gw: '10.21.0.1' }, 'gwOutsideSubnet', '10.21.0.1'],
  ] as const)('IPv%s %j -> %s', (version, route, problem, value) => {
    const subnet = version === 4 ? subnet4 : subnet6;
    const e = validateRoute(version, route, subnet)._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: 'InvalidRoute', problem, value, dst: route.dst, gw: route.gw });
  });

  it('words the default-route error like Spiderpool', () => {
    expect(validateRoute(4, { dst: '0.0.0.0/0', gw: '10.20.0.1' })._unsafeUnwrapErr().message).toBe(
      "please specify 'spec.gateway' to configure the default route",
    );
  });
});

describe('validateRoutes', () => {
  it('validates a list and returns the parsed routes', () => {
    const routes = [
      { dst: '192.168.0.0/16', gw: '10.20.0.1' },
      { dst: '172.16.0.0/12', gw: '10.20.0.2' },
    ];
    expect(validateRoutes(4, routes, subnet4)._unsafeUnwrap()).toHaveLength(2);
    expect(validateRoutes(4, [], subnet4)._unsafeUnwrap()).toEqual([]);
  });

  it('rejects a duplicate dst (same network) with its index', () => {
    const routes = [
      { dst: '192.168.0.0/16', gw: '10.20.0.1' },
      { dst: '192.168.1.0/16', gw: '10.20.0.2' },
    ];
    const e = validateRoutes(4, routes, subnet4)._unsafeUnwrapErr();
    expect(e).toMatchObject({
      _tag: 'InvalidRoute',
      problem: 'duplicateDst',
      index: 1,
      value: '192.168.1.0/16',
    });
    expect(e.message).toBe('duplicate route with the same dst');
  });

  it('puts the index on the first failing route', () => {
    const routes = [
      { dst: '192.168.0.0/16', gw: '10.20.0.1' },
      { dst: '::/0', gw: 'fd00::1' },
    ];
    expect(validateRoutes(4, routes)._unsafeUnwrapErr()).toMatchObject({ problem: 'family', index: 1 });
  });
});
