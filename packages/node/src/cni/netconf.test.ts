import { describe, expect, it } from 'vitest';
import { DEFAULT_IPAM_SOCKET_PATH, parseIpamNetConf } from './netconf.ts';
import { SUPPORTED_CNI_VERSIONS } from './version.ts';

const conf = (patch: Record<string, unknown> = {}, ipam: Record<string, unknown> = {}) =>
  JSON.stringify({
    cniVersion: '0.3.1',
    name: 'sriov-test',
    type: 'sriov',
    ipam: { type: 'spiderpool', ...ipam },
    ...patch,
  });

const errorOf = (stdin: string) => {
  const r = parseIpamNetConf(stdin);
  if (r.isOk()) throw new Error('expected an error');
  return r.error;
};

describe('parseIpamNetConf', () => {
  it.each(SUPPORTED_CNI_VERSIONS)('accepts cniVersion %s and defaults the socket path', (v) => {
    expect(parseIpamNetConf(conf({ cniVersion: v }))._unsafeUnwrap()).toEqual({
      cniVersion: v,
      name: 'sriov-test',
      type: 'sriov',
      ipam: { type: 'spiderpool', ipam_unix_socket_path: DEFAULT_IPAM_SOCKET_PATH },
    });
  });

  it('keeps every Spiderpool ipam field and prevResult', () => {
    const ipam = {
      default_ipv4_ippool: ['p4', 'p4-*'],
      default_ipv6_ippool: ['p6'],
      clean_gateway: true,
      match_master_subnet: false,
      ipam_unix_socket_path: '/tmp/s.sock',
      log_level: 'debug',
      log_file_path: '/var/log/spidernet/spiderpool.log',
      log_file_max_size: 100,
      log_file_max_age: 30,
      log_file_max_count: 7,
    };
    const r = parseIpamNetConf(
      conf({ prevResult: { ips: [] } }, { ...ipam, unknown_field: 1 }),
    )._unsafeUnwrap();
    expect(r.ipam).toEqual({ type: 'spiderpool', ...ipam });
    expect(r.prevResult).toEqual({ ips: [] });
  });

  it('null fields are left out, like Go zero values', () => {
    expect(parseIpamNetConf(conf({}, { clean_gateway: null }))._unsafeUnwrap().ipam).not.toHaveProperty(
      'clean_gateway',
    );
  });

  it.each(['0.1.0', '0.2.0', '1.2.0'])('cniVersion %j is IncompatibleVersion (code 1)', (v) => {
    expect(errorOf(conf({ cniVersion: v }))).toMatchObject({ _tag: 'IncompatibleVersion', version: v });
  });

  it.each([
    ['absent', JSON.stringify({ name: 'x', ipam: { type: 'spiderpool' } })],
    ['empty', conf({ cniVersion: '' })],
  ])('a %s cniVersion is read as "0.1.0" like libcni, so IncompatibleVersion (code 1)', (_what, stdin) => {
    expect(errorOf(stdin)).toMatchObject({ _tag: 'IncompatibleVersion', version: '0.1.0' });
  });

  it.each([
    ['not json', 'stdin'],
    ['[]', 'stdin'],
    [conf({ cniVersion: 100 }), 'cniVersion'],
    [conf({ name: 3 }), 'name'],
    [conf({ type: false }), 'type'],
    [conf({ prevResult: 'x' }), 'prevResult'],
    [conf({ ipam: 'spiderpool' }), 'ipam'],
    // Quirk 17: Spiderpool's docs write the log sizes as strings, which Go's int fields refuse.
    [conf({}, { log_file_max_size: '100' }), 'ipam.log_file_max_size'],
    [conf({}, { log_file_max_age: 1.5 }), 'ipam.log_file_max_age'],
    [conf({}, { default_ipv4_ippool: 'p4' }), 'ipam.default_ipv4_ippool'],
    [conf({}, { default_ipv6_ippool: [1] }), 'ipam.default_ipv6_ippool'],
    [conf({}, { clean_gateway: 'true' }), 'ipam.clean_gateway'],
    [conf({}, { ipam_unix_socket_path: 5 }), 'ipam.ipam_unix_socket_path'],
  ])('%s is a DecodeFailure (code 6) on %s', (stdin, field) => {
    expect(errorOf(stdin)).toMatchObject({ _tag: 'DecodeFailure', field });
  });

  it.each([
    [JSON.stringify({ cniVersion: '1.0.0', name: 'x' }), 'ipam'],
    [conf({}, { type: 'host-local' }), 'ipam.type'],
  ])('%s is InvalidNetConf (code 7) on %s', (stdin, field) => {
    expect(errorOf(stdin)).toMatchObject({ _tag: 'InvalidNetConf', field });
  });
});
