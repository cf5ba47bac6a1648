// Spiderpool's `ReleaseEndpointAndFinalizer`: delete a SpiderEndpoint and strip the spiderpool finalizer so
// the delete completes. Guarded by the resourceVersion GC saw: an endpoint rewritten since (a StatefulSet
// Pod re-bound to a new UID, a fresh allocation) is left for the next pass.
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { SpiderEndpoint } from '../api/index.ts';
import { KIND_SPIDER_ENDPOINT, SPIDER_FINALIZER } from '../api/index.ts';
import { type IpamError, storeFailed } from '../ipam/errors.ts';
import type { DeleteResult, Store, StoreError } from '../store/index.ts';

/** `deleted`: gone now; `changed`: someone wrote it since `seen` (nothing done); `absent`: already gone. */
export type EndpointReclaimOutcome = 'deleted' | 'changed' | 'absent';

const withoutOurFinalizer = (ep: SpiderEndpoint): SpiderEndpoint | undefined => {
  const finalizers = ep.metadata.finalizers ?? [];
  if (!finalizers.includes(SPIDER_FINALIZER)) return undefined;
  return {
    ...ep,
    metadata: { ...ep.metadata, finalizers: finalizers.filter((f) => f !== SPIDER_FINALIZER) },
  };
};

/** Deletes `seen` (as GC read it) if unchanged, then removes the spiderpool finalizer. */
export const reclaimEndpoint = (
  store: Store,
  seen: SpiderEndpoint,
): ResultAsync<EndpointReclaimOutcome, IpamError> => {
  const ref = {
    kind: KIND_SPIDER_ENDPOINT,
    namespace: seen.metadata.namespace ?? '',
    name: seen.metadata.name,
  };
  const rv = seen.metadata.resourceVersion;
  const soft = (e: StoreError): ResultAsync<EndpointReclaimOutcome, IpamError> => {
    if (e._tag === 'NotFound') return okAsync('absent');
    if (e._tag === 'Conflict') return okAsync('changed');
    return errAsync(storeFailed(e));
  };
  return store
    .delete<SpiderEndpoint>(ref, rv === undefined ? {} : { preconditions: { resourceVersion: rv } })
    .map((res): DeleteResult<SpiderEndpoint> | EndpointReclaimOutcome => res)
    .orElse(soft)
    .andThen((res): ResultAsync<EndpointReclaimOutcome, IpamError> => {
      if (typeof res === 'string') return okAsync(res);
      if (res.deleted) return okAsync('deleted');
      const stripped = withoutOurFinalizer(res.object);
      // Someone else's finalizer keeps it: marked for deletion is all we can do.
      if (stripped === undefined) return okAsync('deleted');
      return store
        .update(stripped)
        .map((): EndpointReclaimOutcome => 'deleted')
        .orElse(soft);
    });
};
