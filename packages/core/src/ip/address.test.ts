import { describe, expect, it } from 'vitest';
import {
  compareIP,
  formatIP,
  formatIPValue,
  ipEquals,
  isIPv4MappedValue,
  mapIPv4,
  nextIP,
  parseIP,
  parseIPOfVersion,
  prevIP,
  unmapIPv4,
} from './address.ts';
import { IPV6_MAX } from './version.ts';

const value = (text: string): bigint => parseIP(text)._unsafeUnwrap().value;

describe('parseIP: IPv4 (Go net.ParseIP grammar)', () => {
  it.each([
    ['0.0.0.0', 0n],
    ['10.20.168.190', 0x0a14a8ben],
    ['255.255.255.255', 0xffffffffn],
    ['1.2.3.4', 0x01020304n],
  ])('%s', (text, v) => {
    expect(parseIP(text)._unsafeUnwrap()).toEqual({ version: 4, value: v });
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.0.0.1',
    '01.2.3.4', // leading zeros are rejected, as Go >= 1.17 does
    '1.2.3.04',
    '1..2.3',
    '.1.2.3',
    '1.2.3.',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '1.2.3.4/32',
    '1.2.3.a',
    '0x1.2.3.4',
  ])('rejects %j with InvalidIP carrying the value', (text) => {
    const e = parseIP(text)._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: 'InvalidIP', value: text });
    expect(e.message).toBe(`invalid IP address: ${text}`);
  });
});

describe('parseIP: IPv6', () => {
  it.each([
    ['::', 0n],
    ['::1', 1n],
    ['1::', 1n << 112n],
    ['2001:db8::1', 0x20010db8000000000000000000000001n],
    ['2001:DB8:0:0:0:0:0:1', 0x20010db8000000000000000000000001n],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', IPV6_MAX],
    ['1:2:3:4:5:6:7::', 0x0001000200030004000500060007_0000n],
    ['::2:3:4:5:6:7:8', 0x0000000200030004000500060007_0008n],
    ['1:2:3:4:5:6:1.2.3.4', 0x0001000200030004000500060102_0304n],
    ['::1.2.3.4', 0x01020304n],
    ['64:ff9b::192.0.2.33', 0x0064ff9b0000000000000000c0000221n],
    ['0001:0db8::0001', 0x00010db8000000000000000000000001n],
  ])('%s', (text, v) => {
    expect(parseIP(text)._unsafeUnwrap()).toEqual({ version: 6, value: v });
  });

  it.each([
    ':',
    ':::',
    '1:::2',
    '1::2::3',
    ':1::',
    '1::2:',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8::',
    '::1:2:3:4:5:6:7:8',
    '12345::',
    'g::1',
    'fe80::1%eth0', // zones are rejected, as net.ParseIP does
    '1:2:3:4:5:6:7:1.2.3.4',
    '::1.2.3',
    '::01.2.3.4',
    '::1.2.3.4:5',
    '::ffff:1.2.3.4.5',
  ])('rejects %j', (text) => {
    expect(parseIP(text)._unsafeUnwrapErr()).toMatchObject({ _tag: 'InvalidIP', value: text });
  });
});

describe('IPv4-mapped IPv6', () => {
  it('parses as IPv6 in ::ffff:0:0/96 (RFC 4291), in dotted or hex form', () => {
    expect(parseIP('::ffff:1.2.3.4')._unsafeUnwrap()).toEqual({ version: 6, value: 0xffff01020304n });
    expect(value('::ffff:102:304')).toBe(0xffff01020304n);
    expect(isIPv4MappedValue(value('::ffff:1.2.3.4'))).toBe(true);
    expect(isIPv4MappedValue(value('::1.2.3.4'))).toBe(false);
    expect(isIPv4MappedValue(value('1.2.3.4'))).toBe(false);
  });

  it('maps and unmaps', () => {
    expect(mapIPv4(0x01020304n)).toBe(0xffff01020304n);
    expect(unmapIPv4(0xffff01020304n)).toBe(0x01020304n);
  });

  it('prints in RFC 5952 §5 mixed notation', () => {
    expect(formatIPValue(6, 0xffff01020304n)).toBe('::ffff:1.2.3.4');
    expect(formatIPValue(6, 0xffff00000000n)).toBe('::ffff:0.0.0.0');
  });

  it('is rejected where a Spiderpool family check would be ambiguous, for both families', () => {
    for (const v of [4, 6] as const) {
      for (const text of ['::ffff:1.2.3.4', '::ffff:102:304', '::FFFF:10.0.0.1']) {
        const e = parseIPOfVersion(v, text)._unsafeUnwrapErr();
        expect(e).toMatchObject({ _tag: 'IPv4MappedIPv6', value: text });
        expect(e.message).toContain('ambiguous');
      }
    }
  });
});

describe('parseIPOfVersion (Spiderpool IsIP)', () => {
  it('accepts the family asked for', () => {
    expect(parseIPOfVersion(4, '10.0.0.1')._unsafeUnwrap()).toEqual({ version: 4, value: 0x0a000001n });
    expect(parseIPOfVersion(6, 'fd00::1')._unsafeUnwrap().version).toBe(6);
    expect(parseIPOfVersion(6, '::1.2.3.4')._unsafeUnwrap().value).toBe(0x01020304n);
  });

  it('reports the other family as VersionMismatch with Spiderpool-like wording', () => {
    const e = parseIPOfVersion(4, 'fd00::1')._unsafeUnwrapErr();
    expect(e).toMatchObject({
      _tag: 'VersionMismatch',
      value: 'fd00::1',
      kind: 'IP',
      expected: 4,
      actual: 6,
    });
    expect(e.message).toBe("invalid IP format in IPv4 'fd00::1' (it is IPv6)");
    expect(parseIPOfVersion(6, '10.0.0.1')._unsafeUnwrapErr()).toMatchObject({ _tag: 'VersionMismatch' });
  });

  it('reports garbage as InvalidIP in the family', () => {
    const e = parseIPOfVersion(4, '10.0.0.256')._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: 'InvalidIP', value: '10.0.0.256', version: 4 });
    expect(e.message).toBe("invalid IP format in IPv4 '10.0.0.256'");
  });
});

describe('formatIP (RFC 5952)', () => {
  it.each([
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero field is not compressed
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // the longest run wins
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // the first run wins on ties
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:0:0:0:0:0', '1::'],
    ['0001:0db8:000a::', '1:db8:a::'],
    ['::1.2.3.4', '::102:304'],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['10.20.0.1', '10.20.0.1'],
  ])('%s -> %s', (text, canonical) => {
    expect(formatIP(parseIP(text)._unsafeUnwrap())).toBe(canonical);
  });
});

describe('nextIP / prevIP', () => {
  it('steps by one inside the family', () => {
    expect(formatIP(nextIP(parseIP('10.0.0.255')._unsafeUnwrap())!)).toBe('10.0.1.0');
    expect(formatIP(prevIP(parseIP('10.0.1.0')._unsafeUnwrap())!)).toBe('10.0.0.255');
    expect(formatIP(nextIP(parseIP('::ffff:ffff')._unsafeUnwrap())!)).toBe('::1:0:0');
  });

  it('returns undefined past either end (no wrap-around)', () => {
    expect(nextIP({ version: 4, value: 0xffffffffn })).toBeUndefined();
    expect(prevIP({ version: 4, value: 0n })).toBeUndefined();
    expect(nextIP({ version: 6, value: IPV6_MAX })).toBeUndefined();
    expect(prevIP({ version: 6, value: 0n })).toBeUndefined();
    expect(nextIP({ version: 4, value: 0xfffffffen })).toEqual({ version: 4, value: 0xffffffffn });
  });
});

describe('compareIP / ipEquals', () => {
  it('orders by family, then value', () => {
    const a = parseIP('10.0.0.1')._unsafeUnwrap();
    const b = parseIP('10.0.0.2')._unsafeUnwrap();
    const c = parseIP('::1')._unsafeUnwrap();
    expect(compareIP(a, b)).toBe(-1);
    expect(compareIP(b, a)).toBe(1);
    expect(compareIP(a, a)).toBe(0);
    expect(compareIP(c, a)).toBe(1);
    expect(ipEquals(a, { version: 4, value: 0x0a000001n })).toBe(true);
    expect(ipEquals({ version: 6, value: 1n }, { version: 4, value: 1n })).toBe(false);
  });
});
