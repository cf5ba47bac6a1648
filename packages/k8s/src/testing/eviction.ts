// The Pod `eviction` subresource (policy/v1 Eviction) of the emulator: the body must name the Pod, the
// PodDisruptionBudget check is core's `evictViaStore` (minAvailable / maxUnavailable over the matching
// Pods), answers as the API server words them: 201 Success, 404 for a missing Pod, 429 TooManyRequests
// with a DisruptionBudget cause when a budget blocks it.
import { evictViaStore } from '@spiderpool-ts/core';
import { type Answer, type EmulatorContext, ok, parseJson, type ResourceRequest } from './requestContext.ts';
import { statusBody, statusFromStoreError } from './statusBodies.ts';

interface EvictionBody {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown };
}

export const serveEviction = async (ctx: EmulatorContext, rr: ResourceRequest): Promise<Answer> => {
  if (rr.method !== 'POST')
    return statusBody(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  const { name, namespace } = rr.route;
  if (name === undefined || namespace === undefined)
    return statusBody(404, 'NotFound', 'the server could not find the requested resource');
  const parsed = parseJson(rr.body);
  if ('error' in parsed) return statusBody(400, 'BadRequest', parsed.error);
  const body = (parsed.value ?? {}) as EvictionBody;
  if (body.kind !== 'Eviction' || (body.apiVersion !== 'policy/v1' && body.apiVersion !== 'policy/v1beta1'))
    return statusBody(400, 'BadRequest', 'the body must be a policy/v1 Eviction');
  if (body.metadata?.name !== name)
    return statusBody(400, 'BadRequest', `name in URL does not match name in Eviction object`);
  const got = await ctx.store.get({ kind: 'Pod', namespace, name });
  if (got.isErr()) return statusFromStoreError(rr.route.resource, got.error);
  const evicted = await evictViaStore(ctx.store, { namespace, name });
  if (evicted.isOk())
    return ok(201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  const e = evicted.error;
  if (e._tag === 'EvictionBlocked')
    return statusBody(
      429,
      'TooManyRequests',
      "Cannot evict pod as it would violate the pod's disruption budget.",
      {
        causes: [{ reason: 'DisruptionBudget', message: e.reason }],
      },
    );
  return statusFromStoreError(rr.route.resource, e);
};
