// Cordon / uncordon: `spec.unschedulable` of the Node, written with compare-and-swap (read, set, update
// with the read resourceVersion; a Conflict re-reads, a bounded number of times).
import type { KubeObject, Store, StoreError } from '@spiderpool-ts/core';
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';

interface NodeWithSpec extends KubeObject {
  spec?: { unschedulable?: boolean } & Record<string, unknown>;
}

const ATTEMPTS = 5;

export const setUnschedulable = (
  store: Store,
  nodeName: string,
  unschedulable: boolean,
): ResultAsync<boolean, StoreError> => {
  const attempt = (left: number): ResultAsync<boolean, StoreError> =>
    store.get<NodeWithSpec>({ kind: 'Node', name: nodeName }).andThen((node) => {
      if ((node.spec?.unschedulable ?? false) === unschedulable) return okAsync(false);
      const spec = { ...(node.spec ?? {}) };
      if (unschedulable) spec.unschedulable = true;
      else delete spec.unschedulable;
      return store
        .update<NodeWithSpec>({ ...node, spec })
        .map(() => true)
        .orElse((e) => (e._tag === 'Conflict' && left > 1 ? attempt(left - 1) : errAsync(e)));
    });
  return attempt(ATTEMPTS);
};
