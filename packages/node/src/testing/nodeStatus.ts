// The kubelet stand-in's Node status writer: `status.capacity[res]` = every device the plugin lists,
// `status.allocatable[res]` = the healthy ones (kubelet's rule), as quantity strings ("8"). Writes are
// serialized and go through compare-and-swap (modifyObject); a missing Node is created first, as a
// kubelet registers its node.
import { type KubeObject, modifyObject, type Store } from '@spiderpool-ts/core';
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { type KubeletError, storeWriteFailed } from './kubeletErrors.ts';

export interface ResourceCounts {
  capacity: number;
  allocatable: number;
}

interface NodeWithStatus extends KubeObject {
  status?: { capacity?: Record<string, string>; allocatable?: Record<string, string> } & Record<
    string,
    unknown
  >;
}

const write = (
  store: Store,
  nodeName: string,
  counts: Map<string, ResourceCounts>,
): ResultAsync<void, KubeletError> => {
  const ref = { kind: 'Node', name: nodeName };
  const ensure = store
    .get(ref)
    .map(() => undefined)
    .orElse((e) =>
      e._tag === 'NotFound'
        ? store
            .create({ apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName } })
            .map(() => undefined)
            .orElse((c) => (c._tag === 'AlreadyExists' ? okAsync(undefined) : errAsync(c)))
        : errAsync(e),
    );
  return ensure
    .andThen(() =>
      modifyObject<NodeWithStatus>(
        store,
        ref,
        (node) => {
          const capacity = { ...(node.status?.capacity ?? {}) };
          const allocatable = { ...(node.status?.allocatable ?? {}) };
          let changed = false;
          for (const [res, c] of counts) {
            if (capacity[res] !== String(c.capacity) || allocatable[res] !== String(c.allocatable))
              changed = true;
            capacity[res] = String(c.capacity);
            allocatable[res] = String(c.allocatable);
          }
          return changed ? { ...node, status: { ...(node.status ?? {}), capacity, allocatable } } : undefined;
        },
        { status: true },
      ),
    )
    .map(() => undefined)
    .mapErr((e) => storeWriteFailed(e.message));
};

export interface NodeStatusWriter {
  /** Queues a write of these counts; resolves when it (and every earlier one) is done. */
  publish(counts: Map<string, ResourceCounts>): Promise<void>;
  /** Resolves when every queued write is done. */
  idle(): Promise<void>;
}

export const nodeStatusWriter = (
  store: Store,
  nodeName: string,
  onError: (e: KubeletError) => void,
): NodeStatusWriter => {
  let chain: Promise<void> = Promise.resolve();
  return {
    publish: (counts) => {
      const snapshot = new Map(counts);
      chain = chain.then(async () => {
        const r = await write(store, nodeName, snapshot);
        if (r.isErr()) onError(r.error);
      });
      return chain;
    },
    idle: () => chain,
  };
};
