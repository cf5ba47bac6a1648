// Verbs on one resource path, dispatched to resourceReads.ts (GET) and resourceWrites.ts (POST, PUT, PATCH,
// DELETE). Every object rule is the MemoryStore's.

import { dryRunOf } from './dryRun.ts';
import type { Answer, EmulatorContext, ResourceRequest } from './requestContext.ts';
import { collectionGet, objectGet } from './resourceReads.ts';
import { create, patch, remove, replace } from './resourceWrites.ts';
import { statusBody } from './statusBodies.ts';

export type { EmulatorContext, ResourceRequest } from './requestContext.ts';

export const handleResource = async (ctx: EmulatorContext, rr: ResourceRequest): Promise<Answer> => {
  const { route, method } = rr;
  // `dryRun=All` runs a write through admission without storing it (dryRun.ts); other values are 400.
  const dryRun = method === 'GET' ? undefined : dryRunOf(rr);
  if (dryRun !== undefined && dryRun !== 'All') return dryRun;
  if (route.name === undefined) {
    if (method === 'GET') return collectionGet(ctx, rr);
    if (method === 'POST') return create(ctx, rr);
  } else {
    if (method === 'GET') return objectGet(ctx, rr);
    if (method === 'PUT') return replace(ctx, rr);
    if (method === 'PATCH') return patch(ctx, rr);
    if (method === 'DELETE' && !route.subresource) return remove(ctx, rr);
  }
  return statusBody(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource`,
  );
};
