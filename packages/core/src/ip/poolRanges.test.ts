import { describe, expect, it } from 'vitest';
import { formatIPRanges } from './ipRange.ts';
import { MAX_INT64, parsePoolRanges, saturateInt64, totalIPCount } from './poolRanges.ts';

describe('totalIPCount (NewCIDR(...).TotalIP)', () => {
  it('counts the seed pool: 10 addresses', () => {
    expect(totalIPCount('10.20.0.0/16', ['10.20.168.190-10.20.168.199'], [])._unsafeUnwrap()).toBe(10n);
  });

  it('subtracts excludeIPs, which may lie outside ips but inside the subnet', () => {
    expect(
      totalIPCount(
        '10.20.0.0/16',
        ['10.20.168.190-10.20.168.199'],
        ['10.20.168.190', '10.20.0.1'],
      )._unsafeUnwrap(),
    ).toBe(9n);
    expect(
      totalIPCount('10.20.0.0/16', ['10.20.0.1-10.20.0.10'], ['10.20.0.0-10.20.0.255'])._unsafeUnwrap(),
    ).toBe(0n);
  });

  it('counts overlapping excludeIPs once', () => {
    expect(
      totalIPCount(
        '10.0.0.0/24',
        ['10.0.0.1-10.0.0.100'],
        ['10.0.0.1-10.0.0.50', '10.0.0.40-10.0.0.60'],
      )._unsafeUnwrap(),
    ).toBe(40n);
  });

  it('is exact for huge IPv6 pools', () => {
    expect(totalIPCount('fd00::/64', ['fd00::-fd00::ffff:ffff:ffff:ffff'], [])._unsafeUnwrap()).toBe(
      1n << 64n,
    );
    expect(totalIPCount('::/0', ['::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'], [])._unsafeUnwrap()).toBe(
      1n << 128n,
    );
  });

  it('an empty pool counts 0', () => {
    expect(totalIPCount('fd00::/64', [], [])._unsafeUnwrap()).toBe(0n);
  });
});

describe('saturateInt64 (status.totalIPCount cap)', () => {
  it('caps at 2^63-1 and leaves smaller counts alone', () => {
    expect(MAX_INT64).toBe(9223372036854775807n);
    expect(saturateInt64(1n << 64n)).toBe(MAX_INT64);
    expect(saturateInt64(MAX_INT64 + 1n)).toBe(MAX_INT64);
    expect(saturateInt64(MAX_INT64)).toBe(MAX_INT64);
    expect(saturateInt64(10n)).toBe(10n);
  });
});

describe('parsePoolRanges (NewCIDR rules)', () => {
  it('returns the merged sets and the available addresses', () => {
    const p = parsePoolRanges(
      '10.0.0.0/24',
      ['10.0.0.10-10.0.0.20', '10.0.0.1'],
      ['10.0.0.15'],
    )._unsafeUnwrap();
    expect(p.subnet.text).toBe('10.0.0.0/24');
    expect(formatIPRanges(p.ips)).toEqual(['10.0.0.1', '10.0.0.10-10.0.0.20']);
    expect(formatIPRanges(p.excludeIPs)).toEqual(['10.0.0.15']);
    expect(formatIPRanges(p.available)).toEqual(['10.0.0.1', '10.0.0.10-10.0.0.14', '10.0.0.16-10.0.0.20']);
    expect(p.total).toBe(11n);
  });

  it('accepts adjacent (touching, not overlapping) ranges', () => {
    expect(parsePoolRanges('10.0.0.0/24', ['10.0.0.1-10.0.0.5', '10.0.0.6-10.0.0.9'], []).isOk()).toBe(true);
  });

  it('rejects a bad subnet', () => {
    expect(parsePoolRanges('10.0.0.0/33', [], [])._unsafeUnwrapErr()).toMatchObject({ _tag: 'InvalidCIDR' });
    expect(parsePoolRanges('::ffff:10.0.0.0/120', [], [])._unsafeUnwrapErr()._tag).toBe('IPv4MappedIPv6');
  });

  it.each([
    [['10.0.1.1'], [], '10.0.1.1'],
    [['10.0.0.250-10.0.1.5'], [], '10.0.0.250-10.0.1.5'],
    [['10.0.0.1'], ['9.255.255.255-10.0.0.3'], '9.255.255.255-10.0.0.3'],
  ])('rejects ranges outside the subnet: ips %j excludeIPs %j', (ips, exclude, value) => {
    const e = parsePoolRanges('10.0.0.0/24', ips, exclude)._unsafeUnwrapErr();
    expect(e).toEqual({
      _tag: 'RangeOutsideSubnet',
      value,
      subnet: '10.0.0.0/24',
      message: `not match base subnet 10.0.0.0/24: ${value}`,
    });
  });

  it('rejects CIDRs and malformed ranges in ips and excludeIPs', () => {
    expect(parsePoolRanges('10.6.0.0/16', ['10.6.0.1/24'], [])._unsafeUnwrapErr()).toMatchObject({
      _tag: 'InvalidIPRange',
      problem: 'cidr',
    });
    expect(parsePoolRanges('10.6.0.0/16', [], ['10.6.0.9-10.6.0.1'])._unsafeUnwrapErr()).toMatchObject({
      _tag: 'InvalidIPRange',
      problem: 'order',
    });
    expect(parsePoolRanges('fd00::/64', ['10.6.0.1'], [])._unsafeUnwrapErr()).toMatchObject({
      _tag: 'InvalidIPRange',
      problem: 'family',
    });
  });

  it.each([
    [
      ['10.0.0.1-10.0.0.10', '10.0.0.3-10.0.0.4'],
      '10.0.0.3-10.0.0.4',
      '10.0.0.1-10.0.0.10',
      'coveredBy',
      'is already covered by',
    ],
    [
      ['10.0.0.1-10.0.0.10', '10.0.0.1-10.0.0.10'],
      '10.0.0.1-10.0.0.10',
      '10.0.0.1-10.0.0.10',
      'coveredBy',
      'is already covered by',
    ],
    [
      ['10.0.0.3-10.0.0.4', '10.0.0.1-10.0.0.10'],
      '10.0.0.1-10.0.0.10',
      '10.0.0.3-10.0.0.4',
      'covers',
      'covers',
    ],
    [
      ['10.0.0.1-10.0.0.5', '10.0.0.5-10.0.0.9'],
      '10.0.0.5-10.0.0.9',
      '10.0.0.1-10.0.0.5',
      'overlaps',
      'overlaps with',
    ],
    [
      ['10.0.0.5-10.0.0.9', '10.0.0.1-10.0.0.5'],
      '10.0.0.1-10.0.0.5',
      '10.0.0.5-10.0.0.9',
      'overlaps',
      'overlaps with',
    ],
  ] as const)('rejects overlapping ips %j naming both', (ips, value, other, overlap, words) => {
    const e = parsePoolRanges('10.0.0.0/24', ips, [])._unsafeUnwrapErr();
    expect(e).toEqual({
      _tag: 'RangesOverlap',
      value,
      other,
      overlap,
      message: `range ${value} ${words} ${other}`,
    });
  });

  it('names the first earlier range in input order, as Go does', () => {
    const e = parsePoolRanges(
      '10.0.0.0/24',
      ['10.0.0.50', '10.0.0.1-10.0.0.3', '10.0.0.7', '10.0.0.2-10.0.0.60'],
      [],
    );
    expect(e._unsafeUnwrapErr()).toMatchObject({
      value: '10.0.0.2-10.0.0.60',
      other: '10.0.0.50',
      overlap: 'covers',
    });
  });

  it('takes ranges one by one, as Go does: an earlier collision wins over a later malformed range', () => {
    const first = parsePoolRanges('10.0.0.0/24', ['10.0.0.1-10.0.0.5', '10.0.0.3', 'bad'], []);
    expect(first._unsafeUnwrapErr()._tag).toBe('RangesOverlap');
    const second = parsePoolRanges('10.0.0.0/24', ['10.0.0.1', 'bad', '10.0.0.1'], []);
    expect(second._unsafeUnwrapErr()).toMatchObject({ _tag: 'InvalidIPRange', value: 'bad' });
  });
});
