// `admission.k8s.io/v1` AdmissionReview: the request kube-apiserver POSTs to a webhook and the response it
// expects, with a strict reader (every field the server relies on is checked; unknown fields are ignored as
// the API server's JSON decoder does).
import type { KubeObject } from '@spiderpool-ts/core';
import { err, ok, Result } from 'neverthrow';
import { badReview, type WebhookServerError } from './errors.ts';

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
const OPERATIONS: readonly AdmissionOperation[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export interface UserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface AdmissionRequest {
  uid: string;
  kind: GroupVersionKind;
  resource: GroupVersionResource;
  subResource?: string;
  requestKind?: GroupVersionKind;
  requestResource?: GroupVersionResource;
  name?: string;
  namespace?: string;
  operation: AdmissionOperation;
  userInfo: UserInfo;
  /** The new object (CREATE, UPDATE); absent on DELETE. */
  object?: KubeObject;
  /** The stored object (UPDATE, DELETE). */
  oldObject?: KubeObject;
  dryRun?: boolean;
  options?: Record<string, unknown>;
}

export interface AdmissionReviewRequest {
  apiVersion: typeof ADMISSION_API_VERSION;
  kind: 'AdmissionReview';
  request: AdmissionRequest;
}

export interface AdmissionStatus {
  code: number;
  message: string;
  reason?: string;
  details?: Record<string, unknown>;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: AdmissionStatus;
  patchType?: 'JSONPatch';
  /** base64 of a JSON Patch (RFC 6902) document. */
  patch?: string;
  warnings?: string[];
}

export interface AdmissionReviewResponse {
  apiVersion: typeof ADMISSION_API_VERSION;
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

type Check<T> = Result<T, WebhookServerError>;

const str = (o: Json, key: string, at: string, optional = false): Check<string | undefined> => {
  const v = o[key];
  if (v === undefined && optional) return ok(undefined);
  return typeof v === 'string' ? ok(v) : err(badReview(`${at}.${key}`, v, 'must be a string'));
};

const gvk = (o: Json, key: string, at: string, optional = false): Check<GroupVersionKind | undefined> => {
  const v = o[key];
  if (v === undefined && optional) return ok(undefined);
  if (!isRecord(v)) return err(badReview(`${at}.${key}`, v, 'must be an object {group, version, kind}'));
  const { group = '', version, kind } = v;
  if (typeof group !== 'string' || typeof version !== 'string' || typeof kind !== 'string' || kind === '') {
    return err(badReview(`${at}.${key}`, v, 'needs string group, version and a non-empty kind'));
  }
  return ok({ group, version, kind });
};

const gvr = (o: Json, key: string, at: string, optional = false): Check<GroupVersionResource | undefined> => {
  const v = o[key];
  if (v === undefined && optional) return ok(undefined);
  if (!isRecord(v)) return err(badReview(`${at}.${key}`, v, 'must be an object {group, version, resource}'));
  const { group = '', version, resource } = v;
  if (
    typeof group !== 'string' ||
    typeof version !== 'string' ||
    typeof resource !== 'string' ||
    resource === ''
  ) {
    return err(badReview(`${at}.${key}`, v, 'needs string group, version and a non-empty resource'));
  }
  return ok({ group, version, resource });
};

/** A Kubernetes object: kind, apiVersion and metadata (name may be empty for generateName). */
const kubeObject = (o: Json, key: string, at: string): Check<KubeObject | undefined> => {
  const v = o[key];
  if (v === undefined || v === null) return ok(undefined);
  const field = `${at}.${key}`;
  if (!isRecord(v)) return err(badReview(field, v, 'must be an object'));
  if (typeof v.kind !== 'string' || typeof v.apiVersion !== 'string') {
    return err(
      badReview(field, { kind: v.kind, apiVersion: v.apiVersion }, 'needs string kind and apiVersion'),
    );
  }
  const meta = v.metadata;
  if (!isRecord(meta)) return err(badReview(`${field}.metadata`, meta, 'must be an object'));
  for (const k of ['name', 'namespace', 'generateName', 'resourceVersion', 'uid'] as const) {
    if (meta[k] !== undefined && typeof meta[k] !== 'string') {
      return err(badReview(`${field}.metadata.${k}`, meta[k], 'must be a string'));
    }
  }
  for (const k of ['labels', 'annotations'] as const) {
    const m = meta[k];
    if (m === undefined) continue;
    if (!isRecord(m) || Object.values(m).some((x) => typeof x !== 'string')) {
      return err(badReview(`${field}.metadata.${k}`, m, 'must map strings to strings'));
    }
  }
  return ok(v as unknown as KubeObject);
};

const userInfo = (o: Json, at: string): Check<UserInfo> => {
  const v = o.userInfo;
  if (v === undefined) return ok({});
  if (!isRecord(v)) return err(badReview(`${at}.userInfo`, v, 'must be an object'));
  if (v.username !== undefined && typeof v.username !== 'string') {
    return err(badReview(`${at}.userInfo.username`, v.username, 'must be a string'));
  }
  if (v.groups !== undefined && (!Array.isArray(v.groups) || v.groups.some((g) => typeof g !== 'string'))) {
    return err(badReview(`${at}.userInfo.groups`, v.groups, 'must be a list of strings'));
  }
  return ok(v as UserInfo);
};

/** Reads an AdmissionReview request body (already JSON-parsed). */
export const parseAdmissionReview = (body: unknown): Result<AdmissionReviewRequest, WebhookServerError> => {
  if (!isRecord(body)) return err(badReview('', body, 'an AdmissionReview must be a JSON object'));
  if (body.apiVersion !== ADMISSION_API_VERSION) {
    return err(badReview('apiVersion', body.apiVersion, `must be ${ADMISSION_API_VERSION}`));
  }
  if (body.kind !== 'AdmissionReview') return err(badReview('kind', body.kind, 'must be AdmissionReview'));
  const r = body.request;
  if (!isRecord(r)) return err(badReview('request', r, 'must be an object'));
  const at = 'request';
  const uid = str(r, 'uid', at);
  if (uid.isErr()) return err(uid.error);
  if (uid.value === '') return err(badReview('request.uid', '', 'must not be empty'));
  const op = r.operation;
  if (typeof op !== 'string' || !(OPERATIONS as readonly string[]).includes(op)) {
    return err(badReview('request.operation', op, `must be one of ${OPERATIONS.join(', ')}`));
  }
  const operation = op as AdmissionOperation;
  const kind = gvk(r, 'kind', at);
  if (kind.isErr()) return err(kind.error);
  const resource = gvr(r, 'resource', at);
  if (resource.isErr()) return err(resource.error);
  const requestKind = gvk(r, 'requestKind', at, true);
  if (requestKind.isErr()) return err(requestKind.error);
  const requestResource = gvr(r, 'requestResource', at, true);
  if (requestResource.isErr()) return err(requestResource.error);
  const names = Result.combine([
    str(r, 'name', at, true),
    str(r, 'namespace', at, true),
    str(r, 'subResource', at, true),
  ]);
  if (names.isErr()) return err(names.error);
  const objects = Result.combine([kubeObject(r, 'object', at), kubeObject(r, 'oldObject', at)]);
  if (objects.isErr()) return err(objects.error);
  const [object, oldObject] = objects.value;
  if ((operation === 'CREATE' || operation === 'UPDATE') && object === undefined) {
    return err(badReview('request.object', r.object, `is required for ${operation}`));
  }
  if ((operation === 'UPDATE' || operation === 'DELETE') && oldObject === undefined) {
    return err(badReview('request.oldObject', r.oldObject, `is required for ${operation}`));
  }
  if (r.dryRun !== undefined && typeof r.dryRun !== 'boolean') {
    return err(badReview('request.dryRun', r.dryRun, 'must be a boolean'));
  }
  const user = userInfo(r, at);
  if (user.isErr()) return err(user.error);
  const [name, namespace, subResource] = names.value;
  const request: AdmissionRequest = {
    uid: uid.value ?? '',
    kind: kind.value as GroupVersionKind,
    resource: resource.value as GroupVersionResource,
    operation,
    userInfo: user.value,
    ...(requestKind.value ? { requestKind: requestKind.value } : {}),
    ...(requestResource.value ? { requestResource: requestResource.value } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(subResource !== undefined ? { subResource } : {}),
    ...(object ? { object } : {}),
    ...(oldObject ? { oldObject } : {}),
    ...(typeof r.dryRun === 'boolean' ? { dryRun: r.dryRun } : {}),
    ...(isRecord(r.options) ? { options: r.options } : {}),
  };
  return ok({ apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', request });
};

export const reviewResponse = (response: AdmissionResponse): AdmissionReviewResponse => ({
  apiVersion: ADMISSION_API_VERSION,
  kind: 'AdmissionReview',
  response,
});
