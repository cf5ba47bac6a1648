// Writing the node's SriovNetworkNodeState (name = node name, in the operator's namespace): the spec the
// daemon rendered and the status it observed, each with compare-and-swap and a bounded retry on Conflict.
// The object is created on first use.
import {
  KIND_SRIOV_NODE_STATE,
  SRIOV_GROUP_VERSION,
  type SriovNetworkNodeState,
  type SriovNetworkNodeStateSpec,
  type SriovNetworkNodeStateStatus,
  type Store,
  type StoreError,
} from '@spiderpool-ts/core';
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';

const ATTEMPTS = 5;

export interface StateRef {
  store: Store;
  namespace: string;
  nodeName: string;
}

const ref = (s: StateRef) => ({ kind: KIND_SRIOV_NODE_STATE, namespace: s.namespace, name: s.nodeName });

/** The stored state, or undefined when there is none yet. */
export const readState = (s: StateRef): ResultAsync<SriovNetworkNodeState | undefined, StoreError> =>
  s.store
    .get<SriovNetworkNodeState>(ref(s))
    .map((x): SriovNetworkNodeState | undefined => x)
    .orElse((e) => (e._tag === 'NotFound' ? okAsync(undefined) : errAsync(e)));

const ensure = (s: StateRef): ResultAsync<SriovNetworkNodeState, StoreError> =>
  readState(s).andThen((cur) =>
    cur
      ? okAsync(cur)
      : s.store
          .create<SriovNetworkNodeState>({
            apiVersion: SRIOV_GROUP_VERSION,
            kind: KIND_SRIOV_NODE_STATE,
            metadata: { name: s.nodeName, namespace: s.namespace },
            spec: {},
          })
          .orElse((e) =>
            e._tag === 'AlreadyExists' ? s.store.get<SriovNetworkNodeState>(ref(s)) : errAsync(e),
          ),
  );

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});

/** Sets spec (when it differs) and replaces status; returns the stored object. */
export const writeState = (
  s: StateRef,
  spec: SriovNetworkNodeStateSpec | undefined,
  status: SriovNetworkNodeStateStatus,
): ResultAsync<SriovNetworkNodeState, StoreError> => {
  const attempt = (left: number): ResultAsync<SriovNetworkNodeState, StoreError> =>
    ensure(s)
      .andThen((cur) =>
        spec === undefined || same(cur.spec, spec) ? okAsync(cur) : s.store.update({ ...cur, spec }),
      )
      .andThen((cur) => (same(cur.status, status) ? okAsync(cur) : s.store.updateStatus({ ...cur, status })))
      .orElse((e) => (e._tag === 'Conflict' && left > 1 ? attempt(left - 1) : errAsync(e)));
  return attempt(ATTEMPTS);
};
