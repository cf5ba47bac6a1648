import { describe, expect, it } from 'vitest';
import { formatIPRange, formatIPRanges, isIPRange, parseIPRange, parseIPRanges } from './ipRange.ts';
import { rangeSetFromIntervals } from './rangeSet.ts';

describe('parseIPRange / isIPRange (Spiderpool IsIPRange)', () => {
  it('accepts a single address and an ordered pair, both families', () => {
    expect(parseIPRange(4, '172.18.40.1')._unsafeUnwrap()).toEqual({ start: 0xac122801n, end: 0xac122801n });
    expect(parseIPRange(4, '172.18.40.1-172.18.40.10')._unsafeUnwrap()).toEqual({
      start: 0xac122801n,
      end: 0xac12280an,
    });
    expect(parseIPRange(4, '172.18.40.1-172.18.40.1').isOk()).toBe(true);
    expect(parseIPRange(6, 'fd00::1-fd00::ff')._unsafeUnwrap()).toEqual({
      start: (0xfd00n << 112n) | 1n,
      end: (0xfd00n << 112n) | 0xffn,
    });
    expect(isIPRange(6, '2001:db8:a0b:12f0::1').isOk()).toBe(true);
  });

  it.each([
    [4, '172.18.40.2-172.18.40.1', 'order'],
    [4, '172.18.40.0 - 172.18.40.10', 'syntax'],
    [4, ' 172.18.40.0', 'syntax'],
    [4, '172.18.40.1-172.18.40.2-172.18.40.3', 'syntax'],
    [4, '', 'syntax'],
    [4, '-', 'syntax'],
    [4, '172.18.40.1-', 'syntax'],
    [4, '-172.18.40.1', 'syntax'],
    [4, '172.18.40.1-2001:db8:a0b:12f0::1', 'family'],
    [4, 'fd00::1', 'family'],
    [6, '172.18.40.1', 'family'],
    [6, 'fd00::2-fd00::1', 'order'],
    [4, '10.6.0.1/24', 'cidr'],
    [6, 'fd00::/64', 'cidr'],
    [4, '::ffff:10.0.0.1', 'ipv4Mapped'],
    [6, '::ffff:10.0.0.1-::ffff:10.0.0.9', 'ipv4Mapped'],
    [6, 'fd00::1-::ffff:a00:1', 'ipv4Mapped'],
    [4, '010.0.0.1', 'syntax'],
  ] as const)('IPv%s %j is InvalidIPRange (%s)', (version, text, problem) => {
    const e = parseIPRange(version, text)._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: 'InvalidIPRange', value: text, version, problem });
    expect(e.message.startsWith(`invalid IP range format in IPv${version} '${text}'`)).toBe(true);
    expect(isIPRange(version, text).isErr()).toBe(true);
  });

  it('explains the IPv4-mapped rejection in the message', () => {
    expect(parseIPRange(4, '::ffff:10.0.0.1')._unsafeUnwrapErr().message).toContain('IPv4-mapped');
  });
});

describe('parseIPRanges', () => {
  it('merges overlapping and adjacent input into a canonical set', () => {
    const set = parseIPRanges(4, [
      '10.0.0.10',
      '10.0.0.1-10.0.0.2',
      '10.0.0.2-10.0.0.3',
      '10.0.0.4',
    ])._unsafeUnwrap();
    expect(set).toEqual({
      version: 4,
      intervals: [
        { start: 0x0a000001n, end: 0x0a000004n },
        { start: 0x0a00000an, end: 0x0a00000an },
      ],
    });
  });

  it('returns the first bad range', () => {
    expect(parseIPRanges(4, ['10.0.0.1', 'x', 'y'])._unsafeUnwrapErr()).toMatchObject({ value: 'x' });
  });

  it('accepts an empty list', () => {
    expect(parseIPRanges(6, [])._unsafeUnwrap()).toEqual({ version: 6, intervals: [] });
  });
});

describe('formatIPRange(s)', () => {
  it('prints single addresses bare and runs as a-b, canonical text', () => {
    expect(formatIPRange(4, { start: 1n, end: 1n })).toBe('0.0.0.1');
    expect(formatIPRange(6, { start: 1n, end: 2n })).toBe('::1-::2');
    const set = rangeSetFromIntervals(6, [
      { start: (0xfd00n << 112n) | 5n, end: (0xfd00n << 112n) | 5n },
      { start: 0xfd00n << 112n, end: (0xfd00n << 112n) | 2n },
    ]);
    expect(formatIPRanges(set)).toEqual(['fd00::-fd00::2', 'fd00::5']);
  });
});
