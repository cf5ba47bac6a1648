// The kinds the emulator serves by default: the Store's (Spiderpool, NAD, core and workload kinds) plus the
// API server's own admissionregistration.k8s.io/v1 webhook configurations (read by the webhook dispatcher)
// and apiextensions.k8s.io/v1 CustomResourceDefinitions (`kubectl get crd`, seeded with Spiderpool's).
import { createKindRegistry, defaultKindInfos, type KindInfo, type KindRegistry } from '@spiderpool-ts/core';
import { WEBHOOK_CONFIGURATION_KINDS } from '../webhookServer/webhookKinds.ts';

export const WEBHOOK_CONFIG_KINDS = WEBHOOK_CONFIGURATION_KINDS;

export const CRD_KIND: KindInfo = {
  kind: 'CustomResourceDefinition',
  apiVersion: 'apiextensions.k8s.io/v1',
  plural: 'customresourcedefinitions',
  namespaced: false,
  statusSubresource: true,
};

/** `defaultKinds` + webhook configurations + CRDs. */
export const emulatorKinds: KindRegistry = createKindRegistry([
  ...defaultKindInfos,
  ...WEBHOOK_CONFIG_KINDS,
  CRD_KIND,
]);

/** True when the kind's objects are never sent to admission webhooks (as kube-apiserver exempts them). */
export const exemptFromWebhooks = (kind: string): boolean =>
  WEBHOOK_CONFIG_KINDS.some((k) => k.kind === kind);
