// Spiderpool's pkg/ip functions on texts, by their Go names, for the webhooks: each takes the pool's family
// and the texts as written, and answers with a Result. They all work on intervals, never on address lists.
import { ok, type Result } from 'neverthrow';
import { parseIPOfVersion } from './address.ts';
import {
  cidrContains,
  cidrContainsCIDR,
  cidrContainsInterval,
  cidrsOverlap,
  labelValueOfText,
  parseCIDROfVersion,
} from './cidr.ts';
import type { IPError } from './errors.ts';
import { formatIPRanges, parseIPRange, parseIPRanges } from './ipRange.ts';
import { subtractRangeSets } from './rangeSet.ts';
import { checkIPVersion, type IPVersion } from './version.ts';

/**
 * `MergeIPRanges`: distinct, sorted, collapsed ranges; single addresses stay bare.
 * `["172.18.40.10","172.18.40.1-172.18.40.2","172.18.40.2-172.18.40.3"]` -> `["172.18.40.1-172.18.40.3","172.18.40.10"]`.
 */
export const mergeIPRanges = (version: IPVersion, ranges: readonly string[]): Result<string[], IPError> =>
  checkIPVersion(version).andThen((v) => parseIPRanges(v, ranges).map(formatIPRanges));

/** `ips` minus `excludeIPs`, in the same merged form (Spiderpool's `AssembleTotalIPs`, as ranges). */
export const subtractIPRanges = (
  version: IPVersion,
  ranges: readonly string[],
  exclude: readonly string[],
): Result<string[], IPError> =>
  checkIPVersion(version).andThen((v) =>
    parseIPRanges(v, ranges).andThen((a) =>
      parseIPRanges(v, exclude).map((b) => formatIPRanges(subtractRangeSets(a, b))),
    ),
  );

/**
 * `IPRangeContainsIP`: whether the range holds the address. (Go compares a single-address range as a string;
 * this compares values, so `10.0.0.1` holds itself however it is written.)
 */
export const ipRangeContainsIP = (version: IPVersion, range: string, ip: string): Result<boolean, IPError> =>
  parseIPRange(version, range).andThen((iv) =>
    parseIPOfVersion(version, ip).map((a) => a.value >= iv.start && a.value <= iv.end),
  );

/** `IsIPRangeOverlap`: whether two ranges share an address. */
export const isIPRangeOverlap = (
  version: IPVersion,
  range1: string,
  range2: string,
): Result<boolean, IPError> =>
  parseIPRange(version, range1).andThen((a) =>
    parseIPRange(version, range2).map((b) => a.start <= b.end && b.start <= a.end),
  );

/** `ContainsIPRange`: whether the subnet holds every address of the range. */
export const cidrContainsIPRange = (
  version: IPVersion,
  subnet: string,
  range: string,
): Result<boolean, IPError> =>
  parseCIDROfVersion(version, subnet).andThen((c) =>
    parseIPRange(version, range).map((iv) => cidrContainsInterval(c, iv)),
  );

/** `ContainsIP`: whether the subnet holds the address. */
export const cidrContainsIP = (version: IPVersion, subnet: string, ip: string): Result<boolean, IPError> =>
  parseCIDROfVersion(version, subnet).andThen((c) =>
    parseIPOfVersion(version, ip).map((a) => cidrContains(c, a.value)),
  );

/** `ContainsCIDR`: whether `subnet1` holds all of `subnet2`. */
export const containsCIDR = (
  version: IPVersion,
  subnet1: string,
  subnet2: string,
): Result<boolean, IPError> =>
  parseCIDROfVersion(version, subnet1).andThen((a) =>
    parseCIDROfVersion(version, subnet2).map((b) => cidrContainsCIDR(a, b)),
  );

/** `IsCIDROverlap`: whether either subnet contains the other. */
export const isCIDROverlap = (
  version: IPVersion,
  subnet1: string,
  subnet2: string,
): Result<boolean, IPError> =>
  parseCIDROfVersion(version, subnet1).andThen((a) =>
    parseCIDROfVersion(version, subnet2).map((b) => cidrsOverlap(a, b)),
  );

/**
 * `CIDRToLabelValue`: the subnet must be a CIDR of the family; the text as written becomes the label value
 * (`172.18.40.0/24` -> `172-18-40-0-24`, `abcd:1234::/120` -> `abcd-1234---120`).
 */
export const cidrToLabelValue = (version: IPVersion, subnet: string): Result<string, IPError> =>
  parseCIDROfVersion(version, subnet).andThen(() => ok(labelValueOfText(subnet)));

/** `IsIP(version, s)` as a Result. */
export const isIP = (version: IPVersion, ip: string): Result<void, IPError> =>
  parseIPOfVersion(version, ip).map(() => undefined);

/** `IsCIDR(version, s)` as a Result. */
export const isCIDR = (version: IPVersion, subnet: string): Result<void, IPError> =>
  parseCIDROfVersion(version, subnet).map(() => undefined);
