// Errors of the IP core: one tagged union, one constructor per variant. Every variant carries the offending
// `value` and a `message` derived from its fields, worded like Spiderpool's pkg/ip errors where one exists.
import type { IPVersion } from './version.ts';

/** Why a range text was rejected (the message keeps Spiderpool's single wording; this says which rule). */
export type IPRangeProblem = 'syntax' | 'family' | 'order' | 'ipv4Mapped' | 'cidr';

/** How two ranges of one pool's `ips` collide (Spiderpool NewCIDR's three wordings). */
export type RangeOverlapKind = 'coveredBy' | 'covers' | 'overlaps';

/** Which rule of a route failed. */
export type RouteProblem = 'dst' | 'gw' | 'family' | 'defaultRoute' | 'gwOutsideSubnet' | 'duplicateDst';

export type IPError =
  | { readonly _tag: 'InvalidIPVersion'; readonly value: unknown; readonly message: string }
  | {
      readonly _tag: 'InvalidIP';
      readonly value: string;
      readonly version?: IPVersion;
      readonly message: string;
    }
  | { readonly _tag: 'IPv4MappedIPv6'; readonly value: string; readonly message: string }
  | {
      readonly _tag: 'InvalidCIDR';
      readonly value: string;
      readonly version?: IPVersion;
      readonly message: string;
    }
  | {
      readonly _tag: 'UnformattedCIDR';
      readonly value: string;
      readonly canonical: string;
      readonly message: string;
    }
  | {
      readonly _tag: 'VersionMismatch';
      readonly value: string;
      readonly kind: 'IP' | 'CIDR';
      readonly expected: IPVersion;
      readonly actual: IPVersion;
      readonly message: string;
    }
  | {
      readonly _tag: 'InvalidIPRange';
      readonly value: string;
      readonly version: IPVersion;
      readonly problem: IPRangeProblem;
      readonly message: string;
    }
  | {
      readonly _tag: 'RangeOutsideSubnet';
      readonly value: string;
      readonly subnet: string;
      readonly message: string;
    }
  | {
      readonly _tag: 'RangesOverlap';
      readonly value: string;
      readonly other: string;
      readonly overlap: RangeOverlapKind;
      readonly message: string;
    }
  | {
      readonly _tag: 'InvalidRoute';
      readonly value: string;
      readonly dst: string;
      readonly gw: string;
      readonly problem: RouteProblem;
      /** Position in the routes list, when a list was validated. */
      readonly index?: number;
      readonly message: string;
    }
  | { readonly _tag: 'BadPattern'; readonly value: string; readonly message: string };

export type IPErrorTag = IPError['_tag'];

export const invalidIPVersion = (value: unknown): IPError => ({
  _tag: 'InvalidIPVersion',
  value,
  message: `invalid IP version '${String(value)}'`,
});

export const invalidIP = (value: string, version?: IPVersion): IPError =>
  version === undefined
    ? { _tag: 'InvalidIP', value, message: `invalid IP address: ${value}` }
    : { _tag: 'InvalidIP', value, version, message: `invalid IP format in IPv${version} '${value}'` };

export const ipv4MappedIPv6 = (value: string): IPError => ({
  _tag: 'IPv4MappedIPv6',
  value,
  message:
    `IPv4-mapped IPv6 address '${value}' is ambiguous (Spiderpool treats it as IPv4): ` +
    'write the plain IPv4 address, or an IPv6 address outside ::ffff:0:0/96',
});

export const invalidCIDR = (value: string, version?: IPVersion): IPError =>
  version === undefined
    ? { _tag: 'InvalidCIDR', value, message: `invalid CIDR address: ${value}` }
    : { _tag: 'InvalidCIDR', value, version, message: `invalid CIDR format in IPv${version} '${value}'` };

export const unformattedCIDR = (value: string, canonical: string): IPError => ({
  _tag: 'UnformattedCIDR',
  value,
  canonical,
  message: `unformatted subnet ${value}, please change it to ${canonical}`,
});

export const versionMismatch = (
  value: string,
  kind: 'IP' | 'CIDR',
  versions: { expected: IPVersion; actual: IPVersion },
): IPError => ({
  _tag: 'VersionMismatch',
  value,
  kind,
  expected: versions.expected,
  actual: versions.actual,
  message: `invalid ${kind} format in IPv${versions.expected} '${value}' (it is IPv${versions.actual})`,
});

const rangeProblemText: Record<IPRangeProblem, string> = {
  syntax: '',
  family: '',
  order: '',
  cidr: '',
  ipv4Mapped: ' (IPv4-mapped IPv6 addresses are ambiguous, write the plain IPv4 address)',
};

export const invalidIPRange = (value: string, version: IPVersion, problem: IPRangeProblem): IPError => ({
  _tag: 'InvalidIPRange',
  value,
  version,
  problem,
  message: `invalid IP range format in IPv${version} '${value}'${rangeProblemText[problem]}`,
});

export const rangeOutsideSubnet = (value: string, subnet: string): IPError => ({
  _tag: 'RangeOutsideSubnet',
  value,
  subnet,
  message: `not match base subnet ${subnet}: ${value}`,
});

const overlapWording: Record<RangeOverlapKind, string> = {
  coveredBy: 'is already covered by',
  covers: 'covers',
  overlaps: 'overlaps with',
};

export const rangesOverlap = (value: string, other: string, overlap: RangeOverlapKind): IPError => ({
  _tag: 'RangesOverlap',
  value,
  other,
  overlap,
  message: `range ${value} ${overlapWording[overlap]} ${other}`,
});

const routeWording: Record<RouteProblem, (r: { dst: string; gw: string }) => string> = {
  dst: (r) => `invalid route dst '${r.dst}': not a CIDR`,
  gw: (r) => `invalid route gw '${r.gw}': not an IP address`,
  family: (r) =>
    `invalid route format 'dst: ${r.dst}, gw: ${r.gw}': dst and gw must use the pool's IP family`,
  defaultRoute: () => "please specify 'spec.gateway' to configure the default route",
  gwOutsideSubnet: (r) => `route gw ${r.gw} does not pertain to the subnet of the pool`,
  duplicateDst: () => 'duplicate route with the same dst',
};

export const invalidRoute = (
  route: { dst: string; gw: string },
  problem: RouteProblem,
  index?: number,
): IPError => ({
  _tag: 'InvalidRoute',
  value: problem === 'gw' || problem === 'gwOutsideSubnet' ? route.gw : route.dst,
  dst: route.dst,
  gw: route.gw,
  problem,
  ...(index === undefined ? {} : { index }),
  message: routeWording[problem](route),
});

export const badPattern = (value: string): IPError => ({
  _tag: 'BadPattern',
  value,
  message: `syntax error in pattern '${value}'`,
});
