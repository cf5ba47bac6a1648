// informer/: list + watch caches over any Store (relist on 410, capped exponential backoff with jitter on
// every watch end, resync, health), a shared set of them, and a Store that reads from them.
export type { CachedStore, CachedStoreOptions, CachedStoreStats } from './cachedStore.ts';
export { createCachedStore, DEFAULT_CONFLICT_WAIT_MS } from './cachedStore.ts';
export type { EngineStoreOptions } from './engineStore.ts';
export { createEngineStore, ENGINE_INFORMER_KINDS } from './engineStore.ts';
export type { InformerError, InformerErrorTag } from './errors.ts';
export type { Informer } from './informer.ts';
export { createInformer, DEFAULT_INFORMER_BACKOFF, DEFAULT_START_TIMEOUT_MS } from './informer.ts';
export type { InformerSet } from './informerSet.ts';
export { createInformerSet } from './informerSet.ts';
export { compareVersions } from './objectCache.ts';
export type { StopSignal } from './stopSignal.ts';
export { createStopSignal } from './stopSignal.ts';
export type {
  InformerEvent,
  InformerHealth,
  InformerListener,
  InformerOptions,
  InformerScope,
  InformerSleep,
  InformerState,
  InformerTiming,
  SleepSignal,
} from './types.ts';
