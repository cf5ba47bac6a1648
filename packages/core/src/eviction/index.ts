// The Eviction API as a port (policy/v1 Eviction, PodDisruptionBudgets respected) and its Store-backed
// implementation.
export type { EvictionVerdict } from './disruption.ts';
export { evictionVerdict } from './disruption.ts';
export { createStoreEvictor, evictViaStore, isPodEvictor } from './storeEvictor.ts';
export type {
  EvictionBlocked,
  EvictionError,
  PodDisruptionBudget,
  PodEvictor,
  PodRef,
} from './types.ts';
export { evictionBlocked } from './types.ts';
