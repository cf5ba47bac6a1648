// A minimal abort signal the pure core can create (no DOM/Node AbortController types): what informers hand
// to the injected sleep so a stop cancels pending waits.
import type { SleepSignal } from './types.ts';

export interface StopSignal extends SleepSignal {
  abort(): void;
}

export const createStopSignal = (): StopSignal => {
  let aborted = false;
  const listeners: (() => void)[] = [];
  return {
    get aborted() {
      return aborted;
    },
    addEventListener: (_type, listener) => {
      if (aborted) listener();
      else listeners.push(listener);
    },
    abort: () => {
      if (aborted) return;
      aborted = true;
      for (const l of listeners.splice(0)) l();
    },
  };
};
