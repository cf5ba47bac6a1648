// The cluster's control plane for the demo:
//   - the API-server emulator (TEST DOUBLE of kube-apiserver: in memory, HTTP on 127.0.0.1) with the CRDs,
//     Services added to the kinds it serves, and the SR-IOV policy admission of sriov-network-operator's
//     webhook (core's defaults + field rules, run in the emulator's process);
//   - the admission webhook server of @spiderpool-ts/k8s (REAL: HTTPS with a self-signed certificate)
//     registered through Spiderpool's Mutating/ValidatingWebhookConfiguration, which the emulator calls over
//     HTTPS on every write of a Spiderpool kind (failurePolicy Fail);
//   - what a Spiderpool + sriov-network-operator install has created (namespaces, SpiderCoordinator
//     `default`, kubeadm-config).
import { join } from 'node:path';
import {
  createKindRegistry,
  defaultSriovPolicy,
  formatFieldErrors,
  type KindInfo,
  type KubeObject,
  type SriovNetworkNodePolicy,
  validateSriovPolicyCreate,
  validateSriovPolicyUpdate,
} from '@spiderpool-ts/core';
import {
  createKubernetesStore,
  generateSelfSignedTls,
  type KubernetesStore,
  renderWebhookConfigurations,
  startWebhookServer,
  storeLister,
  type WebhookServer,
} from '@spiderpool-ts/k8s';
import {
  type Admission,
  type ApiServerEmulator,
  emulatorKinds,
  startApiServerEmulator,
} from '@spiderpool-ts/k8s/testing';
import { installObjects } from './manifests.ts';

const SERVICE_KIND: KindInfo = {
  kind: 'Service',
  apiVersion: 'v1',
  plural: 'services',
  namespaced: true,
  statusSubresource: true,
};
export const DEMO_KINDS = createKindRegistry([...emulatorKinds.kinds, SERVICE_KIND]);

/** sriov-network-operator's policy webhook, as the emulator's (synchronous) admission hook. */
const admitSriovPolicy: Admission = (op, object, old) => {
  if (object.kind !== 'SriovNetworkNodePolicy') return { allowed: true, object };
  const p = defaultSriovPolicy(object as SriovNetworkNodePolicy);
  const errors =
    op === 'CREATE'
      ? validateSriovPolicyCreate(p, { policies: [] })
      : validateSriovPolicyUpdate(old as SriovNetworkNodePolicy, p, { policies: [] });
  return errors.length === 0
    ? { allowed: true, object: p as KubeObject }
    : {
        allowed: false,
        message: `admission webhook "sriov-policy" denied the request: ${formatFieldErrors(errors)}`,
      };
};

export interface ControlPlane {
  emulator: ApiServerEmulator;
  webhooks: WebhookServer;
  kubeconfig: string;
  /** The demo's own client (the kubelet and kube-controller-manager doubles write through it, over HTTP). */
  store: KubernetesStore;
  close(): Promise<void>;
}

export const startControlPlane = async (dir: string): Promise<ControlPlane> => {
  let webhookUrl = '';
  const emulator = await startApiServerEmulator({
    kinds: DEMO_KINDS,
    historyLimit: 100_000,
    admission: admitSriovPolicy,
    webhookServices: (svc) =>
      svc.name === 'spiderpool-controller' && svc.namespace === 'kube-system' ? webhookUrl : undefined,
  });
  const closeAll: (() => Promise<void>)[] = [() => emulator.close()];
  const close = async () => {
    for (const c of closeAll.reverse()) await c();
  };
  try {
    const kubeconfig = emulator.writeKubeconfig(join(dir, 'kubeconfig'));
    const opened = createKubernetesStore({ kubeConfig: emulator.kubeConfig(), kinds: DEMO_KINDS });
    if (opened.isErr()) throw new Error(opened.error.message);
    const store = opened.value;
    const tls = await generateSelfSignedTls({
      hosts: ['spiderpool-controller.kube-system.svc', '127.0.0.1'],
    });
    if (tls.isErr()) throw new Error(tls.error.message);
    const started = await startWebhookServer({ tls: tls.value, lister: storeLister(store), port: 0 });
    if (started.isErr()) throw new Error(started.error.message);
    const webhooks = started.value;
    closeAll.push(() => webhooks.close());
    webhookUrl = webhooks.url;
    const configs = renderWebhookConfigurations({
      caBundle: webhooks.caBundle,
      service: { name: 'spiderpool-controller', namespace: 'kube-system', port: 5722 },
    });
    for (const o of [...installObjects(), ...configs]) {
      const r = await store.create(o);
      if (r.isErr() && r.error._tag !== 'AlreadyExists')
        throw new Error(`install ${o.kind}: ${r.error.message}`);
    }
    return { emulator, webhooks, kubeconfig, store, close };
  } catch (e) {
    await close();
    throw e;
  }
};
