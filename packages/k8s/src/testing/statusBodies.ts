// Kubernetes `Status` error bodies, worded like the API server's, and the mapping from core StoreErrors.
import type { StoreError } from '@spiderpool-ts/core';
import type { ServedResource } from './resources.ts';

export interface HttpStatus {
  code: number;
  body: Record<string, unknown>;
}

export const statusBody = (
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
): HttpStatus => ({
  code,
  body: {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  },
});

/** `spiderippools.spiderpool.spidernet.io`, or just `pods` for the core group. */
export const groupResource = (r: ServedResource): string =>
  r.group ? `${r.info.plural}.${r.group}` : r.info.plural;

/** `SpiderIPPool.spiderpool.spidernet.io`, or just `Pod` for the core group (as schema.GroupKind prints). */
export const groupKind = (r: ServedResource): string => (r.group ? `${r.info.kind}.${r.group}` : r.info.kind);

/** One metav1.StatusCause of a 422. */
export interface StatusCause {
  reason: string;
  field: string;
  message: string;
}

/** 422 Invalid listing field errors the way the API server words them (kubectl prints the causes). */
export const invalidStatus = (
  r: ServedResource,
  name: string,
  causes: readonly StatusCause[],
): HttpStatus => {
  const lines = causes.map((c) => `${c.field}: ${c.message}`);
  const list = lines.length > 1 ? `[${lines.join(', ')}]` : (lines[0] ?? '');
  return statusBody(422, 'Invalid', `${groupKind(r)} "${name}" is invalid: ${list}`, {
    name,
    group: r.group,
    kind: r.info.kind,
    causes,
  });
};

export const statusFromStoreError = (r: ServedResource, e: StoreError): HttpStatus => {
  const gr = groupResource(r);
  const name = 'name' in e && e.name !== undefined ? e.name : '';
  const details = { name, group: r.group, kind: r.info.plural };
  switch (e._tag) {
    case 'NotFound':
      return statusBody(404, 'NotFound', `${gr} "${name}" not found`, details);
    case 'AlreadyExists':
      return statusBody(409, 'AlreadyExists', `${gr} "${name}" already exists`, details);
    case 'Conflict': {
      const why = /resourceVersion/.test(e.reason)
        ? 'the object has been modified; please apply your changes to the latest version and try again'
        : `Precondition failed: ${e.reason}`;
      return statusBody(409, 'Conflict', `Operation cannot be fulfilled on ${gr} "${name}": ${why}`, details);
    }
    case 'Invalid':
      return statusBody(422, 'Invalid', `${groupKind(r)} "${name}" is invalid: ${e.reason}`, {
        ...details,
        kind: r.info.kind,
      });
    case 'Gone':
      return statusBody(410, 'Expired', `too old resource version: ${e.resourceVersion}`);
    case 'Unavailable':
      return statusBody(503, 'ServiceUnavailable', e.reason);
    case 'Unauthorized':
      return statusBody(e.status, e.status === 401 ? 'Unauthorized' : 'Forbidden', e.reason);
  }
};

export const badRequest = (message: string): HttpStatus => statusBody(400, 'BadRequest', message);

export const notFoundPath = (): HttpStatus =>
  statusBody(404, 'NotFound', 'the server could not find the requested resource', {});
