// Read-modify-write with compare-and-swap: get, apply a change, write with the read resourceVersion, and on
// Conflict start over from a fresh read. No waiting between attempts (the core has no clock); callers that
// need backoff wrap their own loop around `store.update`.
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { KubeObject } from '../api/meta.ts';
import { orElseAsync } from '../result/index.ts';
import type { StoreError } from './errors.ts';
import type { ObjectRef, Store } from './port.ts';

export interface ModifyOptions {
  /** Attempts before the last Conflict is returned (default 10). */
  attempts?: number;
  /** Write with updateStatus instead of update. */
  status?: boolean;
}

/** The change to apply; returning undefined means "nothing to do" (no write, current object returned). */
export type Mutation<T extends KubeObject> = (current: T) => T | undefined;

/** Applies `mutate` to the stored object under compare-and-swap, retrying on Conflict. */
export const modifyObject = <T extends KubeObject>(
  store: Store,
  ref: ObjectRef,
  mutate: Mutation<T>,
  options: ModifyOptions = {},
): ResultAsync<T, StoreError> => {
  const attempts = options.attempts ?? 10;
  const attempt = (left: number): ResultAsync<T, StoreError> =>
    store.get<T>(ref).andThen((current) => {
      const next = mutate(current);
      if (next === undefined) return okAsync(current);
      const withRv = {
        ...next,
        metadata: { ...next.metadata, resourceVersion: current.metadata.resourceVersion },
      };
      const write = options.status ? store.updateStatus(withRv) : store.update(withRv);
      return orElseAsync(write, (e) => (e._tag === 'Conflict' && left > 1 ? attempt(left - 1) : errAsync(e)));
    });
  return attempt(attempts);
};
