// The MutatingWebhookConfiguration and ValidatingWebhookConfiguration that register the server, with
// Spiderpool's webhook names, paths, rules and operations (charts/spiderpool/templates/tls.yaml): mutate
// CREATE/UPDATE of the five kinds (and CREATE of Pods when resource injection is on); validate
// CREATE/UPDATE/DELETE of pools and subnets, CREATE/UPDATE of the others.
import type { KubeObject } from '@spiderpool-ts/core';
import { KIND_WEBHOOKS, type KindWebhook } from './kindWebhooks.ts';
import { type WebhookMode, webhookPath } from './webhookPaths.ts';

export interface WebhookServiceRef {
  name: string;
  namespace: string;
  /** Default 443 (Spiderpool's chart: the controller's webhookPort, 5722). */
  port?: number;
}

export interface WebhookManifestOptions {
  /** metadata.name of both configurations (default `spiderpool-controller`). */
  name?: string;
  /** base64 CA PEM; absent: left out (e.g. cert-manager's inject-ca-from fills it). */
  caBundle?: string;
  /** Where the API server calls: a Service ... */
  service?: WebhookServiceRef;
  /** ... or a base URL (`https://host:port`); paths are appended. One of the two is required. */
  url?: string;
  /** Default `Fail`, as Spiderpool. */
  failurePolicy?: 'Fail' | 'Ignore';
  /** Default 10 (the API server's default). */
  timeoutSeconds?: number;
  /** Register the Pod webhook (Spiderpool: `podResourceInject.enabled`), optionally by namespace. */
  podResourceInject?: { namespacesExclude?: string[]; namespacesInclude?: string[] };
  /** Extra metadata.annotations, e.g. `cert-manager.io/inject-ca-from`. */
  annotations?: Record<string, string>;
}

type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

const VALIDATE_DELETE = new Set(['SpiderIPPool', 'SpiderSubnet']);

const clientConfig = (o: WebhookManifestOptions, path: string) => {
  const target = o.url
    ? { url: `${o.url.replace(/\/$/, '')}${path}` }
    : o.service
      ? {
          service: {
            name: o.service.name,
            namespace: o.service.namespace,
            path,
            port: o.service.port ?? 443,
          },
        }
      : undefined;
  if (!target) throw new Error('renderWebhookConfigurations needs `service` or `url`');
  return { ...target, ...(o.caBundle ? { caBundle: o.caBundle } : {}) };
};

const nameOf = (w: KindWebhook): string =>
  w.kind === 'Pod' ? 'pods.spiderpool.spidernet.io' : `${w.kind.toLowerCase()}.spiderpool.spidernet.io`;

const entry = (o: WebhookManifestOptions, w: KindWebhook, mode: WebhookMode, operations: Operation[]) => ({
  admissionReviewVersions: ['v1'],
  clientConfig: clientConfig(o, webhookPath(mode, w)),
  failurePolicy: o.failurePolicy ?? 'Fail',
  name: nameOf(w),
  ...(w.kind === 'Pod' ? podSelector(o) : {}),
  rules: [
    {
      apiGroups: [w.group],
      apiVersions: [w.group === '' ? 'v1' : 'v2beta1'],
      operations,
      resources: [w.resource],
    },
  ],
  sideEffects: 'None',
  timeoutSeconds: o.timeoutSeconds ?? 10,
});

const podSelector = (o: WebhookManifestOptions) => {
  const exclude = o.podResourceInject?.namespacesExclude ?? [];
  const include = o.podResourceInject?.namespacesInclude ?? [];
  const key = 'kubernetes.io/metadata.name';
  const exprs = [
    ...(exclude.length > 0 ? [{ key, operator: 'NotIn', values: exclude }] : []),
    ...(include.length > 0 ? [{ key, operator: 'In', values: include }] : []),
  ];
  return exprs.length > 0 ? { namespaceSelector: { matchExpressions: exprs } } : {};
};

/** `[MutatingWebhookConfiguration, ValidatingWebhookConfiguration]` (admissionregistration.k8s.io/v1). */
export const renderWebhookConfigurations = (options: WebhookManifestOptions): [KubeObject, KubeObject] => {
  const metadata = {
    name: options.name ?? 'spiderpool-controller',
    ...(options.annotations ? { annotations: options.annotations } : {}),
  };
  const spider = KIND_WEBHOOKS.filter((w) => w.kind !== 'Pod');
  const pod = KIND_WEBHOOKS.filter((w) => w.kind === 'Pod');
  const mutating = [
    ...spider.map((w) => entry(options, w, 'mutate', ['CREATE', 'UPDATE'])),
    ...(options.podResourceInject ? pod.map((w) => entry(options, w, 'mutate', ['CREATE'])) : []),
  ];
  const validating = spider.map((w) =>
    entry(
      options,
      w,
      'validate',
      VALIDATE_DELETE.has(w.kind) ? ['CREATE', 'UPDATE', 'DELETE'] : ['CREATE', 'UPDATE'],
    ),
  );
  const head = { apiVersion: 'admissionregistration.k8s.io/v1' };
  return [
    { ...head, kind: 'MutatingWebhookConfiguration', metadata, webhooks: mutating } as KubeObject,
    { ...head, kind: 'ValidatingWebhookConfiguration', metadata, webhooks: validating } as KubeObject,
  ];
};
