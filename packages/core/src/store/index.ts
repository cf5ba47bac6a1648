// store/: the Store port (get/list/create/update/updateStatus/delete/watch with compare-and-swap on
// metadata.resourceVersion), the kind registry, MemoryStore (the embedded default) and CAS helpers.

export type {
  AlreadyExists,
  Conflict,
  Gone,
  Invalid,
  NotFound,
  ObjectTarget,
  StoreError,
  StoreErrorTag,
  StoreErrorTarget,
  Unauthorized,
  Unavailable,
} from './errors.ts';
export {
  alreadyExists as storeAlreadyExists,
  conflict as storeConflict,
  gone as storeGone,
  invalid as storeInvalid,
  isStoreError,
  notFound as storeNotFound,
  unauthorized as storeUnauthorized,
  unavailable as storeUnavailable,
} from './errors.ts';
export type { BeforeWrite, FailNextOptions, WriteOp, WriteVerb } from './faults.ts';
export { combineBeforeWrite, failNextWrites } from './faults.ts';
export { cloneJson, equalJson } from './jsonValue.ts';
export type { KindInfo, KindRegistry } from './kinds.ts';
export { createKindRegistry, defaultKindInfos, defaultKinds } from './kinds.ts';
export type { MemoryStoreOptions } from './memoryStore.ts';
export { createMemoryStore, MemoryStore } from './memoryStore.ts';
export type { ModifyOptions, Mutation } from './modify.ts';
export { modifyObject } from './modify.ts';
export type { CreateStamp, ResolvedRef, UpdatePlan } from './objectRules.ts';
export {
  checkPreconditions,
  formatTimestamp,
  markDeleting,
  prepareCreate,
  prepareStatusUpdate,
  prepareUpdate,
  resolveObject,
  resolveRef,
  targetOf,
} from './objectRules.ts';
export type {
  DeleteOptions,
  DeleteResult,
  ListOptions,
  ObjectList,
  ObjectRef,
  Store,
  WatchEvent,
  WatchEventType,
  WatchHandle,
  WatchListener,
  WatchOptions,
} from './port.ts';
