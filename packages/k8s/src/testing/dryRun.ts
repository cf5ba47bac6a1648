// `?dryRun=All` writes: everything up to the store (defaults, admission webhooks with dryRun: true, schema
// validation) runs, the store is not written, and the answer is the object as it would have been stored
// (uid and creationTimestamp invented on create, no resourceVersion; on update the stored server fields
// and, for status-subresource kinds, the stored status kept, generation bumped when spec changed).
import { randomUUID } from 'node:crypto';
import { equalJson, type KubeObject } from '@spiderpool-ts/core';
import type { ResourceRequest } from './requestContext.ts';
import { badRequest, type HttpStatus } from './statusBodies.ts';

/** undefined: not a dry run; 'All': a dry run; a Status: an unsupported value (400 as kube-apiserver). */
export const dryRunOf = (rr: ResourceRequest): 'All' | undefined | HttpStatus => {
  const values = rr.url.searchParams.getAll('dryRun');
  if (values.length === 0) return undefined;
  if (values.every((v) => v === 'All')) return 'All';
  return badRequest(`Invalid dry run value: ${values.filter((v) => v !== 'All').join(', ')}`);
};

const timestamp = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;

type WithStatus = KubeObject & { status?: unknown; spec?: unknown };

export const dryRunCreate = (rr: ResourceRequest, object: KubeObject, now: Date): KubeObject => {
  const { resourceVersion: _rv, deletionTimestamp: _dt, ...meta } = object.metadata;
  const out: WithStatus = {
    ...object,
    metadata: { ...meta, uid: randomUUID(), creationTimestamp: timestamp(now), generation: 1 },
  };
  if (rr.route.resource.info.statusSubresource) delete out.status;
  return out;
};

export const dryRunUpdate = (rr: ResourceRequest, stored: KubeObject, object: KubeObject): KubeObject => {
  const s = stored as WithStatus;
  const info = rr.route.resource.info;
  const base: WithStatus =
    rr.route.subresource === 'status'
      ? { ...s, status: (object as WithStatus).status }
      : { ...object, ...(info.statusSubresource ? { status: s.status } : {}) };
  if (base.status === undefined) delete base.status;
  const specChanged = !equalJson(s.spec ?? null, base.spec ?? null);
  const generation = (stored.metadata.generation ?? 0) + (specChanged ? 1 : 0);
  const { uid, creationTimestamp, resourceVersion, deletionTimestamp } = stored.metadata;
  return {
    ...base,
    metadata: {
      ...base.metadata,
      generation,
      ...(uid ? { uid } : {}),
      ...(creationTimestamp ? { creationTimestamp } : {}),
      ...(resourceVersion ? { resourceVersion } : {}),
      ...(deletionTimestamp ? { deletionTimestamp } : {}),
    },
  };
};

/** What DELETE would answer: the object marked deleting while finalizers hold it, else as stored. */
export const dryRunDelete = (stored: KubeObject, now: Date): KubeObject =>
  (stored.metadata.finalizers ?? []).length > 0 && stored.metadata.deletionTimestamp === undefined
    ? {
        ...stored,
        metadata: { ...stored.metadata, deletionTimestamp: timestamp(now), deletionGracePeriodSeconds: 0 },
      }
    : stored;
