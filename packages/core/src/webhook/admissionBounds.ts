// Checks that run before any other rule of the pool, subnet and reserved-IP webhooks: bounded list sizes
// (parsing and merging a list costs time while admission waits) and a `spec.subnet` error reported under
// `spec.subnet` (Spiderpool reports an unparsable subnet as "spec.ipVersion: null is not generated
// correctly", since its mutation could not infer the version). ADR 0021 says why and which numbers.

import { parseCIDR } from '../ip/index.ts';
import type { FieldError } from './fieldError.ts';
import { index, invalid, tooMany } from './fieldError.ts';
import { EXCLUDE_IPS_FIELD, IPS_FIELD, ROUTES_FIELD, SUBNET_FIELD } from './ippoolSpecRules.ts';

/**
 * Most entries admitted in `spec.ips` / `spec.excludeIPs` (each entry is an address or a range, so one entry
 * already spans the largest pool the engine serves: 2^64 addresses). 65,536 single addresses are ~1 MiB of
 * JSON, inside kube-apiserver's 3 MiB request limit, and merge in milliseconds.
 */
export const MAX_RANGE_ENTRIES = 65_536;
/** Most entries admitted in `spec.routes` (a Pod's routing table is not the place for a full BGP view). */
export const MAX_ROUTES = 1_024;

interface BoundedSpec {
  readonly subnet?: string;
  readonly ipVersion?: number;
  readonly ips?: readonly string[];
  readonly excludeIPs?: readonly string[];
  readonly routes?: readonly unknown[];
}

/** `TooMany` for the first list over its bound; `ips` and `excludeIPs` are only counted, never parsed. */
export function validateListBounds(spec: BoundedSpec): FieldError | undefined {
  const lists: [string, readonly unknown[] | undefined, number][] = [
    [IPS_FIELD, spec.ips, MAX_RANGE_ENTRIES],
    [EXCLUDE_IPS_FIELD, spec.excludeIPs, MAX_RANGE_ENTRIES],
    [ROUTES_FIELD, spec.routes, MAX_ROUTES],
  ];
  for (const [field, list, max] of lists) {
    if (list !== undefined && list.length > max) return tooMany(field, list.length, max);
  }
  return undefined;
}

/** Whether a list is small enough for the mutation to merge (over the bound it is left for validation). */
export const withinRangeBound = (list: readonly string[]): boolean => list.length <= MAX_RANGE_ENTRIES;

/**
 * With no `ipVersion` (the mutation could not infer one), an unparsable `spec.subnet` is reported as what it
 * is: `spec.subnet: Invalid value: "": ...` with the parser's reason (empty, malformed, IPv4-mapped IPv6).
 */
export function validateSubnetWhenNoVersion(spec: BoundedSpec): FieldError | undefined {
  if (spec.ipVersion !== undefined) return undefined;
  const subnet = spec.subnet ?? '';
  if (subnet === '') return invalid(SUBNET_FIELD, subnet, 'must be a CIDR such as 10.20.0.0/16, not empty');
  const c = parseCIDR(subnet);
  if (c.isOk()) return undefined;
  return invalid(SUBNET_FIELD, subnet, c.error.message);
}

/** Attributes a `NewCIDR` failure to the entry that caused it (`spec.ips[3]`), else to `spec.subnet`. */
export function poolRangesErrorField(
  spec: { readonly ips?: readonly string[]; readonly excludeIPs?: readonly string[] },
  value: unknown,
): { field: string; value: unknown } {
  if (typeof value === 'string') {
    const i = (spec.ips ?? []).indexOf(value);
    if (i >= 0) return { field: index(IPS_FIELD, i), value };
    const j = (spec.excludeIPs ?? []).indexOf(value);
    if (j >= 0) return { field: index(EXCLUDE_IPS_FIELD, j), value };
  }
  return { field: SUBNET_FIELD, value: undefined };
}
