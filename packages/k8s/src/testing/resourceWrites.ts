// Writes on a resource path: POST (create), PUT (update / status), PATCH (merge or JSON patch, retried
// internally on a concurrent write like the API server), DELETE (preconditions; 200 with the object, marked
// while finalizers remain). CRD defaults, the in-process admission, mutating webhooks, defaults again, CRD
// schema validation and validating webhooks run before the store; `dryRun=All` stops right before it.
import type { KubeObject } from '@spiderpool-ts/core';
import { dryRunCreate, dryRunDelete, dryRunOf, dryRunUpdate } from './dryRun.ts';
import { namespaceMissing } from './namespaceLifecycle.ts';
import { nameCauses } from './objectNames.ts';
import { applyJsonPatch, applyMergePatch } from './patches.ts';
import {
  type Answer,
  answer,
  type EmulatorContext,
  ok,
  parseJson,
  type ResourceRequest,
  refOf,
} from './requestContext.ts';
import { applySchemaDefaults } from './schemaDefaults.ts';
import { schemaCauses } from './schemaValidation.ts';
import {
  badRequest,
  type HttpStatus,
  invalidStatus,
  statusBody,
  statusFromStoreError,
} from './statusBodies.ts';
import { type AdmissionAttributes, runMutatingWebhooks, runValidatingWebhooks } from './webhookDispatch.ts';

const isObject = (v: unknown): v is KubeObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as KubeObject).metadata === 'object';

const incoming = (rr: ResourceRequest, value: unknown): KubeObject | HttpStatus => {
  const r = rr.route.resource;
  if (!isObject(value)) return badRequest('the body must be a Kubernetes object with metadata');
  if (value.kind !== undefined && value.kind !== r.info.kind) {
    return badRequest(
      `the kind of the body (${String(value.kind)}) does not match the resource (${r.info.kind})`,
    );
  }
  const ns = rr.route.namespace;
  if (r.info.namespaced && ns && value.metadata.namespace && value.metadata.namespace !== ns) {
    return badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  if (
    rr.route.name !== undefined &&
    value.metadata.name !== undefined &&
    value.metadata.name !== rr.route.name
  ) {
    return badRequest('the name of the object does not match the name on the URL');
  }
  const metadata = {
    ...value.metadata,
    ...(rr.route.name !== undefined && !value.metadata.name ? { name: rr.route.name } : {}),
    ...(r.info.namespaced && ns ? { namespace: ns } : {}),
  };
  return { ...value, apiVersion: value.apiVersion ?? r.info.apiVersion, kind: r.info.kind, metadata };
};

const isStatus = (v: KubeObject | HttpStatus): v is HttpStatus => 'code' in v && 'body' in v;

/**
 * CRD defaults, the in-process admission (not for /status), mutating webhooks, defaults again, CRD schema
 * validation (422 Invalid with field errors), validating webhooks.
 */
const admit = async (
  ctx: EmulatorContext,
  rr: ResourceRequest,
  operation: 'CREATE' | 'UPDATE',
  object: KubeObject,
  old: KubeObject | undefined,
): Promise<KubeObject | HttpStatus> => {
  const r = rr.route.resource;
  const defaults = (o: KubeObject): KubeObject =>
    ctx.crdDefaults && r.schema ? (applySchemaDefaults(r.schema, o) as KubeObject) : o;
  let admitted = defaults(object);
  if (ctx.admission && !rr.route.subresource) {
    const verdict = ctx.admission(operation, admitted, old);
    if (!verdict.allowed) return badRequest(`admission webhook denied the request: ${verdict.message}`);
    admitted = verdict.object;
  }
  const attrs: AdmissionAttributes = {
    operation,
    resource: r,
    subresource: rr.route.subresource,
    namespace: r.info.namespaced ? admitted.metadata.namespace : undefined,
    name: admitted.metadata.name ?? '',
    object: admitted,
    old,
    dryRun: dryRunOf(rr) === 'All',
  };
  const mutated = await runMutatingWebhooks(ctx.webhooks, attrs);
  if (isStatus(mutated)) return mutated;
  admitted = defaults(mutated);
  if (ctx.crdValidation && r.schema) {
    const causes = schemaCauses(r.schema, admitted);
    if (causes.length > 0) return invalidStatus(r, admitted.metadata.name, causes);
  }
  const denied = await runValidatingWebhooks(ctx.webhooks, { ...attrs, object: admitted });
  return denied ?? admitted;
};

export const create = async (ctx: EmulatorContext, rr: ResourceRequest): Promise<Answer> => {
  const parsed = parseJson(rr.body);
  if ('error' in parsed) return badRequest(parsed.error);
  const object = incoming(rr, parsed.value);
  if (isStatus(object)) return object;
  const r = rr.route.resource;
  const badName = nameCauses(r.info.kind, object.metadata.name);
  if (badName.length > 0) return invalidStatus(r, String(object.metadata.name ?? ''), badName);
  const missing = await namespaceMissing(ctx, r, object.metadata.namespace);
  if (missing) return missing;
  const admitted = await admit(ctx, rr, 'CREATE', object, undefined);
  if (isStatus(admitted)) return admitted;
  if (dryRunOf(rr) === 'All') {
    const exists = await ctx.store.get({
      kind: r.info.kind,
      name: admitted.metadata.name,
      ...(r.info.namespaced && admitted.metadata.namespace ? { namespace: admitted.metadata.namespace } : {}),
    });
    if (exists.isOk()) {
      const name = admitted.metadata.name;
      return statusFromStoreError(r, { _tag: 'AlreadyExists', kind: r.info.kind, name, message: '' });
    }
    return ok(201, dryRunCreate(rr, admitted, ctx.now()));
  }
  return answer(rr.route.resource, await ctx.store.create(admitted), 201);
};

/** update or updateStatus of an admitted object; CRDs refuse a write without resourceVersion (422). */
const write = async (
  ctx: EmulatorContext,
  rr: ResourceRequest,
  object: KubeObject,
  stored: KubeObject,
): Promise<HttpStatus> => {
  const r = rr.route.resource;
  if (dryRunOf(rr) === 'All') {
    const rv = object.metadata.resourceVersion;
    if (rv && rv !== stored.metadata.resourceVersion) {
      return statusFromStoreError(r, {
        _tag: 'Conflict',
        kind: r.info.kind,
        name: object.metadata.name,
        reason: `resourceVersion ${rv} is stale`,
        message: '',
      });
    }
    return ok(200, dryRunUpdate(rr, stored, object));
  }
  if (rr.route.subresource === 'status') return answer(r, await ctx.store.updateStatus(object));
  return answer(r, await ctx.store.update(object));
};

export const replace = async (ctx: EmulatorContext, rr: ResourceRequest): Promise<Answer> => {
  const r = rr.route.resource;
  const parsed = parseJson(rr.body);
  if ('error' in parsed) return badRequest(parsed.error);
  const object = incoming(rr, parsed.value);
  if (isStatus(object)) return object;
  if (r.schema && !object.metadata.resourceVersion) {
    return statusBody(
      422,
      'Invalid',
      `${r.info.kind}.${r.group} "${rr.route.name}" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update`,
    );
  }
  const old = await ctx.store.get(refOf(rr));
  if (old.isErr()) return statusFromStoreError(r, old.error);
  const admitted = await admit(ctx, rr, 'UPDATE', object, old.value);
  if (isStatus(admitted)) return admitted;
  return write(ctx, rr, admitted, old.value);
};

const PATCH_ATTEMPTS = 5;

export const patch = async (ctx: EmulatorContext, rr: ResourceRequest): Promise<Answer> => {
  const r = rr.route.resource;
  const type = (rr.req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  // Strategic merge needs Go struct tags: custom resources refuse it (415), built-in kinds get a merge patch.
  const strategic = type === 'application/strategic-merge-patch+json' && !r.schema;
  const merge = type === 'application/merge-patch+json' || strategic;
  if (!merge && type !== 'application/json-patch+json') {
    return statusBody(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json`,
    );
  }
  const parsed = parseJson(rr.body);
  if ('error' in parsed) return badRequest(parsed.error);
  for (let attempt = 1; ; attempt++) {
    const stored = await ctx.store.get(refOf(rr));
    if (stored.isErr()) return statusFromStoreError(r, stored.error);
    let next: unknown;
    if (merge) next = applyMergePatch(stored.value, parsed.value);
    else {
      const applied = applyJsonPatch(stored.value, parsed.value);
      if (applied.isErr()) {
        const f = applied.error;
        return f.code === 400 ? badRequest(f.message) : statusBody(422, 'Invalid', f.message);
      }
      next = applied.value;
    }
    const object = incoming(rr, next);
    if (isStatus(object)) return object;
    // A patch that names a resourceVersion is a compare-and-swap on it; otherwise it applies to what is stored.
    const pinned = object.metadata.resourceVersion !== stored.value.metadata.resourceVersion;
    const versioned = object.metadata.resourceVersion
      ? object
      : {
          ...object,
          metadata: { ...object.metadata, resourceVersion: stored.value.metadata.resourceVersion ?? '' },
        };
    const admitted = await admit(ctx, rr, 'UPDATE', versioned, stored.value);
    if (isStatus(admitted)) return admitted;
    const out = await write(ctx, rr, admitted, stored.value);
    const conflicted = out.code === 409 && (out.body as { reason?: string }).reason === 'Conflict';
    if (!conflicted || pinned || attempt >= PATCH_ATTEMPTS) return out;
  }
};

export const remove = async (ctx: EmulatorContext, rr: ResourceRequest): Promise<Answer> => {
  let preconditions: { uid?: string; resourceVersion?: string } | undefined;
  if (rr.body.trim() !== '') {
    const parsed = parseJson(rr.body);
    if ('error' in parsed) return badRequest(parsed.error);
    preconditions = (parsed.value as { preconditions?: { uid?: string; resourceVersion?: string } } | null)
      ?.preconditions;
  }
  const r = rr.route.resource;
  const stored = await ctx.store.get(refOf(rr));
  if (stored.isErr()) return statusFromStoreError(r, stored.error);
  const denied = await runValidatingWebhooks(ctx.webhooks, {
    operation: 'DELETE',
    resource: r,
    subresource: undefined,
    namespace: rr.route.namespace,
    name: rr.route.name ?? '',
    object: undefined,
    old: stored.value,
    dryRun: dryRunOf(rr) === 'All',
  });
  if (denied) return denied;
  if (dryRunOf(rr) === 'All') {
    const p = preconditions ?? {};
    const s = stored.value.metadata;
    if ((p.uid && p.uid !== s.uid) || (p.resourceVersion && p.resourceVersion !== s.resourceVersion)) {
      const conflict = { _tag: 'Conflict', kind: r.info.kind, name: s.name, reason: 'precondition' } as const;
      return statusFromStoreError(r, { ...conflict, message: '' });
    }
    return ok(200, dryRunDelete(stored.value, ctx.now()));
  }
  const deleted = await ctx.store.delete(refOf(rr), preconditions ? { preconditions } : {});
  return answer(
    rr.route.resource,
    deleted.map((d) => d.object),
  );
};
