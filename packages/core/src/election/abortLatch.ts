// A minimal AbortController for the pure core (which has no DOM or Node types): `abort()` once, listeners
// run once, late listeners on an aborted latch run at once.
import type { AbortSignalLike } from '../controllers/watchLoop.ts';

export interface AbortLatch {
  readonly signal: AbortSignalLike;
  abort(): void;
}

export const createAbortLatch = (): AbortLatch => {
  let aborted = false;
  const listeners: (() => void)[] = [];
  const signal: AbortSignalLike = {
    get aborted() {
      return aborted;
    },
    addEventListener: (_type, listener) => {
      if (aborted) listener();
      else listeners.push(listener);
    },
  };
  return {
    signal,
    abort: () => {
      if (aborted) return;
      aborted = true;
      for (const l of listeners.splice(0)) l();
    },
  };
};

/** A latch that aborts when `parent` does (and can be aborted on its own). */
export const childLatch = (parent: AbortSignalLike): AbortLatch => {
  const latch = createAbortLatch();
  parent.addEventListener('abort', () => latch.abort(), { once: true });
  return latch;
};
