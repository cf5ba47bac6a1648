import { describe, expect, it } from 'vitest';
import {
  checkFormatCIDR,
  cidrContains,
  cidrContainsCIDR,
  cidrContainsInterval,
  cidrFirst,
  cidrLabelValue,
  cidrLast,
  cidrSize,
  cidrsOverlap,
  cidrToInterval,
  formatCIDR,
  labelValueOfText,
  makeCIDR,
  parseCIDR,
  parseCIDROfVersion,
} from './cidr.ts';

const cidr = (text: string) => parseCIDR(text)._unsafeUnwrap();

describe('parseCIDR (net.ParseCIDR grammar)', () => {
  it('parses both families and keeps the address as written', () => {
    expect(cidr('172.10.5.0/16')).toEqual({
      version: 4,
      prefix: 16,
      network: 0xac0a0000n,
      address: 0xac0a0500n,
      text: '172.10.0.0/16',
    });
    const v6 = cidr('2001:DB8::1/64');
    expect(v6).toMatchObject({ version: 6, prefix: 64, network: 0x20010db8n << 96n, text: '2001:db8::/64' });
    expect(cidr('0.0.0.0/0').prefix).toBe(0);
    expect(cidr('::/0').text).toBe('::/0');
    expect(cidr('10.0.0.1/32').text).toBe('10.0.0.1/32');
    expect(cidr('::1/128').text).toBe('::1/128');
  });

  it('tolerates leading zeros in the prefix length, as Go dtoi does', () => {
    expect(cidr('10.0.0.0/08').text).toBe('10.0.0.0/8');
  });

  it.each([
    '10.0.0.0',
    '10.0.0.0/',
    '10.0.0.0/33',
    '10.0.0.0/-1',
    '10.0.0.0/+8',
    '10.0.0.0/8/8',
    '10.0.0.0/ 8',
    '010.0.0.0/8',
    '::/129',
    'fe80::/64%eth0',
    'fe80::%eth0/64',
    '/8',
    'abc/8',
    '10.0.0.0/99999999999',
  ])('rejects %j with InvalidCIDR', (text) => {
    const e = parseCIDR(text)._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: 'InvalidCIDR', value: text });
    expect(e.message).toBe(`invalid CIDR address: ${text}`);
  });

  it('rejects an IPv4-mapped IPv6 CIDR as ambiguous (Go would call it IPv4 with a 128-bit mask)', () => {
    expect(parseCIDR('::ffff:10.0.0.0/104')._unsafeUnwrapErr()).toMatchObject({
      _tag: 'IPv4MappedIPv6',
      value: '::ffff:10.0.0.0/104',
    });
  });
});

describe('parseCIDROfVersion (Spiderpool IsCIDR / ParseCIDR)', () => {
  it('accepts the family asked for', () => {
    expect(parseCIDROfVersion(4, '10.0.0.0/8')._unsafeUnwrap().version).toBe(4);
    expect(parseCIDROfVersion(6, 'fd00::/8')._unsafeUnwrap().version).toBe(6);
  });

  it('words a syntax error like Spiderpool', () => {
    const e = parseCIDROfVersion(4, '10.0.0.0/40')._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: 'InvalidCIDR', value: '10.0.0.0/40', version: 4 });
    expect(e.message).toBe("invalid CIDR format in IPv4 '10.0.0.0/40'");
  });

  it('reports the other family as VersionMismatch', () => {
    expect(parseCIDROfVersion(4, 'fd00::/8')._unsafeUnwrapErr()).toMatchObject({
      _tag: 'VersionMismatch',
      kind: 'CIDR',
      expected: 4,
      actual: 6,
    });
    expect(parseCIDROfVersion(6, '10.0.0.0/8')._unsafeUnwrapErr()).toMatchObject({ _tag: 'VersionMismatch' });
  });
});

describe('checkFormatCIDR (Spiderpool IsFormatCIDR)', () => {
  it('accepts canonical CIDRs', () => {
    for (const t of ['172.10.0.0/16', '10.20.0.0/16', 'fd00::/64', '2001:db8:1::/48', '0.0.0.0/0', '::/0']) {
      expect(checkFormatCIDR(t).isOk()).toBe(true);
    }
  });

  it.each([
    ['172.10.5.0/16', '172.10.0.0/16'],
    ['10.0.0.1/24', '10.0.0.0/24'],
    ['10.0.0.0/08', '10.0.0.0/8'],
    ['FD00::/64', 'fd00::/64'],
    ['fd00:0::/64', 'fd00::/64'],
    ['2001:db8::1/64', '2001:db8::/64'],
    ['2001:db8:0:0:0:0:0:0/32', '2001:db8::/32'],
  ])('%s -> UnformattedCIDR with the hint %s', (text, canonical) => {
    const e = checkFormatCIDR(text)._unsafeUnwrapErr();
    expect(e).toEqual({
      _tag: 'UnformattedCIDR',
      value: text,
      canonical,
      message: `unformatted subnet ${text}, please change it to ${canonical}`,
    });
  });

  it('gives the issue hint verbatim', () => {
    expect(checkFormatCIDR('172.10.5.0/16')._unsafeUnwrapErr().message).toBe(
      'unformatted subnet 172.10.5.0/16, please change it to 172.10.0.0/16',
    );
  });

  it('passes parse errors through', () => {
    expect(checkFormatCIDR('nope')._unsafeUnwrapErr()._tag).toBe('InvalidCIDR');
  });
});

describe('first/last/size/contains', () => {
  it('computes bounds and sizes exactly', () => {
    const c = cidr('10.20.0.0/16');
    expect(cidrFirst(c)).toBe(0x0a140000n);
    expect(cidrLast(c)).toBe(0x0a14ffffn);
    expect(cidrSize(c)).toBe(65536n);
    expect(cidrToInterval(c)).toEqual({ start: 0x0a140000n, end: 0x0a14ffffn });
    expect(cidrSize(cidr('::/0'))).toBe(1n << 128n);
    expect(cidrSize(cidr('2001:db8::/64'))).toBe(1n << 64n);
    expect(cidrLast(cidr('2001:db8::/64'))).toBe((0x20010db8n << 96n) | ((1n << 64n) - 1n));
    expect(formatCIDR(c)).toBe('10.20.0.0/16');
  });

  it('contains addresses and intervals', () => {
    const c = cidr('10.20.0.0/16');
    expect(cidrContains(c, 0x0a14a8ben)).toBe(true);
    expect(cidrContains(c, 0x0a150000n)).toBe(false);
    expect(cidrContains(c, 0x0a13ffffn)).toBe(false);
    expect(cidrContainsInterval(c, { start: 0x0a14a8ben, end: 0x0a14a8c7n })).toBe(true);
    expect(cidrContainsInterval(c, { start: 0x0a14fff0n, end: 0x0a150001n })).toBe(false);
  });

  it('contains CIDRs and overlaps only by containment', () => {
    const big = cidr('10.0.0.0/8');
    const small = cidr('10.20.0.0/16');
    const other = cidr('11.0.0.0/8');
    expect(cidrContainsCIDR(big, small)).toBe(true);
    expect(cidrContainsCIDR(small, big)).toBe(false);
    expect(cidrContainsCIDR(big, big)).toBe(true);
    expect(cidrsOverlap(big, small)).toBe(true);
    expect(cidrsOverlap(small, big)).toBe(true);
    expect(cidrsOverlap(big, other)).toBe(false);
    expect(cidrContainsCIDR(cidr('::/0'), cidr('10.0.0.0/8'))).toBe(false);
  });

  it('makeCIDR throws on an impossible prefix (programmer error)', () => {
    expect(() => makeCIDR(4, 0n, 33)).toThrow(RangeError);
    expect(makeCIDR(6, 1n, 127).text).toBe('::/127');
  });
});

describe('label values (CIDRToLabelValue)', () => {
  it('replaces . x3, : x7 and / x1', () => {
    expect(labelValueOfText('172.18.40.0/24')).toBe('172-18-40-0-24');
    expect(labelValueOfText('abcd:1234::/120')).toBe('abcd-1234---120');
    expect(labelValueOfText('1:2:3:4:5:6:7:8/128')).toBe('1-2-3-4-5-6-7-8-128');
    expect(cidrLabelValue(cidr('172.18.40.0/24'))).toBe('172-18-40-0-24');
    expect(cidrLabelValue(cidr('fd00:0::/64'))).toBe('fd00---64');
  });
});
