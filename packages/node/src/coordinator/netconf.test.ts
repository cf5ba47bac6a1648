import { describe, expect, it } from 'vitest';
import type { CoordinatorConfigAnswer } from '../agent/coordinatorProtocol.ts';
import { hostVethName, macFromPrefix } from './names.ts';
import { isCidr, mergeCoordinatorConf, parseCoordinatorNetConf, parseGoDuration } from './netconf.ts';

const agent: CoordinatorConfigAnswer = {
  mode: 'auto',
  overlayPodCIDR: ['10.42.0.0/16'],
  serviceCIDR: ['10.43.0.0/16'],
  hijackCIDR: ['169.254.0.0/16'],
  policyRoutes: [],
  podMACPrefix: '',
  tunePodRoutes: true,
  podDefaultRouteNIC: '',
  hostRuleTable: 500,
  podRPFilter: 0,
  txQueueLen: 0,
  vethLinkAddress: '',
  vethMTU: 1500,
};
const conf = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ cniVersion: '1.0.0', name: 'n', type: 'coordinator', ...extra });

describe('parseCoordinatorNetConf', () => {
  it('defaults: socket, podDefaultCniNic eth0, multusNicPrefix net, detect options of Spiderpool', () => {
    const c = parseCoordinatorNetConf(conf())._unsafeUnwrap();
    expect(c).toMatchObject({
      socketPath: '/var/run/spidernet/spiderpool.sock',
      podDefaultCniNic: 'eth0',
      multusNicPrefix: 'net',
      detectOptions: { retries: 3, intervalMs: 1000, timeoutMs: 3000 },
    });
    expect(c.mode).toBeUndefined();
  });

  it('takes the socket from ipam_unix_socket_path at the top level', () => {
    expect(
      parseCoordinatorNetConf(conf({ ipam_unix_socket_path: '/run/a.sock' }))._unsafeUnwrap().socketPath,
    ).toBe('/run/a.sock');
  });

  it.each([
    ['tunePodRoutes', 'yes'],
    ['hostRuleTable', '500'],
    ['podRPFilter', 1.5],
    ['hijackCIDR', '10.0.0.0/8'],
    ['detectOptions', []],
    ['logOptions', 'debug'],
  ])('a wrong type of %s is a decoding failure (code 6)', (field, value) => {
    expect(parseCoordinatorNetConf(conf({ [field]: value }))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'DecodeFailure',
      field,
    });
  });

  it('accepts 0.3.0 … 1.1.0 and refuses others (code 1)', () => {
    for (const v of ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'])
      expect(parseCoordinatorNetConf(conf({ cniVersion: v })).isOk()).toBe(true);
    expect(parseCoordinatorNetConf(conf({ cniVersion: '0.2.0' }))._unsafeUnwrapErr()._tag).toBe(
      'IncompatibleVersion',
    );
  });

  it('detectOptions given: empty fields are 3 / 10ms / 100ms; bad durations are invalid', () => {
    expect(parseCoordinatorNetConf(conf({ detectOptions: {} }))._unsafeUnwrap().detectOptions).toEqual({
      retries: 3,
      intervalMs: 10,
      timeoutMs: 100,
    });
    expect(
      parseCoordinatorNetConf(conf({ detectOptions: { timeout: 'soon' } }))._unsafeUnwrapErr()._tag,
    ).toBe('InvalidNetConf');
  });
});

describe('mergeCoordinatorConf', () => {
  it('NAD values win; absent ones come from the agent; hijack = overlay ∪ service ∪ hijack', () => {
    const nad = parseCoordinatorNetConf(
      conf({ serviceCIDR: ['10.96.0.0/12'], txQueueLen: 1000 }),
    )._unsafeUnwrap();
    const m = mergeCoordinatorConf(nad, {
      ...agent,
      txQueueLen: 5,
      podDefaultRouteNIC: 'net1',
    })._unsafeUnwrap();
    expect(m.hijack).toEqual(['10.42.0.0/16', '10.96.0.0/12', '169.254.0.0/16']);
    expect(m).toMatchObject({
      txQueueLen: 1000,
      podDefaultRouteNic: 'net1',
      mode: 'auto',
      hostRuleTable: 500,
    });
  });

  it('an empty list or string in the NAD counts as not set (Go omitempty)', () => {
    const nad = parseCoordinatorNetConf(conf({ serviceCIDR: [], podMACPrefix: '' }))._unsafeUnwrap();
    const m = mergeCoordinatorConf(nad, { ...agent, podMACPrefix: '0a:1b' })._unsafeUnwrap();
    expect(m.hijack).toContain('10.43.0.0/16');
    expect(m.podMACPrefix).toBe('0a:1b');
  });

  it('mode: disable and the CRD spelling disabled both switch it off; unknown modes are refused', () => {
    const nad = parseCoordinatorNetConf(conf())._unsafeUnwrap();
    expect(mergeCoordinatorConf(nad, { ...agent, mode: 'disabled' })._unsafeUnwrap().mode).toBe('disable');
    expect(mergeCoordinatorConf({ ...nad, mode: 'disable' }, agent)._unsafeUnwrap().mode).toBe('disable');
    expect(mergeCoordinatorConf({ ...nad, mode: 'bridge' }, agent)._unsafeUnwrapErr()).toMatchObject({
      _tag: 'InvalidNetConf',
      field: 'mode',
    });
  });

  it.each([
    [{ hijackCIDR: ['10.0.0.0/33'] }, 'hijackCIDR'],
    [{ serviceCIDR: ['10.43.0.0'] }, 'serviceCIDR'],
    [{ podMACPrefix: '0b:1b' }, 'podMACPrefix'],
    [{ podMACPrefix: '0a1b' }, 'podMACPrefix'],
    [{ podRPFilter: 3 }, 'podRPFilter'],
    [{ hostRPFilter: 7 }, 'hostRPFilter'],
    [{ txQueueLen: -1 }, 'txQueueLen'],
    [{ hostRuleTable: 254 }, 'hostRuleTable'],
  ])('%j is invalid (%s)', (extra, field) => {
    const nad = parseCoordinatorNetConf(conf(extra))._unsafeUnwrap();
    expect(mergeCoordinatorConf(nad, agent)._unsafeUnwrapErr()).toMatchObject({
      _tag: 'InvalidNetConf',
      field,
    });
  });

  it('rp_filter -1 means leave as is', () => {
    const nad = parseCoordinatorNetConf(conf({ podRPFilter: -1 }))._unsafeUnwrap();
    expect(mergeCoordinatorConf(nad, agent)._unsafeUnwrap().podRPFilter).toBe(-1);
  });
});

describe('helpers', () => {
  it('macFromPrefix: prefix + the last 4 bytes of the IP (Spiderpool docs example)', () => {
    expect(macFromPrefix('0a:1b', '172.18.40.10')).toBe('0a:1b:ac:12:28:0a');
    expect(macFromPrefix('0a-1b', 'fd00::ac12:280a')).toBe('0a:1b:ac:12:28:0a');
    expect(macFromPrefix('0a:1b', '300.1.1.1')).toBeUndefined();
  });

  it('hostVethName: veth + the first 11 characters of the container ID', () => {
    expect(hostVethName('0123456789abcdef')).toBe('veth0123456789a');
    expect(hostVethName('abc')).toBe('vethabc');
  });

  it('isCidr / parseGoDuration', () => {
    expect(isCidr(' 10.43.0.0/16 ')).toBe(true);
    expect(isCidr('fd00::/64')).toBe(true);
    expect(isCidr('10.43.0.0')).toBe(false);
    expect(isCidr('256.0.0.0/8')).toBe(false);
    expect(parseGoDuration('100ms')).toBe(100);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(parseGoDuration('1m')).toBe(60_000);
    expect(parseGoDuration('fast')).toBeUndefined();
  });
});
