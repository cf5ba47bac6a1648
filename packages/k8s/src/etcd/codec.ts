// Values as stored in etcd: the object's JSON without metadata.resourceVersion (kube-apiserver does the same:
// the version is the key's mod revision, set on every read). Values are validated on the way out.
import { type KubeObject, type StoreError, storeUnavailable } from '@spiderpool-ts/core';
import { err, ok, type Result } from 'neverthrow';

/** The bytes etcd stores for an object. */
export const encodeObject = (object: KubeObject): Buffer => {
  const { resourceVersion: _rv, ...metadata } = object.metadata;
  return Buffer.from(JSON.stringify({ ...object, metadata }));
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a stored value of `kind` and stamps `resourceVersion`; anything not an object of that kind is Unavailable. */
export const decodeObject = (
  value: Buffer,
  kind: string,
  resourceVersion: string,
): Result<KubeObject, StoreError> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (e) {
    return err(storeUnavailable({ kind }, 'etcd holds a value that is not JSON', e));
  }
  if (
    !isRecord(parsed) ||
    parsed.kind !== kind ||
    typeof parsed.apiVersion !== 'string' ||
    !isRecord(parsed.metadata) ||
    typeof parsed.metadata.name !== 'string'
  ) {
    return err(storeUnavailable({ kind }, `etcd holds a value that is not a ${kind}`, parsed));
  }
  const { metadata, ...rest } = parsed;
  const name: string = parsed.metadata.name;
  return ok({
    ...rest,
    kind,
    apiVersion: parsed.apiVersion,
    metadata: { ...metadata, name, resourceVersion },
  });
};
