// Without KUBECONFIG the operator starts the API-server emulator of @spiderpool-ts/k8s/testing (a TEST
// DOUBLE of kube-apiserver on 127.0.0.1, in memory) and seeds what a kubeadm cluster has: the kube-system
// and default namespaces, kube-system/kubeadm-config, and the SpiderCoordinator `default` a Spiderpool
// install creates. Its kubeconfig is written to a temp dir and printed, for kubectl.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '@spiderpool-ts/core';
import { renderWebhookConfigurations } from '@spiderpool-ts/k8s';
import { type ApiServerEmulator, startApiServerEmulator } from '@spiderpool-ts/k8s/testing';

const CLUSTER_CONFIGURATION = `apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
networking:
  dnsDomain: cluster.local
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/12
`;

const SEED: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kubeadm-config', namespace: 'kube-system' },
    data: { ClusterConfiguration: CLUSTER_CONFIGURATION },
  } as KubeObject,
  {
    apiVersion: 'spiderpool.spidernet.io/v2beta1',
    kind: 'SpiderCoordinator',
    metadata: { name: 'default' },
    spec: { mode: 'auto', podCIDRType: 'cluster', tunePodRoutes: true, hostRuleTable: 500 },
  } as KubeObject,
];

export const startSeededEmulator = async (): Promise<{ emulator: ApiServerEmulator; kubeconfig: string }> => {
  const emulator = await startApiServerEmulator({ historyLimit: 100_000 });
  for (const o of SEED) {
    const r = await emulator.store.create(o);
    if (r.isErr() && r.error._tag !== 'AlreadyExists')
      throw new Error(`seeding the emulator: ${r.error.message}`);
  }
  const kubeconfig = emulator.writeKubeconfig(
    join(mkdtempSync(join(tmpdir(), 'spiderpool-ts-operator-')), 'kubeconfig'),
  );
  return { emulator, kubeconfig };
};

/**
 * Registers the operator's webhook server in the emulator the way a cluster install does: the
 * Mutating/ValidatingWebhookConfigurations of Spiderpool's kinds with the server's CA bundle, here by URL
 * (a cluster uses the Service, manifests/webhook.yaml). The emulator then calls the server over HTTPS
 * on every matching write, as kube-apiserver does.
 */
export const registerWebhooks = async (
  emulator: ApiServerEmulator,
  webhook: { port: number; caBundle: string },
): Promise<void> => {
  const configs = renderWebhookConfigurations({
    name: 'spiderpool-ts-operator',
    url: `https://127.0.0.1:${webhook.port}`,
    caBundle: webhook.caBundle,
  });
  for (const c of configs) {
    const r = await emulator.store.create(c);
    if (r.isErr()) throw new Error(`registering the webhooks in the emulator: ${r.error.message}`);
  }
};
