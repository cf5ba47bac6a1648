// One reconcile at a time per key; a key enqueued while its reconcile runs is reconciled once more after it
// (never twice in parallel, never lost). Stops taking keys when the signal aborts. Used by the watch loops.
import type { AbortSignalLike } from './watchLoop.ts';

export interface KeyedQueue<K extends string> {
  enqueue(key: K): void;
  /** The reconciles in flight, by key (for `idle()`). */
  readonly running: ReadonlyMap<K, Promise<void>>;
}

export const createKeyedQueue = <K extends string>(
  signal: AbortSignalLike,
  reconcile: (key: K) => Promise<void>,
): KeyedQueue<K> => {
  const running = new Map<K, Promise<void>>();
  const again = new Set<K>();
  const enqueue = (key: K): void => {
    if (signal.aborted) return;
    if (running.has(key)) {
      again.add(key);
      return;
    }
    const run = async (): Promise<void> => {
      do {
        again.delete(key);
        await reconcile(key);
      } while (again.has(key) && !signal.aborted);
      running.delete(key);
    };
    running.set(key, run());
  };
  return { enqueue, running };
};
