// The main proof: core's Store contract suite against KubernetesStore talking HTTP to the emulator.
import { describeStoreContract } from '@spiderpool-ts/core/testing';
import { afterAll, beforeAll } from 'vitest';
import { createKubernetesStore } from '../src/index.ts';
import { type ApiServerEmulator, startApiServerEmulator } from '../src/testing/index.ts';

const HISTORY = 64;
let emulator: ApiServerEmulator | undefined;

beforeAll(async () => {
  // CRD schema off: the contract compares specs exactly (`default`/`disable` defaults would be added) and its
  // SpiderEndpoint fixtures carry partial statuses (the CRD requires current.ips and ownerControllerName).
  emulator = await startApiServerEmulator({
    historyLimit: HISTORY,
    crdDefaults: false,
    crdValidation: false,
  });
});
afterAll(async () => {
  await emulator?.close();
});

describeStoreContract('KubernetesStore -> API-server emulator', {
  makeStore: () => {
    if (!emulator) throw new Error('emulator not started');
    return createKubernetesStore({ kubeConfig: emulator.kubeConfig() });
  },
  historyLimit: HISTORY,
});
