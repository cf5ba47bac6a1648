// The Node.js side of core's informers: real timers and randomness. The informer itself is core's
// (generic over the Store port, pure: docs/adr/0018-informers.md); this is only the clock it is given.
import {
  createInformerSet,
  type InformerSet,
  type InformerSleep,
  type InformerTiming,
  type Store,
} from '@spiderpool-ts/core';

/** setTimeout, cut short when the informer stops (no timer is left behind). */
export const nodeSleep: InformerSleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

/** Informer timing with real time: backoff 1 s -> 30 s with jitter, start deadline 30 s, no resync. */
export const nodeInformerTiming = (overrides: Partial<InformerTiming> = {}): InformerTiming => ({
  sleep: nodeSleep,
  random: Math.random,
  ...overrides,
});

/** An InformerSet over `store` (a KubernetesStore, MemoryStore, ...) with real time. */
export const createNodeInformerSet = (store: Store, overrides: Partial<InformerTiming> = {}): InformerSet =>
  createInformerSet(store, nodeInformerTiming(overrides));
