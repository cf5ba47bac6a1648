// Single addresses: parse, canonical text (dotted quad; RFC 5952 for IPv6), next/previous, comparisons.
// An address is a family plus a bigint. IPv4-mapped IPv6 (`::ffff:1.2.3.4`) parses as IPv6 (RFC 4291 §2.5.5.2)
// and prints in RFC 5952 §5 mixed notation; where Spiderpool would check a family, `parseIPOfVersion` rejects
// it (see docs/adr/0002-ip-core.md).
import { err, ok, type Result } from 'neverthrow';
import { type IPError, invalidIP, ipv4MappedIPv6, versionMismatch } from './errors.ts';
import { parseAddressText } from './parseAddress.ts';
import { type IPVersion, ipMaxValue } from './version.ts';

export interface IP {
  readonly version: IPVersion;
  readonly value: bigint;
}

const MAPPED_PREFIX = 0xffffn << 32n;
const LOW32 = 0xffff_ffffn;

/** Whether a 128-bit value lies in ::ffff:0:0/96 (IPv4-mapped IPv6). */
export const isIPv4MappedValue = (value: bigint): boolean => value >> 32n === 0xffffn;

/** The IPv4 address an IPv4-mapped IPv6 value stands for (caller checks `isIPv4MappedValue`). */
export const unmapIPv4 = (value: bigint): bigint => value & LOW32;

/** The IPv4-mapped IPv6 value of an IPv4 value. */
export const mapIPv4 = (value: bigint): bigint => MAPPED_PREFIX | (value & LOW32);

/** Any IPv4 or IPv6 address text (Go `net.ParseIP` grammar). IPv4-mapped IPv6 comes back as version 6. */
export const parseIP = (text: string): Result<IP, IPError> => {
  const parsed = parseAddressText(text);
  return parsed === undefined ? err(invalidIP(text)) : ok(parsed);
};

/**
 * An address of the given family, as Spiderpool's `IsIP(version, s)` would accept it, except that an
 * IPv4-mapped IPv6 address is an `IPv4MappedIPv6` error for both families (Spiderpool calls it IPv4).
 */
export const parseIPOfVersion = (version: IPVersion, text: string): Result<IP, IPError> => {
  const parsed = parseAddressText(text);
  if (parsed === undefined) return err(invalidIP(text, version));
  if (parsed.version === 6 && isIPv4MappedValue(parsed.value)) return err(ipv4MappedIPv6(text));
  if (parsed.version !== version) {
    return err(versionMismatch(text, 'IP', { expected: version, actual: parsed.version }));
  }
  return ok(parsed);
};

const formatIPv4 = (value: bigint): string => {
  const n = Number(value & LOW32);
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
};

const groups = new Array<number>(8).fill(0);

const formatIPv6 = (value: bigint): string => {
  if (isIPv4MappedValue(value)) return `::ffff:${formatIPv4(value)}`;
  for (let k = 0; k < 4; k++) {
    const word = Number((value >> BigInt(96 - 32 * k)) & LOW32);
    groups[2 * k] = word >>> 16;
    groups[2 * k + 1] = word & 0xffff;
  }
  // RFC 5952 §4.2: compress the longest run (>= 2) of zero fields, the first one on ties.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += '::';
      i += bestLen - 1;
      continue;
    }
    if (out.length > 0 && !out.endsWith(':')) out += ':';
    out += (groups[i] as number).toString(16);
  }
  return out;
};

/** Canonical text of an address value: dotted quad, or RFC 5952 IPv6. */
export const formatIPValue = (version: IPVersion, value: bigint): string =>
  version === 4 ? formatIPv4(value) : formatIPv6(value);

export const formatIP = (ip: IP): string => formatIPValue(ip.version, ip.value);

/** The next address, or undefined after the family's last address (no wrap-around). */
export const nextIP = (ip: IP): IP | undefined =>
  ip.value >= ipMaxValue(ip.version) ? undefined : { version: ip.version, value: ip.value + 1n };

/** The previous address, or undefined before 0.0.0.0 / :: (no wrap-around). */
export const prevIP = (ip: IP): IP | undefined =>
  ip.value <= 0n ? undefined : { version: ip.version, value: ip.value - 1n };

/** -1, 0 or 1; IPv4 sorts before IPv6. */
export const compareIP = (a: IP, b: IP): -1 | 0 | 1 => {
  if (a.version !== b.version) return a.version < b.version ? -1 : 1;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
};

export const ipEquals = (a: IP, b: IP): boolean => a.version === b.version && a.value === b.value;
