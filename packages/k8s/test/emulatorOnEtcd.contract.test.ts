// The whole stack on etcd: core's Store contract through KubernetesStore -> HTTP -> the API-server emulator
// -> EtcdStore -> a real etcd, so revisions, compaction (410 Gone) and limits are etcd's own.
import { describeStoreContract } from '@spiderpool-ts/core/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import { createEtcdStore, createKubernetesStore, type EtcdStore } from '../src/index.ts';
import {
  type ApiServerEmulator,
  type EtcdProcess,
  startApiServerEmulator,
  startEtcd,
} from '../src/testing/index.ts';
import { gateEtcd } from './etcdKit.ts';

const HISTORY = 64;
const skip = gateEtcd('API-server emulator on etcd');

describe.skipIf(skip)('API-server emulator on EtcdStore', () => {
  let etcd: EtcdProcess | undefined;
  let backing: EtcdStore | undefined;
  let emulator: ApiServerEmulator | undefined;
  beforeAll(async () => {
    etcd = await startEtcd();
    backing = createEtcdStore({ endpoints: [etcd.endpoint], historyLimit: HISTORY });
    emulator = await startApiServerEmulator({ store: backing });
  }, 30_000);
  afterAll(async () => {
    await emulator?.close();
    backing?.close();
    await etcd?.close();
  });

  describeStoreContract('KubernetesStore -> emulator -> EtcdStore -> etcd', {
    makeStore: () => {
      if (!emulator) throw new Error('emulator not started');
      return createKubernetesStore({ kubeConfig: emulator.kubeConfig() })._unsafeUnwrap();
    },
    historyLimit: HISTORY,
  });
});
