// @spiderpool-ts/core/testing: test helpers other packages reuse. Imports vitest (an optional peer dependency).

export { noSleep } from '../ipam/retry.ts';
// Fault injection for MemoryStore writes and a sleep that does not wait (test doubles, not production API).
export { combineBeforeWrite, failNextWrites } from '../store/faults.ts';
export type { ContractContext, StoreContractOptions } from './contractHarness.ts';
export { expectErr, expectOk } from './contractHarness.ts';
export { eventually } from './eventually.ts';
export type { FlakyStore, TestPool } from './flakyStore.ts';
export { flakyStore, realSleep, testPool, until } from './flakyStore.ts';
export type { NadControllerContractOptions } from './nadControllerContract.ts';
export { describeNadControllerContract } from './nadControllerContract.ts';
export { describeStoreContract } from './storeContract.ts';
