// SpiderCoordinator webhook (pkg/coordinatormanager/coordinator_mutate.go, coordinator_validate.go).

import { SPIDER_FINALIZER } from '../api/constants.ts';
import type { SpiderCoordinator } from '../api/coordinator.ts';
import { parseIP } from '../ip/index.ts';
import { parseIPOrCIDR, validateCoordinatorSpec } from './coordinatorSpec.ts';
import type { FieldError } from './fieldError.ts';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/**
 * The mutation, pure and idempotent. Like Spiderpool, a problem stops the mutation part-way without an error
 * (it is logged there): the scalar defaults are always applied; a missing podCIDRType, a hijackCIDR entry
 * that is no IP, or a policy route dst that is neither IP nor CIDR leaves the rest (normalisation, finalizer)
 * undone, and validation then rejects the object.
 */
export function defaultCoordinator(obj: SpiderCoordinator): SpiderCoordinator {
  const out = clone(obj);
  const s = out.spec;
  s.mode ??= 'auto';
  s.tunePodRoutes ??= true;
  s.hostRuleTable ??= 500;
  s.podRPFilter ??= 0;
  s.txQueueLen ??= 0;
  s.vethLinkAddress ??= '';
  s.vethMTU ??= 1500;
  if (out.metadata.deletionTimestamp !== undefined) return out;
  if (s.podCIDRType === undefined) return out;
  if (s.hijackCIDR !== undefined) {
    for (const [i, cidr] of s.hijackCIDR.entries()) {
      if (cidr.includes('/')) continue;
      const ip = parseIP(cidr);
      if (ip.isErr()) return out;
      s.hijackCIDR[i] = `${cidr}/${ip.value.version === 4 ? 32 : 128}`;
    }
  }
  for (const route of s.policyRoutes ?? []) {
    const p = parseIPOrCIDR(route.dst);
    if (typeof p === 'string') return out;
    route.dst = p.text;
  }
  const finalizers = out.metadata.finalizers ?? [];
  if (!finalizers.includes(SPIDER_FINALIZER)) out.metadata.finalizers = [...finalizers, SPIDER_FINALIZER];
  return out;
}

export function validateCoordinatorCreate(obj: SpiderCoordinator): FieldError[] {
  const e = validateCoordinatorSpec(obj.spec, true);
  return e === undefined ? [] : [e];
}

/** Same rules as create; nothing is immutable. */
export function validateCoordinatorUpdate(_old: SpiderCoordinator, obj: SpiderCoordinator): FieldError[] {
  return validateCoordinatorCreate(obj);
}

/** Deletion is never refused. */
export function validateCoordinatorDelete(_obj: SpiderCoordinator): FieldError[] {
  return [];
}
