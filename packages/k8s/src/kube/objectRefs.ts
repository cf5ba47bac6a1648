// Resolving what a Store call names against the kind registry (answered Invalid locally, without a round
// trip), and shaping request and answer bodies: namespace as the scope wants it, kind/apiVersion filled in.
import {
  type KindInfo,
  type KindRegistry,
  type KubeObject,
  type ObjectRef,
  type StoreError,
  type StoreErrorTarget,
  storeInvalid,
} from '@spiderpool-ts/core';
import { err, ok, type Result } from 'neverthrow';

export interface Resolved {
  info: KindInfo;
  /** "" for cluster-scoped kinds. */
  namespace: string;
  name: string;
  target: StoreErrorTarget & { name: string };
}

const resolve = (
  info: KindInfo,
  name: string | undefined,
  namespace: string | undefined,
): Result<Resolved, StoreError> => {
  if (typeof name !== 'string' || name === '') {
    return err(storeInvalid({ kind: info.kind }, 'metadata.name is required'));
  }
  if (!info.namespaced) return ok({ info, namespace: '', name, target: { kind: info.kind, name } });
  if (!namespace) {
    return err(storeInvalid({ kind: info.kind, name }, `${info.kind} is namespaced: namespace is required`));
  }
  return ok({ info, namespace, name, target: { kind: info.kind, namespace, name } });
};

export const resolveRef = (kinds: KindRegistry, ref: ObjectRef): Result<Resolved, StoreError> =>
  kinds.lookup(ref.kind).andThen((info) => resolve(info, ref.name, ref.namespace));

/** An incoming object: known kind, name (and namespace if namespaced), the registry's apiVersion. */
export const resolveObject = (kinds: KindRegistry, object: KubeObject): Result<Resolved, StoreError> =>
  kinds.lookup(object.kind).andThen((info) => {
    const meta = object.metadata as KubeObject['metadata'] | undefined;
    if (!meta || typeof meta !== 'object')
      return err(storeInvalid({ kind: object.kind }, 'metadata is required'));
    return resolve(info, meta.name, meta.namespace).andThen((r) =>
      object.apiVersion === info.apiVersion
        ? ok(r)
        : err(
            storeInvalid(
              r.target,
              `apiVersion must be ${info.apiVersion}, got "${String(object.apiVersion)}"`,
            ),
          ),
    );
  });

/** The request body: namespace as the scope wants it (dropped for cluster-scoped kinds). */
export const requestBody = (r: Resolved, object: KubeObject): KubeObject => {
  const { namespace: _ns, ...meta } = object.metadata;
  return { ...object, metadata: r.namespace ? { ...meta, namespace: r.namespace } : meta };
};

/** List items (and some answers) lack apiVersion/kind: set them from the registry. */
export const fillKind = <T extends KubeObject>(info: KindInfo, body: unknown): T => {
  const o = (typeof body === 'object' && body !== null ? body : {}) as Partial<KubeObject>;
  return {
    ...o,
    apiVersion: o.apiVersion ?? info.apiVersion,
    kind: o.kind ?? info.kind,
    metadata: o.metadata ?? { name: '' },
  } as T;
};

export const asObject = <T extends KubeObject>(info: KindInfo, body: unknown): Result<T, StoreError> =>
  ok(fillKind<T>(info, body));
