// What every engine flow needs: the Store, settings, this agent's node, the batched pool writer and small
// Store helpers that turn NotFound into `undefined`.
import { err, ok, type Result, type ResultAsync } from 'neverthrow';
import type { KubeObject } from '../api/index.ts';
import { orElseAsync } from '../result/index.ts';
import type { ObjectRef, Store } from '../store/index.ts';
import { type IpamError, storeFailed } from './errors.ts';
import type { PoolAllocatorCache } from './poolCache.ts';
import type { PoolWriter } from './poolWriter.ts';
import type { IpamRequest, IpamSettings } from './types.ts';

/** Test hooks (fault injection for chaos tests). */
export interface EngineHooks {
  /**
   * Called after the pool writes of an ADD, before the SpiderEndpoint write. Returning true makes the ADD
   * stop right there (an agent that died: Spiderpool issue #2517); the ADD then fails with Unavailable.
   */
  afterPoolWrite?: (req: IpamRequest) => boolean;
}

export interface EngineContext {
  readonly store: Store;
  readonly settings: IpamSettings;
  /** The node this agent runs on (used when the Pod has no spec.nodeName yet). */
  readonly nodeName: string;
  readonly writer: PoolWriter;
  readonly cache: PoolAllocatorCache;
  readonly hooks: EngineHooks;
}

/** GET that maps NotFound to `undefined` and other Store errors to IpamError. */
export const getOptional = <T extends KubeObject>(
  store: Store,
  ref: ObjectRef,
): ResultAsync<T | undefined, IpamError> =>
  orElseAsync(
    store.get<T>(ref),
    (e): Result<T | undefined, IpamError> => (e._tag === 'NotFound' ? ok(undefined) : err(storeFailed(e))),
  );
