import { describe, expect, it } from 'vitest';
import {
  agentProtocol,
  agentRefused,
  agentUnreachable,
  type CniError,
  cniErrorCode,
  decodeFailure,
  incompatibleVersion,
  invalidEnv,
  invalidNetConf,
  toCniErrorJson,
} from './errors.ts';
import { SUPPORTED_CNI_VERSIONS, versionInfo } from './version.ts';

describe('CNI errors', () => {
  const table: [CniError, number, string][] = [
    [
      incompatibleVersion('0.2.0', SUPPORTED_CNI_VERSIONS),
      1,
      'supported versions: 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0',
    ],
    [invalidEnv('CNI_IFNAME', '', 'required'), 4, 'CNI_IFNAME'],
    [decodeFailure('ipam.log_file_max_size', '"100" is not an integer'), 6, 'ipam.log_file_max_size'],
    [invalidNetConf('ipam.type', '"x" is not "spiderpool"'), 7, 'ipam.type'],
    [agentUnreachable('/run/s.sock', 'ENOENT'), 11, '/run/s.sock'],
    [agentProtocol(502, 'no error body'), 999, 'HTTP 502'],
    [agentRefused('ADD', 'AllPoolsExhausted', 'all IP addresses used out'), 999, 'AllPoolsExhausted'],
  ];

  it.each(table)('%j → code %i, details %s, msg = message', (e, code, details) => {
    expect(cniErrorCode(e)).toBe(code);
    expect(toCniErrorJson('0.4.0', e)).toEqual({ cniVersion: '0.4.0', code, msg: e.message, details });
  });

  it('messages name the offending value', () => {
    expect(invalidEnv('CNI_COMMAND', 'GC', 'unknown command').message).toBe(
      'invalid environment variable CNI_COMMAND="GC": unknown command',
    );
    expect(agentRefused('DEL', 'Store', 'boom').message).toBe('spiderpool IPAM DEL failed: boom');
  });
});

describe('versionInfo', () => {
  it('echoes the runtime cniVersion and lists every supported version', () => {
    expect(versionInfo('{"cniVersion":"0.4.0"}')).toEqual({
      cniVersion: '0.4.0',
      supportedVersions: ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'],
    });
  });
  it.each(['', 'null', '{}', '{"cniVersion":7}', 'garbage'])('%j → the latest version', (stdin) => {
    expect(versionInfo(stdin).cniVersion).toBe('1.0.0');
  });
});
