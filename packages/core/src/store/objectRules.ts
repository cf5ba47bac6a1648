// The API server's object rules as pure functions over plain objects: what create sets, what update and
// updateStatus may change, when generation moves, when a finalized object disappears. MemoryStore applies
// them; an emulator can too. Inputs are never mutated; callers pass copies they own.
import { err, ok, type Result } from 'neverthrow';
import type { KubeObject, ObjectMeta } from '../api/meta.ts';
import { type Conflict, conflict, type Invalid, invalid } from './errors.ts';
import { equalJson } from './jsonValue.ts';
import type { KindInfo } from './kinds.ts';
import type { ObjectRef } from './port.ts';

/** A reference resolved against the registry: namespace is "" for cluster-scoped kinds. */
export interface ResolvedRef {
  kind: string;
  namespace: string;
  name: string;
}

export const resolveRef = (info: KindInfo, ref: ObjectRef): Result<ResolvedRef, Invalid> => {
  if (typeof ref.name !== 'string' || ref.name === '') {
    return err(invalid({ kind: info.kind }, 'metadata.name is required'));
  }
  if (!info.namespaced) return ok({ kind: info.kind, namespace: '', name: ref.name });
  if (!ref.namespace) {
    return err(
      invalid({ kind: info.kind, name: ref.name }, `${info.kind} is namespaced: namespace is required`),
    );
  }
  return ok({ kind: info.kind, namespace: ref.namespace, name: ref.name });
};

/** The ref of an incoming object, after checking its apiVersion against the registry. */
export const resolveObject = (info: KindInfo, object: KubeObject): Result<ResolvedRef, Invalid> => {
  const meta = object.metadata as ObjectMeta | undefined;
  if (!meta || typeof meta !== 'object') return err(invalid({ kind: info.kind }, 'metadata is required'));
  const ref = resolveRef(info, {
    kind: info.kind,
    name: meta.name,
    ...(meta.namespace ? { namespace: meta.namespace } : {}),
  });
  if (ref.isErr()) return ref;
  if (object.apiVersion !== info.apiVersion) {
    return err(
      invalid(ref.value, `apiVersion must be ${info.apiVersion}, got "${String(object.apiVersion)}"`),
    );
  }
  return ref;
};

/** Target fields for errors: namespace only when there is one. */
export const targetOf = (r: ResolvedRef): ObjectRef =>
  r.namespace ? { kind: r.kind, namespace: r.namespace, name: r.name } : { kind: r.kind, name: r.name };

const withNamespace = (meta: ObjectMeta, ref: ResolvedRef): ObjectMeta => {
  const { namespace: _dropped, ...rest } = meta;
  return ref.namespace ? { ...rest, namespace: ref.namespace } : rest;
};

/** Top-level fields other than metadata (and status when it is a subresource) equal: generation stays. */
const sameSpec = (info: KindInfo, a: KubeObject, b: KubeObject): boolean => {
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) {
    if (k === 'metadata' || (k === 'status' && info.statusSubresource)) continue;
    if (!equalJson(ra[k], rb[k])) return false;
  }
  return true;
};

const setStatus = <T extends KubeObject>(object: T, status: unknown): T => {
  const { status: _old, ...rest } = object as T & { status?: unknown };
  return (status === undefined ? rest : { ...rest, status }) as T;
};

export interface CreateStamp {
  uid: string;
  creationTimestamp: string;
}

/** The object as create stores it, minus resourceVersion (the store assigns that). */
export const prepareCreate = <T extends KubeObject>(
  info: KindInfo,
  ref: ResolvedRef,
  input: { object: T; stamp: CreateStamp },
): Result<T, Invalid> => {
  const { object, stamp } = input;
  if (object.metadata.resourceVersion) {
    return err(invalid(targetOf(ref), 'metadata.resourceVersion must not be set on create'));
  }
  const {
    deletionTimestamp: _dt,
    deletionGracePeriodSeconds: _dg,
    resourceVersion: _rv,
    ...meta
  } = withNamespace(object.metadata, ref);
  const created = {
    ...object,
    metadata: { ...meta, uid: stamp.uid, creationTimestamp: stamp.creationTimestamp, generation: 1 },
  };
  return ok(info.statusSubresource ? setStatus(created, undefined) : created);
};

/** Outcome of update/updateStatus: the next object (resourceVersion still the old one) and what to do. */
export interface UpdatePlan<T extends KubeObject> {
  object: T;
  /** false: nothing changed, no write, no event (the API server's no-op update). */
  changed: boolean;
  /** The last finalizer left an object being deleted: remove it. */
  remove: boolean;
}

/** Compare-and-swap and uid checks shared by update, updateStatus and delete. */
export const checkPreconditions = (
  ref: ResolvedRef,
  stored: KubeObject,
  want: { uid?: string | undefined; resourceVersion?: string | undefined },
): Result<void, Conflict> => {
  if (want.uid && want.uid !== stored.metadata.uid) {
    return err(
      conflict(targetOf(ref), `uid precondition ${want.uid} does not match ${String(stored.metadata.uid)}`),
    );
  }
  if (want.resourceVersion && want.resourceVersion !== stored.metadata.resourceVersion) {
    return err(
      conflict(
        targetOf(ref),
        `resourceVersion ${want.resourceVersion} is stale (now ${String(stored.metadata.resourceVersion)})`,
      ),
    );
  }
  return ok(undefined);
};

const plan = <T extends KubeObject>(info: KindInfo, stored: T, next: T): UpdatePlan<T> => {
  const specChanged = !sameSpec(info, stored, next);
  const generation = (stored.metadata.generation ?? 0) + (specChanged ? 1 : 0);
  const object = { ...next, metadata: { ...next.metadata, generation } };
  const remove =
    stored.metadata.deletionTimestamp !== undefined && (object.metadata.finalizers ?? []).length === 0;
  return { object, changed: remove || !equalJson(stored, object), remove };
};

/** update: the caller's object with server-owned metadata kept, and the stored status for subresource kinds. */
export const prepareUpdate = <T extends KubeObject>(
  info: KindInfo,
  ref: ResolvedRef,
  input: { stored: T; object: T },
): Result<UpdatePlan<T>, Invalid> => {
  const { stored, object } = input;
  const old = stored.metadata;
  if (old.deletionTimestamp !== undefined) {
    const had = new Set(old.finalizers ?? []);
    const added = (object.metadata.finalizers ?? []).filter((f) => !had.has(f));
    if (added.length > 0) {
      return err(
        invalid(targetOf(ref), `no new finalizers can be added while deleting (${added.join(', ')})`),
      );
    }
  }
  const {
    uid: _u,
    creationTimestamp: _c,
    deletionTimestamp: _d,
    deletionGracePeriodSeconds: _g,
    generation: _n,
    ...meta
  } = withNamespace(object.metadata, ref);
  const kept: ObjectMeta = {
    ...meta,
    resourceVersion: old.resourceVersion ?? '',
    ...(old.uid === undefined ? {} : { uid: old.uid }),
    ...(old.creationTimestamp === undefined ? {} : { creationTimestamp: old.creationTimestamp }),
    ...(old.deletionTimestamp === undefined ? {} : { deletionTimestamp: old.deletionTimestamp }),
    ...(old.deletionGracePeriodSeconds === undefined
      ? {}
      : { deletionGracePeriodSeconds: old.deletionGracePeriodSeconds }),
  };
  let next = { ...object, metadata: kept };
  if (info.statusSubresource) next = setStatus(next, (stored as T & { status?: unknown }).status);
  return ok(plan(info, stored, next));
};

/** updateStatus: the stored object with only `status` taken from the caller. */
export const prepareStatusUpdate = <T extends KubeObject>(
  info: KindInfo,
  ref: ResolvedRef,
  input: { stored: T; object: T },
): Result<UpdatePlan<T>, Invalid> => {
  if (!info.statusSubresource) return err(invalid(targetOf(ref), `${info.kind} has no status subresource`));
  const next = setStatus(input.stored, (input.object as T & { status?: unknown }).status);
  const p = plan(info, input.stored, next);
  return ok({ ...p, remove: false });
};

/** delete of an object with finalizers: deletionTimestamp now, grace 0, generation + 1 (first time only). */
export const markDeleting = <T extends KubeObject>(stored: T, deletionTimestamp: string): T => {
  const meta = stored.metadata;
  if (meta.deletionTimestamp !== undefined) return stored;
  const generation = meta.generation === undefined ? {} : { generation: meta.generation + 1 };
  return {
    ...stored,
    metadata: { ...meta, ...generation, deletionTimestamp, deletionGracePeriodSeconds: 0 },
  };
};

/** RFC 3339 at second precision, as Kubernetes writes metav1.Time. */
export const formatTimestamp = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;
