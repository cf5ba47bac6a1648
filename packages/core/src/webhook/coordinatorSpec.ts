// CoordinatorSpec rules shared by the SpiderCoordinator webhook and SpiderMultusConfig.spec.coordinator
// (pkg/coordinatormanager/coordinator_validate.go: ValidateCoordinatorSpec). Field paths are Spiderpool's
// (`spec.extraCIDR[i]` for hijackCIDR, `spec.*` also for an SMC's coordinator block).

import { POD_CIDR_TYPES } from '../api/constants.ts';
import type { CoordinatorSpec } from '../api/coordinator.ts';
import { formatIP, formatIPValue, parseCIDR, parseIP } from '../ip/index.ts';
import type { FieldError } from './fieldError.ts';
import { index, invalid, notSupported } from './fieldError.ts';

export interface IPOrCIDR {
  readonly version: 4 | 6;
  /** Go `netip.Prefix.String()`: address as written (host bits kept), then the prefix length. */
  readonly text: string;
}

/** Spiderpool `ip.ParseIPOrCIDR`: a bare IP becomes /32 or /128; a CIDR keeps its address. */
export function parseIPOrCIDR(s: string): IPOrCIDR | string {
  if (!s.includes('/')) {
    const ip = parseIP(s);
    if (ip.isErr()) return ip.error.message;
    return { version: ip.value.version, text: `${formatIP(ip.value)}/${ip.value.version === 4 ? 32 : 128}` };
  }
  const c = parseCIDR(s);
  if (c.isErr()) return c.error.message;
  return {
    version: c.value.version,
    text: `${formatIPValue(c.value.version, c.value.address)}/${c.value.prefix}`,
  };
}

const MAC_OCTET = /^[0-9a-fA-F]{2}$/;

function validatePodMACPrefix(prefix: string | undefined): FieldError | undefined {
  if (prefix === undefined || prefix === '') return undefined;
  const bad = invalid('spec.podMACPrefix', prefix, 'not a valid MAC prefix');
  const parts = prefix.split(':');
  if (parts.length !== 2 || !parts.every((p) => MAC_OCTET.test(p))) return bad;
  if ((Number.parseInt(parts[0] ?? '', 16) & 1) !== 0) {
    return invalid(
      'spec.podMACPrefix',
      prefix,
      'not a unicast MAC: the lowest bit of the first byte must be 0',
    );
  }
  return undefined;
}

/**
 * Returns the first violated rule, or undefined. `requireOptionalType` is true for the SpiderCoordinator
 * (podCIDRType and podRPFilter required) and false for an SMC's coordinator block.
 */
export function validateCoordinatorSpec(
  spec: CoordinatorSpec,
  requireOptionalType: boolean,
): FieldError | undefined {
  const types = [...POD_CIDR_TYPES];
  if (requireOptionalType && spec.podCIDRType === undefined)
    return notSupported('spec.podCIDRType', '', types);
  if (spec.podCIDRType !== undefined && !types.includes(spec.podCIDRType as (typeof types)[number])) {
    return notSupported('spec.podCIDRType', spec.podCIDRType, types);
  }
  for (const [i, cidr] of (spec.hijackCIDR ?? []).entries()) {
    const p = parseIPOrCIDR(cidr);
    if (typeof p === 'string') return invalid(index('spec.extraCIDR', i), cidr, p);
  }
  for (const [i, route] of (spec.policyRoutes ?? []).entries()) {
    const base = index('spec.policyRoutes', i);
    const dst = parseIPOrCIDR(route.dst);
    if (typeof dst === 'string') return invalid(`${base}.dst`, route.dst, dst);
    const gw = parseIP(route.gw);
    if (gw.isErr()) return invalid(`${base}.gw`, route.gw, 'gw is an invalid IP address');
    if (dst.version !== gw.value.version)
      return invalid(base, route, 'dst and gw must use the same IP family');
  }
  const mac = validatePodMACPrefix(spec.podMACPrefix);
  if (mac !== undefined) return mac;
  if (spec.txQueueLen !== undefined && spec.txQueueLen < 0) {
    return invalid('spec.txQueueLen', spec.txQueueLen, "txQueueLen can't be less than 0");
  }
  if (requireOptionalType && spec.podRPFilter === undefined) {
    return notSupported('spec.podRPFilter', null, ['0', '1', '2']);
  }
  const rp = spec.podRPFilter;
  if (rp !== undefined && rp >= 0 && rp !== 0 && rp !== 1 && rp !== 2) {
    return notSupported('spec.podRPFilter', rp, ['0', '1', '2']);
  }
  if (
    spec.vethLinkAddress !== undefined &&
    spec.vethLinkAddress !== '' &&
    parseIP(spec.vethLinkAddress).isErr()
  ) {
    return invalid('spec.vethLinkAddress', spec.vethLinkAddress, 'vethLinkAddress is an invalid IP address');
  }
  if (spec.vethMTU !== undefined && spec.vethMTU <= 0) {
    return invalid('spec.vethMTU', spec.vethMTU, 'vethMTU must be greater than 0');
  }
  return undefined;
}
