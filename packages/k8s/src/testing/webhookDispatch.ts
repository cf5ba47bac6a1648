// Admission webhooks as kube-apiserver runs them: the MutatingWebhookConfigurations in the store, ordered by
// name, called one after the other with the object as the previous one patched it; then every matching
// validating webhook (in parallel) on the final object. failurePolicy decides what a failed call (refused,
// TLS, timeout, a bad answer) does; a dry run refuses webhooks with side effects.
import { randomUUID } from 'node:crypto';
import type { KubeObject, Store } from '@spiderpool-ts/core';
import { exemptFromWebhooks } from './emulatorKinds.ts';
import { applyJsonPatch } from './patches.ts';
import type { ServedResource } from './resources.ts';
import { type HttpStatus, statusBody } from './statusBodies.ts';
import { callWebhook, type WebhookAnswer } from './webhookCall.ts';
import {
  type RegisteredWebhook,
  registeredWebhooks,
  ruleMatches,
  selectorMatches,
} from './webhookConfigs.ts';

/** Maps a webhook's `clientConfig.service` to a base URL (`https://127.0.0.1:<port>`); tests have no DNS. */
export type WebhookServiceResolver = (service: {
  name: string;
  namespace: string;
  port: number;
}) => string | undefined;

export interface AdmissionAttributes {
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  resource: ServedResource;
  subresource: 'status' | 'eviction' | undefined;
  namespace: string | undefined;
  name: string;
  object: KubeObject | undefined;
  old: KubeObject | undefined;
  dryRun: boolean;
}

export interface WebhookDispatchContext {
  store: Store;
  resolveService: WebhookServiceResolver | undefined;
}

const USER = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

const OPTIONS_KIND = { CREATE: 'CreateOptions', UPDATE: 'UpdateOptions', DELETE: 'DeleteOptions' } as const;

const reviewOf = (a: AdmissionAttributes, object: KubeObject | undefined) => {
  const r = a.resource;
  const kind = { group: r.group, version: r.version, kind: r.info.kind };
  const resource = { group: r.group, version: r.version, resource: r.info.plural };
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: randomUUID(),
      kind,
      resource,
      ...(a.subresource ? { subResource: a.subresource } : {}),
      requestKind: kind,
      requestResource: resource,
      name: a.name,
      ...(a.namespace ? { namespace: a.namespace } : {}),
      operation: a.operation,
      userInfo: USER,
      object: object ?? null,
      oldObject: a.old ?? null,
      dryRun: a.dryRun,
      options: { apiVersion: 'meta.k8s.io/v1', kind: OPTIONS_KIND[a.operation] },
    },
  };
};

const configsOf = async (store: Store, kind: string): Promise<KubeObject[]> => {
  if (store.kinds.lookup(kind).isErr()) return [];
  const listed = await store.list(kind);
  return listed.isOk() ? listed.value.items : [];
};

/** Labels of the request's namespace (with the `kubernetes.io/metadata.name` label the API server sets). */
const namespaceLabels = async (store: Store, a: AdmissionAttributes) => {
  if (a.resource.info.kind === 'Namespace') {
    const o = a.object ?? a.old;
    return { ...(o?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': a.name };
  }
  if (!a.resource.info.namespaced || !a.namespace) return undefined;
  const ns = await store.get({ kind: 'Namespace', name: a.namespace });
  return {
    ...(ns.isOk() ? (ns.value.metadata.labels ?? {}) : {}),
    'kubernetes.io/metadata.name': a.namespace,
  };
};

const matching = async (
  ctx: WebhookDispatchContext,
  type: RegisteredWebhook['type'],
  a: AdmissionAttributes,
) => {
  if (exemptFromWebhooks(a.resource.info.kind)) return [];
  const kind = type === 'mutating' ? 'MutatingWebhookConfiguration' : 'ValidatingWebhookConfiguration';
  const hooks = registeredWebhooks(type, await configsOf(ctx.store, kind));
  if (hooks.length === 0) return [];
  const nsLabels = await namespaceLabels(ctx.store, a);
  const objectLabels = (a.object ?? a.old)?.metadata.labels;
  const attrs = {
    operation: a.operation,
    group: a.resource.group,
    version: a.resource.version,
    resource: a.subresource ? `${a.resource.info.plural}/${a.subresource}` : a.resource.info.plural,
    namespaced: a.resource.info.namespaced,
  };
  return hooks.filter(
    (w) =>
      ruleMatches(w, attrs) &&
      (nsLabels === undefined || selectorMatches(w.namespaceSelector, nsLabels)) &&
      selectorMatches(w.objectSelector, objectLabels),
  );
};

const urlOf = (ctx: WebhookDispatchContext, w: RegisteredWebhook): string | undefined => {
  if (w.url) return w.url;
  if (!w.service) return undefined;
  const base = ctx.resolveService?.(w.service);
  return base ? `${base.replace(/\/$/, '')}${w.service.path}` : undefined;
};

const callFailed = (w: RegisteredWebhook, why: string): HttpStatus =>
  statusBody(500, 'InternalError', `Internal error occurred: failed calling webhook "${w.name}": ${why}`);

const deniedBy = (w: RegisteredWebhook, r: WebhookAnswer): HttpStatus => {
  const code = (r.status?.code ?? 0) < 400 ? 400 : (r.status?.code ?? 400);
  const prefix = `admission webhook "${w.name}" denied the request`;
  const message = r.status?.message ? `${prefix}: ${r.status.message}` : `${prefix} without explanation`;
  return statusBody(code, r.status?.reason ?? '', message);
};

type Called = { answer: WebhookAnswer } | { failed: HttpStatus } | { skipped: true };

const invoke = async (
  ctx: WebhookDispatchContext,
  w: RegisteredWebhook,
  review: ReturnType<typeof reviewOf>,
): Promise<Called> => {
  const url = urlOf(ctx, w);
  const outcome = url
    ? await callWebhook(url, review, { ca: w.ca, timeoutSeconds: w.timeoutSeconds })
    : {
        ok: false as const,
        error: `service ${w.service?.namespace}/${w.service?.name} is not resolvable in the emulator (option webhookServices)`,
      };
  if (outcome.ok) return { answer: outcome.response };
  const why = url
    ? `failed to call webhook: Post "${url}?timeout=${w.timeoutSeconds}s": ${outcome.error}`
    : outcome.error;
  return w.failurePolicy === 'Ignore' ? { skipped: true } : { failed: callFailed(w, why) };
};

/** A dry run may only reach webhooks that declare they have no side effects. */
const dryRunRefused = (a: AdmissionAttributes, hooks: RegisteredWebhook[]): HttpStatus | undefined => {
  if (!a.dryRun) return undefined;
  const w = hooks.find((h) => h.sideEffects !== 'None' && h.sideEffects !== 'NoneOnDryRun');
  return w
    ? statusBody(400, 'BadRequest', `admission webhook "${w.name}" does not support dry run`)
    : undefined;
};

/** The object after every matching mutating webhook, or the Status that refuses the request. */
export const runMutatingWebhooks = async (
  ctx: WebhookDispatchContext,
  a: AdmissionAttributes,
): Promise<KubeObject | HttpStatus> => {
  let object = a.object;
  if (!object || a.operation === 'DELETE')
    return object ?? statusBody(500, 'InternalError', 'no object to mutate');
  const hooks = await matching(ctx, 'mutating', a);
  const refused = dryRunRefused(a, hooks);
  if (refused) return refused;
  for (const w of hooks) {
    const called = await invoke(ctx, w, reviewOf(a, object));
    if ('skipped' in called) continue;
    if ('failed' in called) return called.failed;
    const r = called.answer;
    if (!r.allowed) return deniedBy(w, r);
    if (r.patch === undefined) continue;
    if (r.patchType !== 'JSONPatch') {
      if (w.failurePolicy === 'Ignore') continue;
      return callFailed(w, `unsupported patch type "${String(r.patchType)}"`);
    }
    let ops: unknown;
    try {
      ops = JSON.parse(Buffer.from(r.patch, 'base64').toString('utf8'));
    } catch {
      if (w.failurePolicy === 'Ignore') continue;
      return callFailed(w, 'the patch is not base64 JSON');
    }
    const patched = applyJsonPatch(object, ops);
    if (patched.isErr()) {
      if (w.failurePolicy === 'Ignore') continue;
      return callFailed(w, `the patch does not apply: ${patched.error.message}`);
    }
    object = patched.value as KubeObject;
  }
  return object;
};

/** undefined when every matching validating webhook admits (or failed with failurePolicy Ignore). */
export const runValidatingWebhooks = async (
  ctx: WebhookDispatchContext,
  a: AdmissionAttributes,
): Promise<HttpStatus | undefined> => {
  const hooks = await matching(ctx, 'validating', a);
  const refused = dryRunRefused(a, hooks);
  if (refused) return refused;
  const results = await Promise.all(
    hooks.map(async (w) => ({ w, called: await invoke(ctx, w, reviewOf(a, a.object)) })),
  );
  for (const { w, called } of results) {
    if ('failed' in called) return called.failed;
    if ('answer' in called && !called.answer.allowed) return deniedBy(w, called.answer);
  }
  return undefined;
};
