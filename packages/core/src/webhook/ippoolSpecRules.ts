// Rules shared by the SpiderIPPool and SpiderSubnet webhooks (Spiderpool's subnetmanager calls the same
// ippoolmanager helpers): ipVersion, gateway and routes checks, containment of an IP / range in the subnet,
// the "terminating" update guard, and the small metadata edits of the mutations.

import { SPIDER_FINALIZER } from '../api/constants.ts';
import type { ObjectMeta } from '../api/meta.ts';
import type { IPVersion, Route, SpiderIPPool, SpiderSubnet } from '../api/pools.ts';
import {
  cidrContains,
  cidrContainsInterval,
  cidrToLabelValue,
  formatIPRanges,
  type IPRangeSet,
  isIPVersion,
  mergeIPRanges,
  parseCIDR,
  parseCIDROfVersion,
  parseIPOfVersion,
  parseIPRange,
} from '../ip/index.ts';
import type { ClusterSettings } from './clusterSettings.ts';
import type { FieldError } from './fieldError.ts';
import { child, forbidden, index, invalid, notSupported } from './fieldError.ts';

/** What the pool and subnet rules see of the cluster: settings and the objects that exist already. */
export interface PoolWebhookContext {
  readonly settings: ClusterSettings;
  /** Existing SpiderIPPools (as stored, i.e. already defaulted). */
  readonly pools: readonly SpiderIPPool[];
  /** Existing SpiderSubnets (as stored). */
  readonly subnets: readonly SpiderSubnet[];
}

export const IP_VERSION_FIELD = 'spec.ipVersion';
export const SUBNET_FIELD = 'spec.subnet';
export const IPS_FIELD = 'spec.ips';
export const EXCLUDE_IPS_FIELD = 'spec.excludeIPs';
export const GATEWAY_FIELD = 'spec.gateway';
export const ROUTES_FIELD = 'spec.routes';
export const TOTAL_IPS_NOTE =
  "total IP addresses of an IPPool are jointly determined by 'spec.ips' and 'spec.excludeIPs'";

/** Same number as admissionBounds' MAX_RANGE_ENTRIES (kept here to avoid an import cycle). */
const MAX_MERGED_ENTRIES = 65_536;

export const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** Go's `%v` of a `[]string`: `[a b c]`. */
export const goList = (items: readonly string[]): string => `[${items.join(' ')}]`;

/** A range set printed the way Spiderpool prints `ConvertIPsToIPRanges` output in its messages. */
export const rangeSetText = (set: IPRangeSet): string => goList(formatIPRanges(set));

/** Adds Spiderpool's finalizer once (controllerutil.AddFinalizer). */
export function addFinalizer(meta: ObjectMeta): void {
  const finalizers = meta.finalizers ?? [];
  if (!finalizers.includes(SPIDER_FINALIZER)) meta.finalizers = [...finalizers, SPIDER_FINALIZER];
}

/** `IsIPv4CIDR` / `IsIPv6CIDR`: the family of a CIDR text, or undefined (IPv4-mapped IPv6 is refused). */
export function cidrVersion(subnet: string): IPVersion | undefined {
  const c = parseCIDR(subnet);
  return c.isOk() ? c.value.version : undefined;
}

/** What the pool and subnet mutations share: a new object's metadata and its `spec.subnet` / `ipVersion`. */
interface CidrObject {
  metadata: ObjectMeta;
  spec: { ipVersion?: number; subnet: string; ips?: string[]; excludeIPs?: string[] };
}

/**
 * The common head of the SpiderIPPool / SpiderSubnet mutation, in place on a copy: the finalizer, `ipVersion`
 * inferred from the subnet, and the CIDR label under `labelKey`. Returns the version and label value, or
 * undefined where Spiderpool's mutation would stop (unparsable subnet, unsupported ipVersion).
 */
export function defaultCidrHead(
  out: CidrObject,
  labelKey: string,
): { version: IPVersion; label: string } | undefined {
  addFinalizer(out.metadata);
  const spec = out.spec;
  if (spec.ipVersion === undefined) {
    const v = cidrVersion(spec.subnet);
    if (v === undefined) return undefined;
    spec.ipVersion = v;
  }
  const version = spec.ipVersion;
  if (!isIPVersion(version)) return undefined;
  const label = cidrToLabelValue(version, spec.subnet);
  if (label.isErr()) return undefined;
  out.metadata.labels = { ...(out.metadata.labels ?? {}), [labelKey]: label.value };
  return { version, label: label.value };
}

/** Merges `ips` and `excludeIPs` (each only when it has more than one entry); false when a merge failed. */
export function mergeSpecRanges(spec: CidrObject['spec'], version: IPVersion): boolean {
  for (const field of ['ips', 'excludeIPs'] as const) {
    const list = spec[field];
    // Over the admission bound the list is left as written: validation refuses it without parsing.
    if (list === undefined || list.length <= 1 || list.length > MAX_MERGED_ENTRIES) continue;
    const merged = mergeIPRanges(version, list);
    if (merged.isErr()) return false;
    spec[field] = merged.value;
  }
  return true;
}

/**
 * The ipVersion rule of every pool kind: nil is Invalid (`nilDetail` names what the mutation inferred it
 * from), a value other than 4/6 NotSupported, a disabled family Forbidden.
 */
export function validateIPVersion(
  version: number | undefined,
  settings: ClusterSettings,
  nilDetail: string,
): FieldError | undefined {
  if (version === undefined) return invalid(IP_VERSION_FIELD, null, nilDetail);
  if (!isIPVersion(version)) return notSupported(IP_VERSION_FIELD, version, ['4', '6']);
  if (version === 4 && !settings.enableIPv4) return forbidden(IP_VERSION_FIELD, 'IPv4 is disabled');
  if (version === 6 && !settings.enableIPv6) return forbidden(IP_VERSION_FIELD, 'IPv6 is disabled');
  return undefined;
}

/** `ipVersion` and `subnet` cannot change (an ipVersion appearing where there was none is allowed). */
export function validateImmutable(
  old: { ipVersion?: number | undefined; subnet?: string | undefined },
  next: { ipVersion?: number | undefined; subnet?: string | undefined },
): FieldError | undefined {
  if (old.ipVersion !== undefined && next.ipVersion !== undefined && old.ipVersion !== next.ipVersion) {
    return forbidden(IP_VERSION_FIELD, 'is not changeable');
  }
  if (old.subnet !== undefined && old.subnet !== next.subnet)
    return forbidden(SUBNET_FIELD, 'is not changeable');
  return undefined;
}

const notPertains = (subnet: string): string => `not pertains to the 'spec.subnet' ${subnet} of IPPool`;

/** `ValidateContainsIP`: the address is of the family and inside the subnet. */
export function validateContainsIP(
  field: string,
  version: IPVersion,
  subnet: string,
  ip: string,
): FieldError | undefined {
  const cidr = parseCIDROfVersion(version, subnet);
  if (cidr.isErr()) return invalid(field, ip, cidr.error.message);
  const addr = parseIPOfVersion(version, ip);
  if (addr.isErr()) return invalid(field, ip, addr.error.message);
  return cidrContains(cidr.value, addr.value.value) ? undefined : invalid(field, ip, notPertains(subnet));
}

/** `ValidateContainsIPRange`: the range is well-formed, of the family, and inside the subnet. */
export function validateContainsIPRange(
  field: string,
  version: IPVersion,
  subnet: string,
  range: string,
): FieldError | undefined {
  const cidr = parseCIDROfVersion(version, subnet);
  if (cidr.isErr()) return invalid(field, range, cidr.error.message);
  const iv = parseIPRange(version, range);
  if (iv.isErr()) return invalid(field, range, iv.error.message);
  return cidrContainsInterval(cidr.value, iv.value) ? undefined : invalid(field, range, notPertains(subnet));
}

/** Whether a range text holds the address (values compared; malformed texts hold nothing). */
function rangeHolds(version: IPVersion, range: string, value: bigint): boolean {
  const iv = parseIPRange(version, range);
  return iv.isOk() && iv.value.start <= value && value <= iv.value.end;
}

/**
 * The gateway lies in the subnet; it may lie inside `ips` only if `excludeIPs` holds it too (quirk 5).
 */
export function validateGateway(
  version: IPVersion,
  spec: { subnet: string; gateway?: string; ips?: string[]; excludeIPs?: string[] },
): FieldError | undefined {
  const gw = spec.gateway;
  if (gw === undefined) return undefined;
  const e = validateContainsIP(GATEWAY_FIELD, version, spec.subnet, gw);
  if (e !== undefined) return e;
  const value = parseIPOfVersion(version, gw).map((a) => a.value);
  if (value.isErr()) return undefined;
  if ((spec.excludeIPs ?? []).some((r) => rangeHolds(version, r, value.value))) return undefined;
  const i = (spec.ips ?? []).findIndex((r) => rangeHolds(version, r, value.value));
  if (i < 0) return undefined;
  return invalid(
    index(IPS_FIELD, i),
    spec.ips?.[i],
    `conflicts with 'spec.gateway' ${gw}, add the gateway IP address to 'spec.excludeIPs' or remove it from 'spec.ips'`,
  );
}

const DEFAULT_ROUTE_DETAIL = "please specify 'spec.gateway' to configure the default route";

/**
 * Routes in Spiderpool's order: no default route, no duplicate dst, dst a CIDR of the family, gw an address
 * inside the subnet. As in the IP core (ADR 0002), any /0 counts as the default route and duplicates are
 * found on the canonical network (`10.1.0.0/8` repeats `10.0.0.0/8`).
 */
export function validateRoutes(
  version: IPVersion,
  subnet: string,
  routes: readonly Route[] | undefined,
): FieldError | undefined {
  const seen = new Set<string>();
  for (const [i, r] of (routes ?? []).entries()) {
    const dstField = child(index(ROUTES_FIELD, i), 'dst');
    if (r.dst === (version === 4 ? '0.0.0.0/0' : '::/0'))
      return invalid(dstField, r.dst, DEFAULT_ROUTE_DETAIL);
    if (seen.has(r.dst)) return invalid(dstField, r.dst, 'duplicate route with the same dst');
    const dst = parseCIDROfVersion(version, r.dst);
    if (dst.isErr()) return invalid(dstField, r.dst, dst.error.message);
    if (dst.value.prefix === 0) return invalid(dstField, r.dst, DEFAULT_ROUTE_DETAIL);
    if (seen.has(dst.value.text)) return invalid(dstField, r.dst, 'duplicate route with the same dst');
    seen.add(r.dst);
    seen.add(dst.value.text);
    const e = validateContainsIP(child(index(ROUTES_FIELD, i), 'gw'), version, subnet, r.gw);
    if (e !== undefined) return e;
  }
  return undefined;
}

/**
 * Spiderpool's guard on updates of an object being deleted: `undefined` when it is not terminating (validate
 * as usual); `[]` when it is terminating without the finalizer (admitted, nothing else checked); otherwise
 * one Forbidden whose `detail` keeps Spiderpool's exact wording per kind, typos included.
 */
export function terminatingUpdate(meta: ObjectMeta, detail: string): FieldError[] | undefined {
  if (meta.deletionTimestamp === undefined) return undefined;
  if (!(meta.finalizers ?? []).includes(SPIDER_FINALIZER)) return [];
  return [forbidden('metadata.deletionTimestamp', detail)];
}
