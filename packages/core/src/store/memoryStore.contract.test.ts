import { describeStoreContract } from '../testing/index.ts';
import { createMemoryStore } from './memoryStore.ts';

let tick = 0;
const now = (): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++));

describeStoreContract('MemoryStore', { makeStore: () => createMemoryStore({ now }) });
describeStoreContract('MemoryStore with a short history', {
  makeStore: () => createMemoryStore({ now, historyLimit: 8 }),
  historyLimit: 8,
});
