// admissionregistration.k8s.io/v1 webhook configurations as the emulator reads them from its store: each
// webhook of each configuration, with the API server's defaults (failurePolicy Fail, timeoutSeconds 10,
// matchPolicy Equivalent treated as Exact, sideEffects as given), and the match of one request against its
// rules, namespaceSelector and objectSelector.
import { compileLabelSelector, type KubeObject, type LabelSelector } from '@spiderpool-ts/core';

export interface WebhookRule {
  operations: string[];
  apiGroups: string[];
  apiVersions: string[];
  resources: string[];
  scope: string;
}

export interface RegisteredWebhook {
  /** The webhook's `name`. */
  name: string;
  configuration: string;
  type: 'mutating' | 'validating';
  url: string | undefined;
  service: { name: string; namespace: string; path: string; port: number } | undefined;
  /** PEM (decoded caBundle), or undefined for the system's trust. */
  ca: string | undefined;
  failurePolicy: 'Fail' | 'Ignore';
  timeoutSeconds: number;
  sideEffects: string;
  rules: WebhookRule[];
  namespaceSelector: LabelSelector | undefined;
  objectSelector: LabelSelector | undefined;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);
const selector = (v: unknown): LabelSelector | undefined => (isRecord(v) ? (v as LabelSelector) : undefined);

const parseWebhook = (
  config: KubeObject,
  type: RegisteredWebhook['type'],
  w: unknown,
): RegisteredWebhook[] => {
  if (!isRecord(w) || typeof w.name !== 'string' || !isRecord(w.clientConfig)) return [];
  const cc = w.clientConfig;
  const svc = isRecord(cc.service) ? cc.service : undefined;
  const service =
    svc && typeof svc.name === 'string' && typeof svc.namespace === 'string'
      ? {
          name: svc.name,
          namespace: svc.namespace,
          path: typeof svc.path === 'string' ? svc.path : '/',
          port: typeof svc.port === 'number' ? svc.port : 443,
        }
      : undefined;
  const url = typeof cc.url === 'string' ? cc.url : undefined;
  if (!url && !service) return [];
  const ca =
    typeof cc.caBundle === 'string' && cc.caBundle !== ''
      ? Buffer.from(cc.caBundle, 'base64').toString('utf8')
      : undefined;
  const rules = (Array.isArray(w.rules) ? w.rules : []).filter(isRecord).map((r) => ({
    operations: strings(r.operations),
    apiGroups: strings(r.apiGroups),
    apiVersions: strings(r.apiVersions),
    resources: strings(r.resources),
    scope: typeof r.scope === 'string' ? r.scope : '*',
  }));
  return [
    {
      name: w.name,
      configuration: config.metadata.name,
      type,
      url,
      service,
      ca,
      failurePolicy: w.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
      timeoutSeconds: typeof w.timeoutSeconds === 'number' ? w.timeoutSeconds : 10,
      sideEffects: typeof w.sideEffects === 'string' ? w.sideEffects : 'Unknown',
      rules,
      namespaceSelector: selector(w.namespaceSelector),
      objectSelector: selector(w.objectSelector),
    },
  ];
};

/** Every webhook of the given configurations, ordered as kube-apiserver does: configurations by name. */
export const registeredWebhooks = (
  type: RegisteredWebhook['type'],
  configs: readonly KubeObject[],
): RegisteredWebhook[] =>
  [...configs]
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0))
    .flatMap((c) => {
      const list = (c as KubeObject & { webhooks?: unknown }).webhooks;
      return (Array.isArray(list) ? list : []).flatMap((w) => parseWebhook(c, type, w));
    });

export interface AttributesToMatch {
  operation: string;
  group: string;
  version: string;
  /** plural, or `plural/status` for the status subresource. */
  resource: string;
  namespaced: boolean;
}

const has = (list: string[], v: string): boolean => list.includes('*') || list.includes(v);

const resourceMatches = (patterns: string[], resource: string): boolean => {
  const [main, sub] = resource.split('/');
  return patterns.some((p) => {
    if (p === '*/*' || p === resource) return true;
    if (p === '*') return sub === undefined;
    const [pm, ps] = p.split('/');
    return ps !== undefined && (pm === '*' || pm === main) && (ps === '*' || ps === sub);
  });
};

export const ruleMatches = (w: RegisteredWebhook, a: AttributesToMatch): boolean =>
  w.rules.some(
    (r) =>
      has(r.operations, a.operation) &&
      has(r.apiGroups, a.group) &&
      has(r.apiVersions, a.version) &&
      resourceMatches(r.resources, a.resource) &&
      (r.scope === '*' || (r.scope === 'Namespaced') === a.namespaced),
  );

/** A selector that does not compile matches nothing (the API server would have refused the configuration). */
export const selectorMatches = (
  sel: LabelSelector | undefined,
  labels: Readonly<Record<string, string>> | undefined,
): boolean => {
  if (sel === undefined) return true;
  const m = compileLabelSelector(sel);
  return m.isOk() && m.value(labels);
};
