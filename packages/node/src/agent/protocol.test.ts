import { describe, expect, it } from 'vitest';
import { decodeAddAnswer, decodeErrorBody, decodeIpamRequest } from './protocol.ts';

const req = {
  podNamespace: 'default',
  podName: 'p',
  containerID: 'c',
  ifName: 'eth0',
  ipamConfig: { default_ipv4_ippool: ['a'], clean_gateway: true },
};

describe('decodeIpamRequest', () => {
  it('keeps the known fields and drops the rest', () => {
    expect(decodeIpamRequest({ ...req, podUid: 'u', netns: '/n', extra: 1 })._unsafeUnwrap()).toEqual({
      ...req,
      podUid: 'u',
      netns: '/n',
    });
    expect(decodeIpamRequest({ ...req, ipamConfig: undefined })._unsafeUnwrap().ipamConfig).toEqual({});
  });
  it.each([
    [undefined, 'body is not a JSON object'],
    [{ ...req, podName: '' }, 'podName must be a non-empty string'],
    [{ ...req, ifName: 3 }, 'ifName must be a non-empty string'],
    [{ ...req, podUid: 1 }, 'podUid must be a string'],
    [{ ...req, ipamConfig: [] }, 'ipamConfig must be an object'],
    [
      { ...req, ipamConfig: { default_ipv6_ippool: 'x' } },
      'ipamConfig.default_ipv6_ippool must be a list of strings',
    ],
    [{ ...req, ipamConfig: { match_master_subnet: 1 } }, 'ipamConfig.match_master_subnet must be a boolean'],
  ])('%j → %s', (body, why) => {
    expect(decodeIpamRequest(body)._unsafeUnwrapErr()).toBe(why);
  });
});

describe('decodeAddAnswer / decodeErrorBody', () => {
  it('reads the engine answer and refuses malformed ones', () => {
    const answer = {
      interface: 'eth0',
      ips: [{ version: 4, address: '10.0.0.2/24', gateway: '10.0.0.1', pool: 'p' }],
      routes: [{ dst: '0.0.0.0/0', gw: '10.0.0.1' }, { dst: '10.9.0.0/16' }],
    };
    expect(decodeAddAnswer(answer)._unsafeUnwrap()).toEqual({
      interface: 'eth0',
      ips: [{ version: 4, address: '10.0.0.2/24', gateway: '10.0.0.1' }],
      routes: [{ dst: '0.0.0.0/0', gw: '10.0.0.1' }, { dst: '10.9.0.0/16' }],
    });
    expect(decodeAddAnswer({ ...answer, ips: [{ version: 5, address: 'x' }] }).isErr()).toBe(true);
    expect(decodeAddAnswer({ ...answer, routes: [{ gw: 'x' }] }).isErr()).toBe(true);
    expect(decodeAddAnswer({ ips: [], routes: [] }).isErr()).toBe(true);
    expect(decodeAddAnswer(null).isErr()).toBe(true);
  });
  it('error bodies need _tag and message', () => {
    expect(decodeErrorBody({ _tag: 'X', message: 'm', more: 1 })).toEqual({ _tag: 'X', message: 'm' });
    expect(decodeErrorBody({ message: 'm' })).toBeUndefined();
    expect(decodeErrorBody('x')).toBeUndefined();
  });
});
