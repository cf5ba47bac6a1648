// @spiderpool-ts/k8s: the Kubernetes side of spiderpool-ts. KubernetesStore (core's Store port over the API
// server), the Spiderpool CRD manifests, and the mapping of API-server answers to StoreErrors.
export type {
  CustomResourceDefinition,
  JSONSchemaProps,
  PrinterColumn,
} from './crds/index.ts';
export {
  SPIDERPOOL_GROUP,
  SPIDERPOOL_TS_VERSION,
  SPIDERPOOL_VERSION,
  SRIOV_GROUP,
  SRIOV_VERSION,
  spiderpoolCRDs,
  spiderpoolTsCRDs,
  sriovCRDs,
  toYaml,
} from './crds/index.ts';
export type { EtcdRequestTooLarge } from './etcd/errors.ts';
export { isRequestTooLarge } from './etcd/errors.ts';
export type { EtcdStoreOptions } from './etcd/etcdStore.ts';
export { createEtcdStore, EtcdStore } from './etcd/etcdStore.ts';
export { objectKey as etcdObjectKey, resourcePrefix as etcdResourcePrefix } from './etcd/keys.ts';
export { createNodeInformerSet, nodeInformerTiming, nodeSleep } from './informer/index.ts';
export { formatLabelSelector, parseLabelSelector } from './kube/labelSelectorText.ts';
export type { KubeStatus } from './kube/statusErrors.ts';
export { storeErrorFromException, storeErrorFromStatus } from './kube/statusErrors.ts';
export type { KubeConfigError, KubernetesStoreOptions } from './kubernetesStore.ts';
export { createKubernetesStore, KubernetesStore } from './kubernetesStore.ts';
export type {
  AdmissionLister,
  AdmissionOperation,
  AdmissionRequest,
  AdmissionResponse,
  AdmissionReviewRequest,
  AdmissionReviewResponse,
  AdmissionStatus,
  KindWebhook,
  PathRoute,
  SelfSignedOptions,
  TlsFiles,
  TlsMaterial,
  WebhookManifestOptions,
  WebhookMode,
  WebhookServer,
  WebhookServerError,
  WebhookServerOptions,
  WebhookServiceRef,
} from './webhookServer/index.ts';
export {
  ADMISSION_API_VERSION,
  caBundleOf,
  generateSelfSignedTls,
  HEALTH_CHECK_PATH,
  jsonPatchDiff,
  KIND_WEBHOOKS,
  loadTlsFiles,
  parseAdmissionReview,
  pathTable,
  renderWebhookConfigurations,
  startWebhookServer,
  staticLister,
  storeLister,
  WEBHOOK_CONFIGURATION_KINDS,
  webhookPath,
} from './webhookServer/index.ts';
