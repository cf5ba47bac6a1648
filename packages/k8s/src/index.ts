// @spiderpool-ts/k8s: the Kubernetes side of spiderpool-ts. KubernetesStore (core's Store port over the API
// server), the Spiderpool CRD manifests, and the mapping of API-server answers to StoreErrors.
export type {
  CustomResourceDefinition,
  JSONSchemaProps,
  PrinterColumn,
} from './crds/index.ts';
export { SPIDERPOOL_GROUP, SPIDERPOOL_VERSION, spiderpoolCRDs, toYaml } from './crds/index.ts';
export type { EtcdRequestTooLarge } from './etcd/errors.ts';
export { isRequestTooLarge } from './etcd/errors.ts';
export type { EtcdStoreOptions } from './etcd/etcdStore.ts';
export { createEtcdStore, EtcdStore } from './etcd/etcdStore.ts';
export { objectKey as etcdObjectKey, resourcePrefix as etcdResourcePrefix } from './etcd/keys.ts';
export { formatLabelSelector, parseLabelSelector } from './kube/labelSelectorText.ts';
export type { KubeStatus } from './kube/statusErrors.ts';
export { storeErrorFromException, storeErrorFromStatus } from './kube/statusErrors.ts';
export type { KubernetesStoreOptions } from './kubernetesStore.ts';
export { createKubernetesStore, KubernetesStore } from './kubernetesStore.ts';
