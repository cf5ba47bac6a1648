// `--store=k8s`: the API-server emulator of @spiderpool-ts/k8s on 127.0.0.1 (CRD defaulting and schema
// validation on, core's IPPool mutating webhook as its admission hook, as the k8s package's kubectl test
// runs it), and the walkthrough through KubernetesStore over HTTP. kubectl gets a kubeconfig file for it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_CLUSTER_SETTINGS,
  defaultIPPool,
  type KubeObject,
  type SpiderIPPool,
} from '@spiderpool-ts/core';
import { createKubernetesStore } from '@spiderpool-ts/k8s';
import { type Admission, startApiServerEmulator } from '@spiderpool-ts/k8s/testing';
import { createCluster } from './cluster.ts';
import type { DemoTarget } from './target.ts';

/** Spiderpool's mutating webhook for pools (core's defaultIPPool); other kinds pass unchanged. */
const admitPools: Admission = (_op, object: KubeObject) => ({
  allowed: true as const,
  object:
    object.kind === 'SpiderIPPool'
      ? defaultIPPool(object as SpiderIPPool, { settings: DEFAULT_CLUSTER_SETTINGS, subnets: [] })
      : object,
});

/** Enough history that a watcher never falls behind the storm's writes (a 410 would end the controllers). */
const HISTORY = 100_000;

export const emulatorTarget = async (): Promise<DemoTarget> => {
  const emulator = await startApiServerEmulator({ admission: admitPools, historyLimit: HISTORY });
  const dir = mkdtempSync(join(tmpdir(), 'spiderpool-ts-demo-'));
  const kubeconfig = emulator.writeKubeconfig(join(dir, 'kubeconfig'));
  const store = createKubernetesStore({ kubeConfig: emulator.kubeConfig() })._unsafeUnwrap();
  return {
    cluster: createCluster({
      store,
      label: `KubernetesStore -> the API-server emulator (${emulator.url})`,
      remote: true,
      settleMs: 20,
    }),
    kubectl: { kubeconfig, args: ['--cache-dir', join(dir, 'cache')] },
    close: async () => {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
