// Fencing: a Store whose writes are refused unless the fence says this process may write (it holds the
// lease). Every controller that writes through it stops writing the moment leadership is lost, without
// knowing about leases. Reads and watches pass through. The refusal is `Unavailable` with reason
// `NotLeader`, so callers handle it as any failed write (nothing half-written: the write never starts).
import { errAsync, type ResultAsync } from 'neverthrow';
import type { KubeObject } from '../api/meta.ts';
import { type StoreError, unavailable } from '../store/errors.ts';
import type { DeleteResult, ObjectRef, Store } from '../store/port.ts';

export const NOT_LEADER = 'NotLeader';

/** Checked before every write; true = this process holds the lease now. */
export type WriteFence = () => boolean;

const refused = (kind: string, name: string | undefined, namespace: string | undefined): StoreError =>
  unavailable(
    { kind, ...(name === undefined ? {} : { name }), ...(namespace ? { namespace } : {}) },
    NOT_LEADER,
  );

const refuseObject = <T>(o: KubeObject): ResultAsync<T, StoreError> =>
  errAsync(refused(o.kind, o.metadata.name, o.metadata.namespace));

/** `store` with every create/update/updateStatus/delete checked against `fence` first. */
export const fencedStore = (store: Store, fence: WriteFence): Store => ({
  kinds: store.kinds,
  get: (ref) => store.get(ref),
  list: (kind, options) => store.list(kind, options),
  watch: (kind, options, listener) => store.watch(kind, options, listener),
  create: (o) => (fence() ? store.create(o) : refuseObject(o)),
  update: (o) => (fence() ? store.update(o) : refuseObject(o)),
  updateStatus: (o) => (fence() ? store.updateStatus(o) : refuseObject(o)),
  delete: <T extends KubeObject = KubeObject>(ref: ObjectRef, options?: Parameters<Store['delete']>[1]) =>
    fence()
      ? store.delete<T>(ref, options)
      : errAsync<DeleteResult<T>, StoreError>(refused(ref.kind, ref.name, ref.namespace)),
});

/** Whether an error is the fence's refusal. */
export const isNotLeader = (e: StoreError): boolean => e._tag === 'Unavailable' && e.reason === NOT_LEADER;
