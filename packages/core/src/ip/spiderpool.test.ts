import { describe, expect, it } from 'vitest';
import {
  cidrContainsIP,
  cidrContainsIPRange,
  cidrToLabelValue,
  containsCIDR,
  ipRangeContainsIP,
  isCIDR,
  isCIDROverlap,
  isIP,
  isIPRangeOverlap,
  mergeIPRanges,
  subtractIPRanges,
} from './spiderpool.ts';

describe('mergeIPRanges (MergeIPRanges)', () => {
  it('reproduces the reference example', () => {
    expect(
      mergeIPRanges(4, [
        '172.18.40.10',
        '172.18.40.1-172.18.40.2',
        '172.18.40.2-172.18.40.3',
      ])._unsafeUnwrap(),
    ).toEqual(['172.18.40.1-172.18.40.3', '172.18.40.10']);
  });

  it('dedupes, sorts, collapses adjacent runs and keeps single IPs bare', () => {
    expect(mergeIPRanges(4, ['10.0.0.5', '10.0.0.5', '10.0.0.3', '10.0.0.4'])._unsafeUnwrap()).toEqual([
      '10.0.0.3-10.0.0.5',
    ]);
    expect(mergeIPRanges(4, ['10.0.0.9', '10.0.0.1'])._unsafeUnwrap()).toEqual(['10.0.0.1', '10.0.0.9']);
    expect(mergeIPRanges(6, ['FD00::0001-fd00::3', 'fd00::4'])._unsafeUnwrap()).toEqual(['fd00::1-fd00::4']);
    expect(mergeIPRanges(4, [])._unsafeUnwrap()).toEqual([]);
  });

  it('merges the seed pool to 10 addresses', () => {
    const merged = mergeIPRanges(4, [
      '10.20.168.195-10.20.168.199',
      '10.20.168.190-10.20.168.194',
    ])._unsafeUnwrap();
    expect(merged).toEqual(['10.20.168.190-10.20.168.199']);
  });

  it('fails on a bad range with the offending value', () => {
    expect(mergeIPRanges(4, ['10.0.0.1', '10.0.0.3-10.0.0.2'])._unsafeUnwrapErr()).toMatchObject({
      _tag: 'InvalidIPRange',
      value: '10.0.0.3-10.0.0.2',
    });
  });
});

describe('subtractIPRanges', () => {
  it('removes excludeIPs by interval arithmetic', () => {
    expect(
      subtractIPRanges(4, ['10.0.0.1-10.0.0.10'], ['10.0.0.3', '10.0.0.5-10.0.0.6'])._unsafeUnwrap(),
    ).toEqual(['10.0.0.1-10.0.0.2', '10.0.0.4', '10.0.0.7-10.0.0.10']);
    expect(subtractIPRanges(4, ['10.0.0.1'], ['10.0.0.0-10.0.0.9'])._unsafeUnwrap()).toEqual([]);
  });

  it('reports a bad exclude range', () => {
    expect(subtractIPRanges(4, ['10.0.0.1'], ['fd00::1'])._unsafeUnwrapErr()).toMatchObject({
      _tag: 'InvalidIPRange',
      value: 'fd00::1',
      problem: 'family',
    });
  });
});

describe('ipRangeContainsIP (IPRangeContainsIP)', () => {
  it('checks bounds inclusively', () => {
    expect(ipRangeContainsIP(4, '10.0.0.1-10.0.0.9', '10.0.0.1')._unsafeUnwrap()).toBe(true);
    expect(ipRangeContainsIP(4, '10.0.0.1-10.0.0.9', '10.0.0.9')._unsafeUnwrap()).toBe(true);
    expect(ipRangeContainsIP(4, '10.0.0.1-10.0.0.9', '10.0.0.10')._unsafeUnwrap()).toBe(false);
    expect(ipRangeContainsIP(4, '10.0.0.1', '10.0.0.1')._unsafeUnwrap()).toBe(true);
    expect(ipRangeContainsIP(6, 'fd00::1', 'FD00:0::1')._unsafeUnwrap()).toBe(true);
  });

  it('rejects a bad range or a bad IP', () => {
    expect(ipRangeContainsIP(4, '10.0.0.9-10.0.0.1', '10.0.0.1')._unsafeUnwrapErr()._tag).toBe(
      'InvalidIPRange',
    );
    expect(ipRangeContainsIP(4, '10.0.0.1', 'fd00::1')._unsafeUnwrapErr()._tag).toBe('VersionMismatch');
    expect(ipRangeContainsIP(4, '10.0.0.1', 'x')._unsafeUnwrapErr()).toMatchObject({
      _tag: 'InvalidIP',
      value: 'x',
    });
  });
});

describe('isIPRangeOverlap (IsIPRangeOverlap)', () => {
  it('detects shared addresses, not adjacency', () => {
    expect(isIPRangeOverlap(4, '10.0.0.1-10.0.0.5', '10.0.0.5-10.0.0.9')._unsafeUnwrap()).toBe(true);
    expect(isIPRangeOverlap(4, '10.0.0.1-10.0.0.5', '10.0.0.6-10.0.0.9')._unsafeUnwrap()).toBe(false);
    expect(isIPRangeOverlap(4, '10.0.0.3', '10.0.0.1-10.0.0.9')._unsafeUnwrap()).toBe(true);
    expect(isIPRangeOverlap(6, 'fd00::1-fd00::ffff', 'fd00::8000')._unsafeUnwrap()).toBe(true);
  });

  it('rejects bad input', () => {
    expect(isIPRangeOverlap(4, '10.0.0.1', 'bad')._unsafeUnwrapErr()).toMatchObject({ value: 'bad' });
  });
});

describe('CIDR functions by their Spiderpool names', () => {
  it('cidrContainsIPRange (ContainsIPRange)', () => {
    expect(cidrContainsIPRange(4, '10.20.0.0/16', '10.20.168.190-10.20.168.199')._unsafeUnwrap()).toBe(true);
    expect(cidrContainsIPRange(4, '10.20.0.0/16', '10.20.255.250-10.21.0.3')._unsafeUnwrap()).toBe(false);
    expect(
      cidrContainsIPRange(6, '2001:db8::/64', '2001:db8::1-2001:db8::ffff:ffff:ffff:ffff')._unsafeUnwrap(),
    ).toBe(true);
    expect(cidrContainsIPRange(4, '10.20.0.0/33', '10.20.0.1')._unsafeUnwrapErr()._tag).toBe('InvalidCIDR');
    expect(cidrContainsIPRange(4, '10.20.0.0/16', '10.20.0.2-10.20.0.1')._unsafeUnwrapErr()._tag).toBe(
      'InvalidIPRange',
    );
  });

  it('cidrContainsIP (ContainsIP): the seed gateway is in the subnet', () => {
    expect(cidrContainsIP(4, '10.20.0.0/16', '10.20.0.1')._unsafeUnwrap()).toBe(true);
    expect(cidrContainsIP(4, '10.20.0.0/16', '10.21.0.1')._unsafeUnwrap()).toBe(false);
    expect(cidrContainsIP(4, '10.20.0.0/16', 'fd00::1')._unsafeUnwrapErr()._tag).toBe('VersionMismatch');
  });

  it('containsCIDR / isCIDROverlap (either contains the other)', () => {
    expect(containsCIDR(4, '10.0.0.0/8', '10.20.0.0/16')._unsafeUnwrap()).toBe(true);
    expect(containsCIDR(4, '10.20.0.0/16', '10.0.0.0/8')._unsafeUnwrap()).toBe(false);
    expect(isCIDROverlap(4, '10.20.0.0/16', '10.0.0.0/8')._unsafeUnwrap()).toBe(true);
    expect(isCIDROverlap(4, '10.20.0.0/16', '10.20.0.0/16')._unsafeUnwrap()).toBe(true);
    expect(isCIDROverlap(4, '10.20.0.0/16', '10.21.0.0/16')._unsafeUnwrap()).toBe(false);
    expect(isCIDROverlap(6, 'fd00::/8', 'fd00:1::/32')._unsafeUnwrap()).toBe(true);
    expect(isCIDROverlap(6, 'fd00::/8', '10.0.0.0/8')._unsafeUnwrapErr()).toMatchObject({
      _tag: 'VersionMismatch',
      value: '10.0.0.0/8',
    });
  });

  it('cidrToLabelValue (CIDRToLabelValue) works on the text as written', () => {
    expect(cidrToLabelValue(4, '172.18.40.0/24')._unsafeUnwrap()).toBe('172-18-40-0-24');
    expect(cidrToLabelValue(6, 'abcd:1234::/120')._unsafeUnwrap()).toBe('abcd-1234---120');
    expect(cidrToLabelValue(4, 'abcd:1234::/120')._unsafeUnwrapErr()._tag).toBe('VersionMismatch');
    expect(cidrToLabelValue(4, '172.18.40.0')._unsafeUnwrapErr()).toMatchObject({
      _tag: 'InvalidCIDR',
      message: "invalid CIDR format in IPv4 '172.18.40.0'",
    });
  });

  it('isIP / isCIDR', () => {
    expect(isIP(4, '10.0.0.1').isOk()).toBe(true);
    expect(isIP(6, '10.0.0.1').isErr()).toBe(true);
    expect(isCIDR(6, 'fd00::/8').isOk()).toBe(true);
    expect(isCIDR(4, 'fd00::/8').isErr()).toBe(true);
  });
});

describe('IP version checks of the text functions (issue 10)', () => {
  it('mergeIPRanges / subtractIPRanges with a version that is neither 4 nor 6 report InvalidIPVersion', () => {
    const bad = 5 as unknown as 4;
    expect(mergeIPRanges(bad, ['1.1.1.1'])._unsafeUnwrapErr()._tag).toBe('InvalidIPVersion');
    expect(subtractIPRanges(bad, ['1.1.1.1'], [])._unsafeUnwrapErr()._tag).toBe('InvalidIPVersion');
    expect(mergeIPRanges(4, ['1.1.1.1'])._unsafeUnwrap()).toEqual(['1.1.1.1']);
  });
});
