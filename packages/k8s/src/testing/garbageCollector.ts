// Background garbage collection of ownerReference dependents, as kube-controller-manager's garbage
// collector does it for `propagationPolicy: Background` (the default): when an object goes, every object
// listing its uid among its ownerReferences is deleted, unless another of its owners still exists (then only
// the dangling reference is removed). Orphan and Foreground propagation are not emulated.
import type { KubeObject, OwnerReference, Store, WatchHandle } from '@spiderpool-ts/core';
import type { EmulatorContext } from './requestContext.ts';

export interface GarbageCollector {
  close(): void;
  /** Resolves when the collections started so far are done (for tests). */
  idle(): Promise<void>;
}

const ownerExists = async (store: Store, dependent: KubeObject, ref: OwnerReference): Promise<boolean> => {
  const info = store.kinds.lookup(ref.kind);
  if (info.isErr()) return false;
  const ns = info.value.namespaced ? dependent.metadata.namespace : undefined;
  const got = await store.get({ kind: ref.kind, name: ref.name, ...(ns ? { namespace: ns } : {}) });
  return got.isOk() && got.value.metadata.uid === ref.uid;
};

const collect = async (store: Store, owner: KubeObject): Promise<void> => {
  const uid = owner.metadata.uid;
  if (!uid) return;
  for (const info of store.kinds.kinds) {
    const listed = await store.list(info.kind);
    if (listed.isErr()) continue;
    for (const d of listed.value.items) {
      const refs = d.metadata.ownerReferences ?? [];
      if (!refs.some((r) => r.uid === uid)) continue;
      const others = refs.filter((r) => r.uid !== uid);
      const alive = await Promise.all(others.map((r) => ownerExists(store, d, r)));
      const ref = {
        kind: info.kind,
        name: d.metadata.name,
        ...(d.metadata.namespace ? { namespace: d.metadata.namespace } : {}),
      };
      if (alive.some((a) => a)) {
        await store.update({ ...d, metadata: { ...d.metadata, ownerReferences: others } });
      } else {
        await store.delete(ref, { preconditions: { uid: d.metadata.uid ?? '' } });
      }
    }
  }
};

export const startGarbageCollector = async (ctx: EmulatorContext): Promise<GarbageCollector> => {
  const store = ctx.store;
  const handles: WatchHandle[] = [];
  let pending: Promise<void> = Promise.resolve();
  let closed = false;
  const watchKind = async (kind: string): Promise<void> => {
    if (closed) return;
    const listed = await store.list(kind);
    if (listed.isErr()) return;
    const started = await store.watch(kind, { resourceVersion: listed.value.resourceVersion }, (e) => {
      if (e.type === 'DELETED') pending = pending.then(() => collect(store, e.object));
      else if (e.type === 'ERROR') void watchKind(kind); // history compacted: start again from now
    });
    if (started.isOk()) handles.push(started.value);
  };
  for (const info of store.kinds.kinds) await watchKind(info.kind);
  return {
    close: () => {
      closed = true;
      for (const h of handles) h.close();
    },
    idle: () => pending,
  };
};
