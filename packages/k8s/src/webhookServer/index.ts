// webhookServer/: Spiderpool's admission webhooks (core's default/validate functions and the Pod resource
// injection) served as AdmissionReview admission.k8s.io/v1 over HTTPS, and the webhook configurations.
export type {
  AdmissionOperation,
  AdmissionRequest,
  AdmissionResponse,
  AdmissionReviewRequest,
  AdmissionReviewResponse,
  AdmissionStatus,
} from './admissionReview.ts';
export { ADMISSION_API_VERSION, parseAdmissionReview } from './admissionReview.ts';
export type { WebhookServerError } from './errors.ts';
export { jsonPatchDiff } from './jsonPatchDiff.ts';
export type { KindWebhook } from './kindWebhooks.ts';
export { KIND_WEBHOOKS } from './kindWebhooks.ts';
export type { AdmissionLister } from './lister.ts';
export { staticLister, storeLister } from './lister.ts';
export type { SelfSignedOptions, TlsFiles, TlsMaterial } from './tls.ts';
export { caBundleOf, generateSelfSignedTls, loadTlsFiles } from './tls.ts';
export { WEBHOOK_CONFIGURATION_KINDS } from './webhookKinds.ts';
export type { WebhookManifestOptions, WebhookServiceRef } from './webhookManifests.ts';
export { renderWebhookConfigurations } from './webhookManifests.ts';
export type { PathRoute, WebhookMode } from './webhookPaths.ts';
export { HEALTH_CHECK_PATH, pathTable, webhookPath } from './webhookPaths.ts';
export type { WebhookServer, WebhookServerOptions } from './webhookServer.ts';
export { startWebhookServer } from './webhookServer.ts';
