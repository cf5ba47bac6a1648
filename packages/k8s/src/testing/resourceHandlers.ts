// Verbs on one resource path: GET (get, list, watch, Table), POST (create), PUT (update / status), PATCH
// (merge or JSON patch, retried internally on a concurrent write like the API server), DELETE (with
// preconditions; 200 with the object, marked when finalizers remain). Every rule is the MemoryStore's.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, LabelSelector, MemoryStore, StoreError } from '@spiderpool-ts/core';
import type { Result } from 'neverthrow';
import { parseLabelSelector } from '../kube/labelSelectorText.ts';
import type { Admission } from './apiServerEmulator.ts';
import { parseFieldSelector } from './fieldSelector.ts';
import { applyJsonPatch, applyMergePatch } from './patches.ts';
import type { ServedResource } from './resources.ts';
import type { Route } from './routes.ts';
import { applySchemaDefaults } from './schemaDefaults.ts';
import { schemaCauses } from './schemaValidation.ts';
import { badRequest, type HttpStatus, statusBody, statusFromStoreError } from './statusBodies.ts';
import { type IncludeObject, toTable, wantsTable } from './tableOutput.ts';
import { serveWatch } from './watchHandler.ts';

export interface EmulatorContext {
  store: MemoryStore;
  now: () => Date;
  crdDefaults: boolean;
  crdValidation: boolean;
  /** Ends every open watch stream (registered by serveWatch while a stream is open). */
  watches: Set<() => void>;
  admission?: Admission;
}

export interface ResourceRequest {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  url: URL;
  body: string;
  route: Extract<Route, { type: 'resource' }>;
}

type Answer = HttpStatus | undefined;

const ok = (code: number, body: unknown): HttpStatus => ({ code, body: body as Record<string, unknown> });

const answer = <T>(r: ServedResource, res: Result<T, StoreError>, code = 200): HttpStatus =>
  res.isOk() ? ok(code, res.value) : statusFromStoreError(r, res.error);

const parseJson = (text: string): { value: unknown } | { error: string } => {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
};

const isObject = (v: unknown): v is KubeObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as KubeObject).metadata === 'object';

export const handleResource = async (ctx: EmulatorContext, rr: ResourceRequest): Promise<Answer> => {
  const { route, method } = rr;
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

const refOf = (rr: ResourceRequest) => {
  const { resource, namespace, name } = rr.route;
  return { kind: resource.info.kind, name: name ?? '', ...(namespace ? { namespace } : {}) };
};

const tableOptions = (ctx: EmulatorContext, rr: ResourceRequest, resourceVersion: string) => ({
  resourceVersion,
  includeObject: (rr.url.searchParams.get('includeObject') ?? 'PartialObjectMetadata') as IncludeObject,
  now: ctx.now(),
});

const objectGet = async (ctx: EmulatorContext, rr: ResourceRequest): Promise<Answer> => {
  const r = rr.route.resource;
  const got = await ctx.store.get(refOf(rr));
  if (got.isErr() || !wantsTable(rr.req.headers.accept)) return answer(r, got);
  return ok(200, toTable(r, [got.value], tableOptions(ctx, rr, got.value.metadata.resourceVersion ?? '')));
};

const collectionGet = async (ctx: EmulatorContext, rr: ResourceRequest): Promise<Answer> => {
  const r = rr.route.resource;
  const q = rr.url.searchParams;
  let labelSelector: LabelSelector | undefined;
  const selText = q.get('labelSelector');
  if (selText) {
    const parsed = parseLabelSelector(selText);
    if (parsed.isErr()) return badRequest(`unable to parse requirement: ${parsed.error}`);
    labelSelector = parsed.value;
  }
  const fields = parseFieldSelector(q.get('fieldSelector'));
  if (fields.isErr()) return badRequest(fields.error);
  const namespace = rr.route.namespace;
  const watch = q.get('watch');
  if (watch === 'true' || watch === '1') {
    const rv = q.get('resourceVersion') ?? undefined;
    const timeout = q.get('timeoutSeconds');
    return serveWatch(ctx.store, ctx.watches, rr.req, rr.res, {
      resource: r,
      namespace,
      resourceVersion: rv === '' ? undefined : rv,
      labelSelector,
      fieldFilter: fields.value,
      timeoutSeconds: timeout ? Number(timeout) : undefined,
    });
  }
  const listed = await ctx.store.list(r.info.kind, {
    ...(namespace ? { namespace } : {}),
    ...(labelSelector ? { labelSelector } : {}),
  });
  if (listed.isErr()) return statusFromStoreError(r, listed.error);
  const items = listed.value.items.filter(fields.value);
  const rv = listed.value.resourceVersion;
  if (wantsTable(rr.req.headers.accept)) return ok(200, toTable(r, items, tableOptions(ctx, rr, rv)));
  return ok(200, {
    kind: `${r.info.kind}List`,
    apiVersion: r.info.apiVersion,
    metadata: { resourceVersion: rv },
    items,
  });
};

/** The body as an object of this resource, with the namespace of the path (a different one is refused). */
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

/** CRD defaults, admission (not for /status), then CRD schema validation (422 Invalid with field errors). */
const admit = (
  ctx: EmulatorContext,
  rr: ResourceRequest,
  operation: 'CREATE' | 'UPDATE',
  object: KubeObject,
  old: KubeObject | undefined,
): KubeObject | HttpStatus => {
  const r = rr.route.resource;
  let admitted = ctx.crdDefaults && r.schema ? (applySchemaDefaults(r.schema, object) as KubeObject) : object;
  if (ctx.admission && !rr.route.subresource) {
    const verdict = ctx.admission(operation, admitted, old);
    if (!verdict.allowed) return badRequest(`admission webhook denied the request: ${verdict.message}`);
    admitted = verdict.object;
  }
  if (ctx.crdValidation && r.schema) {
    const causes = schemaCauses(r.schema, admitted);
    if (causes.length > 0) {
      const name = admitted.metadata.name;
      const lines = causes.map((c) => `${c.field}: ${c.message}`);
      const list = lines.length > 1 ? `[${lines.join(', ')}]` : lines[0];
      return statusBody(422, 'Invalid', `${r.info.kind}.${r.group} "${name}" is invalid: ${list}`, {
        name,
        group: r.group,
        kind: r.info.kind,
        causes,
      });
    }
  }
  return admitted;
};

const create = async (ctx: EmulatorContext, rr: ResourceRequest): Promise<Answer> => {
  const parsed = parseJson(rr.body);
  if ('error' in parsed) return badRequest(parsed.error);
  const object = incoming(rr, parsed.value);
  if (isStatus(object)) return object;
  const admitted = admit(ctx, rr, 'CREATE', object, undefined);
  if (isStatus(admitted)) return admitted;
  return answer(rr.route.resource, await ctx.store.create(admitted), 201);
};

/** update or updateStatus of an admitted object; CRDs refuse a write without resourceVersion (422). */
const write = async (ctx: EmulatorContext, rr: ResourceRequest, object: KubeObject): Promise<HttpStatus> => {
  const r = rr.route.resource;
  if (rr.route.subresource === 'status') return answer(r, await ctx.store.updateStatus(object));
  return answer(r, await ctx.store.update(object));
};

const replace = async (ctx: EmulatorContext, rr: ResourceRequest): Promise<Answer> => {
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
  const admitted = admit(ctx, rr, 'UPDATE', object, old.value);
  if (isStatus(admitted)) return admitted;
  return write(ctx, rr, admitted);
};

const PATCH_ATTEMPTS = 5;

const patch = async (ctx: EmulatorContext, rr: ResourceRequest): Promise<Answer> => {
  const r = rr.route.resource;
  const type = (rr.req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  const merge = type === 'application/merge-patch+json' || type === 'application/strategic-merge-patch+json';
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
    const admitted = admit(ctx, rr, 'UPDATE', versioned, stored.value);
    if (isStatus(admitted)) return admitted;
    const out = await write(ctx, rr, admitted);
    const conflicted = out.code === 409 && (out.body as { reason?: string }).reason === 'Conflict';
    if (!conflicted || pinned || attempt >= PATCH_ATTEMPTS) return out;
  }
};

const remove = async (ctx: EmulatorContext, rr: ResourceRequest): Promise<Answer> => {
  let preconditions: { uid?: string; resourceVersion?: string } | undefined;
  if (rr.body.trim() !== '') {
    const parsed = parseJson(rr.body);
    if ('error' in parsed) return badRequest(parsed.error);
    preconditions = (parsed.value as { preconditions?: { uid?: string; resourceVersion?: string } } | null)
      ?.preconditions;
  }
  const deleted = await ctx.store.delete(refOf(rr), preconditions ? { preconditions } : {});
  return answer(
    rr.route.resource,
    deleted.map((d) => d.object),
  );
};
