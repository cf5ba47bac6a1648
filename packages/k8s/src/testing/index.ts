// @spiderpool-ts/k8s/testing: an API-server emulator on loopback (for tests, demos and kubectl) and
// kubeconfig helpers pointing at it.
export type { Admission, ApiServerEmulator, ApiServerEmulatorOptions } from './apiServerEmulator.ts';
export { startApiServerEmulator } from './apiServerEmulator.ts';
export { EMULATED_VERSION } from './discovery.ts';
export { kubeConfigFor, kubeconfigDocument, writeKubeconfig } from './kubeconfig.ts';
export type { JsonPatchOp, PatchFailure } from './patches.ts';
export { applyJsonPatch, applyMergePatch } from './patches.ts';
export type { EtcdProcess, StartEtcdOptions } from './startEtcd.ts';
export { ETCD_BINARY, startEtcd } from './startEtcd.ts';
export { evalJsonPath } from './tableOutput.ts';
