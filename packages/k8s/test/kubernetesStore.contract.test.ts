// The main proof: core's Store contract suite against KubernetesStore talking HTTP to the emulator.
import { describeStoreContract } from '@spiderpool-ts/core/testing';
import { afterAll, beforeAll } from 'vitest';
import { createKubernetesStore } from '../src/index.ts';
import { type ApiServerEmulator, startApiServerEmulator } from '../src/testing/index.ts';

const HISTORY = 64;
let emulator: ApiServerEmulator | undefined;

beforeAll(async () => {
  // CRD defaulting and schema validation on, as on a real cluster with Spiderpool's CRDs installed.
  emulator = await startApiServerEmulator({ historyLimit: HISTORY });
});
afterAll(async () => {
  await emulator?.close();
});

describeStoreContract('KubernetesStore -> API-server emulator', {
  makeStore: () => {
    if (!emulator) throw new Error('emulator not started');
    return createKubernetesStore({ kubeConfig: emulator.kubeConfig() })._unsafeUnwrap();
  },
  historyLimit: HISTORY,
});
