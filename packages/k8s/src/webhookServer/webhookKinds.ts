// The kinds of the webhook configurations, for a Store that writes them (e.g. KubernetesStore with
// `kinds: createKindRegistry([...defaultKindInfos, ...WEBHOOK_CONFIGURATION_KINDS])`).
import type { KindInfo } from '@spiderpool-ts/core';

export const WEBHOOK_CONFIGURATION_KINDS: readonly KindInfo[] = [
  {
    kind: 'MutatingWebhookConfiguration',
    apiVersion: 'admissionregistration.k8s.io/v1',
    plural: 'mutatingwebhookconfigurations',
    namespaced: false,
    statusSubresource: false,
  },
  {
    kind: 'ValidatingWebhookConfiguration',
    apiVersion: 'admissionregistration.k8s.io/v1',
    plural: 'validatingwebhookconfigurations',
    namespaced: false,
    statusSubresource: false,
  },
];
