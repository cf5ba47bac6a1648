// SpiderIPPool validating webhook (pkg/ippoolmanager/ippool_validate.go, ippool_subnet_validate.go,
// ippool_webhook.go). Objects are validated as the mutation left them (run `defaultIPPool` first).
//
// Error aggregation follows Spiderpool: each stage stops at its first broken rule; on create the spec error
// and the podAffinity errors are reported together, on update the first of them wins.

import type { SpiderIPPool } from '../api/pools.ts';
import type { IPVersion, PoolRanges } from '../ip/index.ts';
import { validatePoolFormat, validatePoolFormatUpdate } from '../ipam/blocks/format.ts';
import { validateListBounds, validateSubnetWhenNoVersion } from './admissionBounds.ts';
import type { FieldError } from './fieldError.ts';
import { forbidden } from './fieldError.ts';
import {
  validateIPPoolAvailableIPs,
  validateIPPoolCIDR,
  validateIPPoolIPInUse,
  validateIPPoolPodAffinity,
} from './ippoolRules.ts';
import type { PoolWebhookContext } from './ippoolSpecRules.ts';
import {
  terminatingUpdate,
  validateGateway,
  validateImmutable,
  validateIPVersion,
  validateRoutes,
} from './ippoolSpecRules.ts';
import { validateIPPoolWithinSubnet } from './ippoolSubnetRules.ts';
import { validateUsableSubnet } from './unusableSubnet.ts';

/** `ctx` of the SpiderIPPool validators: cluster settings plus the existing pools and subnets. */
export type IPPoolWebhookContext = PoolWebhookContext;

const isFieldError = (x: FieldError | PoolRanges): x is FieldError => '_tag' in x;

const NIL_VERSION = "is not generated correctly, 'spec.subnet' may be invalid";

/** Before Spiderpool's rules: list sizes, an unparsable subnet under its own field, then `ipVersion`. */
const validateHead = (spec: SpiderIPPool['spec'], ctx: IPPoolWebhookContext): FieldError | undefined =>
  validateListBounds(spec) ??
  validateSubnetWhenNoVersion(spec) ??
  validateIPVersion(spec.ipVersion, ctx.settings, NIL_VERSION);

/** `validateIPPoolSpec`: NewCIDR + same-label overlap, gateway, routes. */
function validateSpec(
  version: IPVersion,
  pool: SpiderIPPool,
  ctx: IPPoolWebhookContext,
): FieldError | PoolRanges {
  const ranges = validateIPPoolAvailableIPs(version, pool, ctx.pools);
  if (isFieldError(ranges)) return ranges;
  return (
    validateGateway(version, pool.spec) ??
    validateRoutes(version, pool.spec.subnet, pool.spec.routes) ??
    ranges
  );
}

/** Rule 9, when the SpiderSubnet feature is on. */
function withinSubnet(
  version: IPVersion,
  pool: SpiderIPPool,
  ctx: IPPoolWebhookContext,
  ranges: PoolRanges,
): FieldError[] {
  if (!ctx.settings.enableSpiderSubnet) return [];
  const e = validateIPPoolWithinSubnet(version, pool, ranges, ctx.subnets);
  return e === undefined ? [] : [e];
}

/**
 * CREATE (§2.3 rules 1-9). The same-name case is a single `AlreadyExists` error; everything else is
 * Invalid / Forbidden / NotSupported as in Spiderpool.
 */
export function validateIPPoolCreate(pool: SpiderIPPool, ctx: IPPoolWebhookContext): FieldError[] {
  // spiderpool-ts's opt-in pool format (ADR 0029): its annotations first.
  const format = validatePoolFormat(pool);
  if (format !== undefined) return [format];
  const v = validateHead(pool.spec, ctx);
  if (v !== undefined) return [v];
  const version = pool.spec.ipVersion as IPVersion;
  const c = validateIPPoolCIDR(version, pool, ctx.pools) ?? validateUsableSubnet(version, pool.spec.subnet);
  if (c !== undefined) return [c];
  const spec = validateSpec(version, pool, ctx);
  const affinity = validateIPPoolPodAffinity(pool);
  if (isFieldError(spec)) return [spec, ...affinity];
  if (affinity.length > 0) return affinity;
  return withinSubnet(version, pool, ctx, spec);
}

/**
 * UPDATE: terminating guard, immutable ipVersion/subnet, rules 1 and 4-8, IPs in use, then rule 9.
 */
export function validateIPPoolUpdate(
  old: SpiderIPPool,
  pool: SpiderIPPool,
  ctx: IPPoolWebhookContext,
): FieldError[] {
  const terminating = terminatingUpdate(pool.metadata, 'cannot update a terminating IPPool');
  if (terminating !== undefined) return terminating;
  const fixed = validateImmutable(old.spec, pool.spec) ?? validatePoolFormatUpdate(old, pool);
  if (fixed !== undefined) return [fixed];
  const v = validateHead(pool.spec, ctx);
  if (v !== undefined) return [v];
  const version = pool.spec.ipVersion as IPVersion;
  const spec = validateSpec(version, pool, ctx);
  if (isFieldError(spec)) return [spec];
  const affinity = validateIPPoolPodAffinity(pool);
  if (affinity.length > 0) return affinity;
  const inUse = validateIPPoolIPInUse(version, pool, spec);
  if (inUse !== undefined) return [inUse];
  return withinSubnet(version, pool, ctx, spec);
}

/**
 * DELETE: only with `enableValidatingResourcesDeletedWebhook`, a pool with allocated IPs is refused. Without
 * it deletion always passes and the finalizer holds the pool until its IPs are released.
 */
export function validateIPPoolDelete(
  pool: SpiderIPPool,
  ctx: Pick<IPPoolWebhookContext, 'settings'>,
): FieldError[] {
  if (!ctx.settings.enableValidatingResourcesDeletedWebhook) return [];
  const n = pool.status?.allocatedIPCount ?? 0;
  if (n <= 0) return [];
  return [forbidden('status.allocatedIPCount', `cannot delete an IPPool with allocated IPs(${n})`)];
}
