// The Store contract: every Store implementation (MemoryStore, KubernetesStore, ...) runs this suite.
//   describeStoreContract('MemoryStore', { makeStore: () => createMemoryStore({ now: () => new Date() }) })
import { describe } from 'vitest';
import { crudContract } from './contractCrud.ts';
import { deleteContract } from './contractDelete.ts';
import { type StoreContractOptions, useStore } from './contractHarness.ts';
import { listContract } from './contractList.ts';
import { statusContract } from './contractStatus.ts';
import { watchContract } from './contractWatch.ts';

/** Registers the whole contract as a vitest `describe` block named `Store contract: <name>`. */
export const describeStoreContract = (name: string, options: StoreContractOptions): void => {
  describe(`Store contract: ${name}`, () => {
    const ctx = useStore(options);
    crudContract(ctx);
    statusContract(ctx);
    deleteContract(ctx);
    listContract(ctx);
    watchContract(ctx);
  });
};
