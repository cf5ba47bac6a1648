// What every watch loop of controllers/ shares: start its watches as one unit (all or none: if one fails to
// start, the ones already started are closed), close them all when the signal aborts, and report idleness
// from the loop's map of running reconciles.
import { errAsync, okAsync, type Result, ResultAsync } from 'neverthrow';
import type { StoreError, WatchHandle } from '../store/index.ts';

/** The part of an AbortSignal the loop uses (core has no DOM/Node types). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
}

export interface ControllersHandle {
  /** Resolves when every reconcile queued so far has finished (for tests and orderly shutdown). */
  idle(): Promise<void>;
}

const closeAll = (handles: readonly WatchHandle[]): void => {
  for (const h of handles) h.close();
};

export const startWatchLoop = (
  watches: readonly ResultAsync<WatchHandle, StoreError>[],
  signal: AbortSignalLike,
  running: ReadonlyMap<string, Promise<void>>,
): ResultAsync<ControllersHandle, StoreError> =>
  ResultAsync.fromSafePromise(Promise.all<Result<WatchHandle, StoreError>>(watches)).andThen((results) => {
    const handles = results.flatMap((r) => (r.isOk() ? [r.value] : []));
    const failed = results.find((r) => r.isErr());
    if (failed?.isErr()) {
      closeAll(handles);
      return errAsync(failed.error);
    }
    if (signal.aborted) closeAll(handles);
    else signal.addEventListener('abort', () => closeAll(handles), { once: true });
    return okAsync<ControllersHandle, StoreError>({
      idle: async () => {
        while (running.size > 0) await Promise.all([...running.values()]);
      },
    });
  });
