// @spiderpool-ts/core ip: addresses, CIDRs and Spiderpool IP ranges as intervals (never expanded).

export type { IP } from './address.ts';
export {
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
export type { CIDR } from './cidr.ts';
export {
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
  makeCIDR,
  parseCIDR,
  parseCIDROfVersion,
} from './cidr.ts';
export type { IPError, IPErrorTag, IPRangeProblem, RangeOverlapKind, RouteProblem } from './errors.ts';
export {
  badPattern,
  invalidCIDR,
  invalidIP,
  invalidIPRange,
  invalidIPVersion,
  invalidRoute,
  ipv4MappedIPv6,
  rangeOutsideSubnet,
  rangesOverlap,
  unformattedCIDR,
  versionMismatch,
} from './errors.ts';
export { formatIPRange, formatIPRanges, isIPRange, parseIPRange, parseIPRanges } from './ipRange.ts';
export type { PoolRanges } from './poolRanges.ts';
export { MAX_INT64, parsePoolRanges, saturateInt64, totalIPCount } from './poolRanges.ts';
export type { IPInterval, IPRangeSet } from './rangeSet.ts';
export {
  emptyRangeSet,
  findInterval,
  intersectRangeSets,
  isRangeSetEmpty,
  isRangeSetSubset,
  rangeSetContains,
  rangeSetContainsInterval,
  rangeSetEquals,
  rangeSetFromIntervals,
  rangeSetOf,
  rangeSetsOverlap,
  subtractRangeSets,
  unionRangeSets,
} from './rangeSet.ts';
export { rangeSetAt, rangeSetIndexOf, rangeSetSize, rangeSetValues } from './rangeSetIndex.ts';
export type { ParsedRoute, RouteText } from './route.ts';
export { validateRoute, validateRoutes } from './route.ts';
export {
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
export type { IPVersion } from './version.ts';
export { checkIPVersion, IPV4_MAX, IPV6_MAX, ipBits, ipMaxValue, isIPVersion } from './version.ts';
export { expandPoolNames, hasWildcard, isValidPoolNamePattern, matchPoolName } from './wildcard.ts';
