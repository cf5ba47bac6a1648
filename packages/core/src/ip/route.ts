// Route validation of a pool or subnet (`ippool_validate.go: validateIPPoolRoutes`, `pkg/ip/route.go`):
// dst is a CIDR and gw an address of the pool's family, dst is not the default route (that is what
// `spec.gateway` is for), gw lies in the pool's subnet, and no two routes share a dst.
import { err, ok, type Result } from 'neverthrow';
import { type IP, isIPv4MappedValue } from './address.ts';
import { type CIDR, cidrContains, parseCIDR } from './cidr.ts';
import { type IPError, invalidRoute } from './errors.ts';
import { parseAddressText } from './parseAddress.ts';
import type { IPVersion } from './version.ts';

export interface RouteText {
  readonly dst: string;
  readonly gw: string;
}

export interface ParsedRoute {
  readonly dst: CIDR;
  readonly gw: IP;
}

/**
 * One route of a pool of `version`. `subnet`, when given, must hold the gateway. Any dst with prefix length 0
 * counts as the default route (Spiderpool compares the texts `0.0.0.0/0` and `::/0` only).
 */
export const validateRoute = (
  version: IPVersion,
  route: RouteText,
  subnet?: CIDR,
): Result<ParsedRoute, IPError> => {
  const dst = parseCIDR(route.dst);
  if (dst.isErr()) return err(invalidRoute(route, dst.error._tag === 'IPv4MappedIPv6' ? 'family' : 'dst'));
  if (dst.value.version !== version) return err(invalidRoute(route, 'family'));
  if (dst.value.prefix === 0) return err(invalidRoute(route, 'defaultRoute'));
  const gw = parseAddressText(route.gw);
  if (gw === undefined) return err(invalidRoute(route, 'gw'));
  if (gw.version !== version || (gw.version === 6 && isIPv4MappedValue(gw.value))) {
    return err(invalidRoute(route, 'family'));
  }
  if (subnet !== undefined && !cidrContains(subnet, gw.value))
    return err(invalidRoute(route, 'gwOutsideSubnet'));
  return ok({ dst: dst.value, gw });
};

/**
 * Every route of a list, first error wins and carries its `index`; two routes whose dst is the same network
 * (compared in canonical form) are `duplicateDst`.
 */
export const validateRoutes = (
  version: IPVersion,
  routes: readonly RouteText[],
  subnet?: CIDR,
): Result<ParsedRoute[], IPError> => {
  const seen = new Set<string>();
  const out: ParsedRoute[] = [];
  for (const [index, route] of routes.entries()) {
    const r = validateRoute(version, route, subnet);
    if (r.isErr()) return err({ ...r.error, index });
    if (seen.has(r.value.dst.text)) return err(invalidRoute(route, 'duplicateDst', index));
    seen.add(r.value.dst.text);
    out.push(r.value);
  }
  return ok(out);
};
