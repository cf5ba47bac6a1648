// `--store=k8s --real-cluster`: the walkthrough against the cluster of KUBECONFIG through KubernetesStore.
// Needs: Spiderpool's CRDs (`kubectl apply -f packages/k8s/crds/`) and Multus' NetworkAttachmentDefinition
// CRD; no Spiderpool installed (its controllers and webhooks would act on the same objects); rights to
// create Nodes, Namespaces, Pods (+ status), NADs and the Spiderpool kinds. The demo never installs CRDs
// (a cluster-wide decision, and removing them would delete others' objects); it checks for them and stops.
// Real controllers must not fight the demo's stand-ins: the Deployment/ReplicaSet bookkeeping objects are
// not created and Pods carry no ownerReference (the garbage collector deletes Pods with a missing owner, a
// live ReplicaSet controller would replace or delete them); Pods get a pause container. See the cleanup.
import type { KubeObject, ObjectRef, Pod, Store } from '@spiderpool-ts/core';
import { createKubernetesStore } from '@spiderpool-ts/k8s';
import { type ClusterAdapter, createCluster } from './cluster.ts';
import type { Printer } from './printer.ts';
import { cleanupCreated } from './realClusterCleanup.ts';
import type { DemoTarget } from './target.ts';

/** Pods on the demo's made-up nodes have no kubelet to confirm a graceful delete: end them first. */
const terminateThenDelete = async (store: Store, ref: ObjectRef): Promise<string | undefined> => {
  const cur = await store.get<Pod>(ref);
  if (cur.isErr()) return cur.error._tag === 'NotFound' ? undefined : cur.error.message;
  await store.updateStatus<Pod>({ ...cur.value, status: { ...cur.value.status, phase: 'Failed' } });
  const d = await store.delete(ref);
  if (d.isErr()) return d.error._tag === 'NotFound' ? undefined : d.error.message;
  return d.value.deleted ? undefined : `pod ${ref.namespace}/${ref.name} is still terminating`;
};

export const realClusterAdapter: ClusterAdapter = {
  prepare: (obj) => {
    if (obj.kind === 'Deployment' || obj.kind === 'ReplicaSet') return undefined;
    if (obj.kind !== 'Pod') return obj;
    const { ownerReferences: _owners, ...metadata } = obj.metadata;
    const spec = (obj as Pod).spec ?? {};
    return {
      ...obj,
      metadata,
      spec: { ...spec, containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10' }] },
    } as KubeObject;
  },
  deletePod: terminateThenDelete,
  retryCreate: (message) => /serviceaccount/i.test(message),
};

/** Stops (with the reason printed) unless the cluster serves what the demo needs and is not in use by it. */
const preflight = async (p: Printer, store: Store): Promise<boolean> => {
  const need: [string, string][] = [
    ['SpiderIPPool', 'Spiderpool CRDs missing: kubectl apply -f packages/k8s/crds/'],
    [
      'NetworkAttachmentDefinition',
      "Multus' NetworkAttachmentDefinition CRD missing (install Multus or its CRD)",
    ],
  ];
  for (const [kind, hint] of need) {
    const r = await store.list(kind);
    if (r.isErr()) return p.fail(r.error._tag === 'Invalid' ? hint : `${kind}: ${r.error.message}`);
  }
  const taken: ObjectRef[] = [
    { kind: 'SpiderCoordinator', name: 'default' },
    { kind: 'SpiderIPPool', name: 'ippool-test' },
    { kind: 'SpiderIPPool', name: 'storm-pool' },
  ];
  for (const ref of taken) {
    const r = await store.get(ref);
    if (r.isOk()) return p.fail(`${ref.kind} ${ref.name} exists: a Spiderpool or an earlier run is there`);
  }
  p.ok('cluster serves the Spiderpool and NAD CRDs; no SpiderCoordinator default, no demo pools');
  return true;
};

/** The target, or null after printing why the cluster cannot host the demo. */
export const openRealCluster = async (p: Printer, kubeconfig: string): Promise<DemoTarget | null> => {
  p.step(`preflight on the cluster of ${kubeconfig}`);
  // A file that is missing, unreadable or has no current context is an Err: a message, not a stack trace.
  const opened = createKubernetesStore({ kubeConfig: kubeconfig });
  if (opened.isErr()) {
    p.fail(opened.error.message);
    return null;
  }
  const store: Store = opened.value;
  if (!(await preflight(p, store))) return null;
  const cluster = createCluster({
    store,
    label: 'KubernetesStore -> a real cluster',
    remote: true,
    settleMs: 500,
    adapter: realClusterAdapter,
  });
  return {
    cluster,
    kubectl: { kubeconfig, args: ['--namespace', 'default'] },
    close: (printer) => cleanupCreated(printer, cluster),
  };
};
