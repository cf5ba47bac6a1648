// @spiderpool-ts/core: each area keeps an explicit barrel; this file only joins them.

export * from './api/index.ts';
export * from './controllers/index.ts';
export * from './election/index.ts';
export * from './gc/index.ts';
export type {
  CachedStore,
  CachedStoreOptions,
  CachedStoreStats,
  EngineStoreOptions,
  Informer,
  InformerError,
  InformerErrorTag,
  InformerEvent,
  InformerHealth,
  InformerListener,
  InformerOptions,
  InformerScope,
  InformerSet,
  InformerSleep,
  InformerState,
  InformerTiming,
  SleepSignal,
  StopSignal,
} from './informer/index.ts';
export {
  compareVersions,
  createCachedStore,
  createEngineStore,
  createInformer,
  createInformerSet,
  createStopSignal,
  DEFAULT_INFORMER_BACKOFF,
  DEFAULT_START_TIMEOUT_MS,
  ENGINE_INFORMER_KINDS,
} from './informer/index.ts';
export * from './ip/index.ts';
export * from './ipam/index.ts';
export * from './multus/index.ts';
export * from './store/index.ts';
export * from './webhook/index.ts';
