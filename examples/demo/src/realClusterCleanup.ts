// After a run on a real cluster: remove what the demo created, newest first. The SpiderEndpoints the agents
// wrote for the demo's Pods and the pools carry Spiderpool's finalizer (no Spiderpool controller runs to lift
// it), so finalizers of the demo's own objects are removed before deleting them.
import type { KubeObject, ObjectRef, SpiderEndpoint } from '@spiderpool-ts/core';
import type { Cluster } from './cluster.ts';
import type { Printer } from './printer.ts';

const key = (r: ObjectRef): string => `${r.kind}/${r.namespace ?? ''}/${r.name}`;

/** Lifts the finalizers (if any) and deletes; a message when that failed. */
const remove = async (cluster: Cluster, ref: ObjectRef): Promise<string | undefined> => {
  if (ref.kind === 'Pod') return cluster.deletePod(ref);
  const cur = await cluster.store.get<KubeObject>(ref);
  if (cur.isErr()) return cur.error._tag === 'NotFound' ? undefined : cur.error.message;
  if ((cur.value.metadata.finalizers?.length ?? 0) > 0) {
    const lifted = await cluster.store.update({
      ...cur.value,
      metadata: { ...cur.value.metadata, finalizers: [] },
    });
    if (lifted.isErr() && lifted.error._tag !== 'NotFound') return lifted.error.message;
  }
  const d = await cluster.store.delete(ref);
  return d.isErr() && d.error._tag !== 'NotFound' ? d.error.message : undefined;
};

export const cleanupCreated = async (p: Printer, cluster: Cluster): Promise<void> => {
  p.step('cleanup: delete what the demo created on the cluster');
  const pods = new Set(cluster.created.filter((r) => r.kind === 'Pod').map(key));
  const namespaces = [...new Set(cluster.created.flatMap((r) => (r.kind === 'Pod' ? [r.namespace] : [])))];
  const endpoints: ObjectRef[] = [];
  for (const namespace of namespaces) {
    const r = await cluster.store.list<SpiderEndpoint>('SpiderEndpoint', namespace ? { namespace } : {});
    if (r.isErr()) continue;
    for (const e of r.value.items) {
      const ref = { kind: 'SpiderEndpoint', namespace: e.metadata.namespace ?? '', name: e.metadata.name };
      if (pods.has(key({ ...ref, kind: 'Pod' }))) endpoints.push(ref);
    }
  }
  const order = [...endpoints, ...[...cluster.created].reverse()];
  let failed = 0;
  for (const ref of order) {
    const err = await remove(cluster, ref);
    if (err !== undefined) {
      failed++;
      p.info(`could not delete ${key(ref)}: ${err}`);
    }
  }
  p.ok(
    `removed ${order.length - failed} of ${order.length} objects (endpoints, pods, pools, NAD, nodes, ...)`,
  );
};
