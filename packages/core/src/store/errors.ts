// Typed failures of every Store operation. Each variant names the object it concerns; `message` is derived
// from the fields, so adapters (memory, Kubernetes) report the same text for the same situation.

/** Which object an error is about. `name` is absent for list/watch failures, `namespace` for cluster scope. */
export interface StoreErrorTarget {
  kind: string;
  namespace?: string;
  name?: string;
}

/** No object with that kind/namespace/name (HTTP 404). */
export interface NotFound extends StoreErrorTarget {
  _tag: 'NotFound';
  name: string;
  message: string;
}

/** A compare-and-swap precondition failed: stale resourceVersion or uid mismatch (HTTP 409). */
export interface Conflict extends StoreErrorTarget {
  _tag: 'Conflict';
  name: string;
  reason: string;
  message: string;
}

/** create of a name that is already taken (HTTP 409, reason AlreadyExists). */
export interface AlreadyExists extends StoreErrorTarget {
  _tag: 'AlreadyExists';
  name: string;
  message: string;
}

/** The request itself is wrong: unknown kind, missing name or namespace, forbidden change (HTTP 400/422). */
export interface Invalid extends StoreErrorTarget {
  _tag: 'Invalid';
  reason: string;
  message: string;
}

/** watch from a resourceVersion older than the retained history (HTTP 410): relist, then watch again. */
export interface Gone extends StoreErrorTarget {
  _tag: 'Gone';
  resourceVersion: string;
  message: string;
}

/** The backing store could not answer (network, 5xx, throttling). MemoryStore only returns it when a fault is injected. */
export interface Unavailable extends StoreErrorTarget {
  _tag: 'Unavailable';
  reason: string;
  cause: unknown;
  message: string;
}

/**
 * The server refused who we are (HTTP 401) or what we may do (HTTP 403): a kubeconfig or RBAC problem, not
 * an outage, so callers do not retry it like Unavailable. MemoryStore never returns it.
 */
export interface Unauthorized extends StoreErrorTarget {
  _tag: 'Unauthorized';
  status: 401 | 403;
  reason: string;
  message: string;
}

export type StoreError = NotFound | Conflict | AlreadyExists | Invalid | Gone | Unavailable | Unauthorized;
export type StoreErrorTag = StoreError['_tag'];

const describeTarget = (t: StoreErrorTarget): string => {
  const where = t.namespace ? `${t.namespace}/` : '';
  return t.name === undefined ? t.kind : `${t.kind} ${where}${t.name}`;
};

const targetFields = (t: StoreErrorTarget): StoreErrorTarget => ({
  kind: t.kind,
  ...(t.namespace ? { namespace: t.namespace } : {}),
  ...(t.name === undefined ? {} : { name: t.name }),
});

/** A named target: the object an error is about. */
export interface ObjectTarget {
  kind: string;
  name: string;
  namespace?: string;
}

export const notFound = (t: ObjectTarget): NotFound => ({
  _tag: 'NotFound',
  ...targetFields(t),
  name: t.name,
  message: `${describeTarget(t)} not found`,
});

export const conflict = (t: ObjectTarget, reason: string): Conflict => ({
  _tag: 'Conflict',
  ...targetFields(t),
  name: t.name,
  reason,
  message: `conflict on ${describeTarget(t)}: ${reason}`,
});

export const alreadyExists = (t: ObjectTarget): AlreadyExists => ({
  _tag: 'AlreadyExists',
  ...targetFields(t),
  name: t.name,
  message: `${describeTarget(t)} already exists`,
});

export const invalid = (t: StoreErrorTarget, reason: string): Invalid => ({
  _tag: 'Invalid',
  ...targetFields(t),
  reason,
  message: `invalid request for ${describeTarget(t)}: ${reason}`,
});

export const gone = (t: StoreErrorTarget, resourceVersion: string): Gone => ({
  _tag: 'Gone',
  ...targetFields(t),
  resourceVersion,
  message: `resourceVersion ${resourceVersion} of ${describeTarget(t)} is too old: history was compacted, relist`,
});

export const unavailable = (t: StoreErrorTarget, reason: string, cause?: unknown): Unavailable => ({
  _tag: 'Unavailable',
  ...targetFields(t),
  reason,
  cause,
  message: `store unavailable for ${describeTarget(t)}: ${reason}`,
});

export const unauthorized = (t: StoreErrorTarget, status: 401 | 403, reason: string): Unauthorized => ({
  _tag: 'Unauthorized',
  ...targetFields(t),
  status,
  reason,
  message: `${status === 401 ? 'unauthenticated' : 'forbidden'} for ${describeTarget(t)}: ${reason}`,
});

/** Narrowing helper: `isStoreError(e, 'Conflict')`. */
export const isStoreError = <Tag extends StoreErrorTag>(
  e: unknown,
  tag: Tag,
): e is Extract<StoreError, { _tag: Tag }> =>
  typeof e === 'object' && e !== null && (e as { _tag?: unknown })._tag === tag;
