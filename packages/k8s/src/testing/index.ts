// @spiderpool-ts/k8s/testing: an API-server emulator on loopback (a test double standing in for
// kube-apiserver in tests, demos and kubectl sessions; it calls registered admission webhooks over HTTPS)
// and kubeconfig helpers pointing at it.
export type {
  Admission,
  ApiServerEmulator,
  ApiServerEmulatorOptions,
  EmulatorTraffic,
} from './apiServerEmulator.ts';
export { startApiServerEmulator } from './apiServerEmulator.ts';
export { EMULATED_VERSION } from './discovery.ts';
export { CRD_KIND, emulatorKinds } from './emulatorKinds.ts';
export { kubeConfigFor, kubeconfigDocument, writeKubeconfig } from './kubeconfig.ts';
export type { JsonPatchOp, PatchFailure } from './patches.ts';
export { applyJsonPatch, applyMergePatch } from './patches.ts';
export type { EtcdProcess, StartEtcdOptions } from './startEtcd.ts';
export { ETCD_BINARY, startEtcd } from './startEtcd.ts';
export { evalJsonPath } from './tableOutput.ts';
export type { WebhookServiceResolver } from './webhookDispatch.ts';
