// SpiderReservedIP webhook (pkg/reservedipmanager/reservedip_mutate.go, reservedip_validate.go,
// reservedip_webhook.go). No finalizer, no overlap checks: reserved sets may overlap each other and pools.

import type { SpiderReservedIP } from '../api/pools.ts';
import { type IPVersion, isIPRange, mergeIPRanges } from '../ip/index.ts';
import { validateListBounds, withinRangeBound } from './admissionBounds.ts';
import type { ClusterSettings } from './clusterSettings.ts';
import type { FieldError } from './fieldError.ts';
import { forbidden, index, invalid } from './fieldError.ts';
import { clone, IPS_FIELD, validateImmutable, validateIPVersion } from './ippoolSpecRules.ts';

/** `ctx` of the SpiderReservedIP validators: only the cluster settings matter. */
export interface ReservedIPWebhookContext {
  readonly settings: ClusterSettings;
}

const NIL_VERSION = "is not generated correctly, 'spec.ips' is empty or 'spec.ips[0]' may be invalid";

/** The family of a range text (`IsIPv4IPRange` / `IsIPv6IPRange`), or undefined. */
function rangeVersion(range: string): IPVersion | undefined {
  if (isIPRange(4, range).isOk()) return 4;
  if (isIPRange(6, range).isOk()) return 6;
  return undefined;
}

/**
 * The mutation of §2.5, returning a new object: ipVersion from `ips[0]`, merged `ips`. A terminating object
 * or an empty `ips` is returned unchanged; a malformed range stops the mutation (validation reports it).
 */
export function defaultReservedIP(rip: SpiderReservedIP): SpiderReservedIP {
  const out = clone(rip);
  if (out.metadata.deletionTimestamp !== undefined) return out;
  const ips = out.spec.ips ?? [];
  const first = ips[0];
  if (first === undefined) return out;
  if (out.spec.ipVersion === undefined) {
    const v = rangeVersion(first);
    if (v === undefined) return out;
    out.spec.ipVersion = v;
  }
  const version = out.spec.ipVersion;
  if (ips.length > 1 && withinRangeBound(ips) && (version === 4 || version === 6)) {
    const merged = mergeIPRanges(version, ips);
    if (merged.isOk()) out.spec.ips = merged.value;
  }
  return out;
}

function validate(rip: SpiderReservedIP, ctx: ReservedIPWebhookContext): FieldError[] {
  const v =
    validateListBounds(rip.spec.ips === undefined ? {} : { ips: rip.spec.ips }) ??
    validateIPVersion(rip.spec.ipVersion, ctx.settings, NIL_VERSION);
  if (v !== undefined) return [v];
  const version = rip.spec.ipVersion as IPVersion;
  for (const [i, r] of (rip.spec.ips ?? []).entries()) {
    const e = isIPRange(version, r);
    if (e.isErr()) return [invalid(index(IPS_FIELD, i), r, e.error.message)];
  }
  return [];
}

/** CREATE: ipVersion (nil, 4/6, family enabled), then every range well-formed and of that family. */
export function validateReservedIPCreate(rip: SpiderReservedIP, ctx: ReservedIPWebhookContext): FieldError[] {
  return validate(rip, ctx);
}

/**
 * UPDATE: an object whose old and new versions are both terminating is Forbidden ("cannot update a
 * terminating ReservedIP"; the first update that sets deletionTimestamp is admitted); ipVersion immutable;
 * then the create rules.
 */
export function validateReservedIPUpdate(
  old: SpiderReservedIP,
  rip: SpiderReservedIP,
  ctx: ReservedIPWebhookContext,
): FieldError[] {
  if (rip.metadata.deletionTimestamp !== undefined) {
    if (old.metadata.deletionTimestamp === undefined) return [];
    return [forbidden('metadata.deletionTimestamp', 'cannot update a terminating ReservedIP')];
  }
  const fixed = validateImmutable({ ipVersion: old.spec.ipVersion }, { ipVersion: rip.spec.ipVersion });
  if (fixed !== undefined) return [fixed];
  return validate(rip, ctx);
}

/** Spiderpool never refuses the deletion of a SpiderReservedIP. */
export function validateReservedIPDelete(
  _rip: SpiderReservedIP,
  _ctx: ReservedIPWebhookContext,
): FieldError[] {
  return [];
}
