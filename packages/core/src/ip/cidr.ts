// CIDRs: Go `net.ParseCIDR` grammar (prefix length in decimal, leading zeros tolerated as Go does), the
// canonical-form check of Spiderpool's `IsFormatCIDR`, containment, overlap and the label value.
import { err, ok, type Result } from 'neverthrow';
import { formatIPValue, isIPv4MappedValue } from './address.ts';
import { type IPError, invalidCIDR, ipv4MappedIPv6, unformattedCIDR, versionMismatch } from './errors.ts';
import { parseAddressText } from './parseAddress.ts';
import type { IPInterval } from './rangeSet.ts';
import { type IPVersion, ipBits } from './version.ts';

export interface CIDR {
  readonly version: IPVersion;
  /** Prefix length: 0-32 or 0-128. */
  readonly prefix: number;
  /** First address (host bits cleared). */
  readonly network: bigint;
  /** The address as written, host bits kept (`172.10.5.0` of `172.10.5.0/16`). */
  readonly address: bigint;
  /** Canonical text: network address and prefix (`172.10.0.0/16`), what Go's `IPNet.String()` prints. */
  readonly text: string;
}

/** Mask of the host bits of a prefix. */
const hostMask = (version: IPVersion, prefix: number): bigint =>
  (1n << BigInt(ipBits(version) - prefix)) - 1n;

/** Decimal prefix length as Go's `dtoi` reads it (digits only, at least one), or undefined. */
const parsePrefixLength = (s: string): number | undefined => {
  if (s.length === 0) return undefined;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
    if (n >= 0xffffff) return undefined;
  }
  return n;
};

/** Builds a CIDR from a family, an address value and a prefix length (programmer errors throw). */
export const makeCIDR = (version: IPVersion, address: bigint, prefix: number): CIDR => {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > ipBits(version)) {
    throw new RangeError(`prefix length ${prefix} out of range for IPv${version}`);
  }
  const network = address & ~hostMask(version, prefix);
  return { version, prefix, network, address, text: `${formatIPValue(version, network)}/${prefix}` };
};

/**
 * A CIDR of either family (`net.ParseCIDR`). A CIDR whose address is IPv4-mapped IPv6 is an
 * `IPv4MappedIPv6` error: Go would call it IPv4 with a 128-bit mask.
 */
export const parseCIDR = (text: string): Result<CIDR, IPError> => {
  const slash = text.indexOf('/');
  if (slash < 0) return err(invalidCIDR(text));
  const addr = parseAddressText(text.slice(0, slash));
  const prefix = parsePrefixLength(text.slice(slash + 1));
  if (addr === undefined || prefix === undefined || prefix > ipBits(addr.version))
    return err(invalidCIDR(text));
  if (addr.version === 6 && isIPv4MappedValue(addr.value)) return err(ipv4MappedIPv6(text));
  return ok(makeCIDR(addr.version, addr.value, prefix));
};

/** A CIDR of the given family (Spiderpool `IsCIDR(version, s)` / `ParseCIDR(version, s)`). */
export const parseCIDROfVersion = (version: IPVersion, text: string): Result<CIDR, IPError> =>
  parseCIDR(text)
    .mapErr((e) => (e._tag === 'InvalidCIDR' ? invalidCIDR(text, version) : e))
    .andThen((c) =>
      c.version === version
        ? ok(c)
        : err(versionMismatch(text, 'CIDR', { expected: version, actual: c.version })),
    );

/**
 * Spiderpool `IsFormatCIDR`: the text must be a CIDR and equal its canonical form, else `UnformattedCIDR`
 * with the hint (`unformatted subnet 172.10.5.0/16, please change it to 172.10.0.0/16`).
 */
export const checkFormatCIDR = (text: string): Result<CIDR, IPError> =>
  parseCIDR(text).andThen((c) => (c.text === text ? ok(c) : err(unformattedCIDR(text, c.text))));

export const formatCIDR = (cidr: CIDR): string => cidr.text;

export const cidrFirst = (cidr: CIDR): bigint => cidr.network;

export const cidrLast = (cidr: CIDR): bigint => cidr.network | hostMask(cidr.version, cidr.prefix);

/** Number of addresses in the CIDR (2^(bits-prefix)). */
export const cidrSize = (cidr: CIDR): bigint => 1n << BigInt(ipBits(cidr.version) - cidr.prefix);

export const cidrToInterval = (cidr: CIDR): IPInterval => ({ start: cidr.network, end: cidrLast(cidr) });

/** Whether the CIDR holds the address value (same family assumed: values of the other family are compared raw). */
export const cidrContains = (cidr: CIDR, value: bigint): boolean =>
  value >= cidr.network && value <= cidrLast(cidr);

/** Whether the CIDR holds every address of the interval. */
export const cidrContainsInterval = (cidr: CIDR, interval: IPInterval): boolean =>
  interval.start >= cidr.network && interval.end <= cidrLast(cidr);

/** Whether `outer` holds all of `inner` (same family, outer prefix not longer). */
export const cidrContainsCIDR = (outer: CIDR, inner: CIDR): boolean =>
  outer.version === inner.version && outer.prefix <= inner.prefix && cidrContains(outer, inner.network);

/** Spiderpool's CIDR overlap: one contains the other (for prefixes this is the same as sharing an address). */
export const cidrsOverlap = (a: CIDR, b: CIDR): boolean => cidrContainsCIDR(a, b) || cidrContainsCIDR(b, a);

/**
 * Spiderpool `CIDRToLabelValue` on a text: `.` (3 times), `:` (7 times) and `/` (once) become `-`:
 * `172.18.40.0/24` -> `172-18-40-0-24`, `abcd:1234::/120` -> `abcd-1234---120`.
 */
export const labelValueOfText = (text: string): string => {
  let dots = 0;
  let colons = 0;
  let slashes = 0;
  let out = '';
  for (const ch of text) {
    if (ch === '.' && dots < 3) {
      dots++;
      out += '-';
    } else if (ch === ':' && colons < 7) {
      colons++;
      out += '-';
    } else if (ch === '/' && slashes < 1) {
      slashes++;
      out += '-';
    } else {
      out += ch;
    }
  }
  return out;
};

/** The label value of a parsed CIDR, from its canonical text. */
export const cidrLabelValue = (cidr: CIDR): string => labelValueOfText(cidr.text);
