// Core's Store contract against EtcdStore on a real etcd (Debian's etcd-server, started on loopback).
import { describeStoreContract } from '@spiderpool-ts/core/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import { createEtcdStore, EtcdStore } from '../src/index.ts';
import { type EtcdProcess, startEtcd } from '../src/testing/index.ts';
import { gateEtcd } from './etcdKit.ts';

const HISTORY = 64;
const skip = gateEtcd('EtcdStore contract');

describe.skipIf(skip)('EtcdStore on a real etcd', () => {
  let etcd: EtcdProcess | undefined;
  beforeAll(async () => {
    etcd = await startEtcd();
  }, 30_000);
  afterAll(async () => {
    await etcd?.close();
  });

  describeStoreContract('EtcdStore -> etcd', {
    makeStore: () => {
      if (!etcd) throw new Error('etcd not started');
      return createEtcdStore({ endpoints: [etcd.endpoint], historyLimit: HISTORY });
    },
    cleanup: (store) => {
      if (store instanceof EtcdStore) store.close();
    },
    historyLimit: HISTORY,
  });
});
