// Which workload a Pod belongs to (§3.6 step 2, `podmanager.GetPodTopController`) and whether it is alive
// (§3.6 step 1, `podmanager.IsPodAlive`). Spiderpool GETs the ReplicaSet / Job to climb to the Deployment /
// CronJob; this module is pure, so the caller passes what it knows through a synchronous `lookup`, and when the
// owner object is unknown the name is derived from the Pod (see docs/adr/0005-pool-selection-order.md):
// - ReplicaSet `<deploy>-<hash>` with the Pod label `pod-template-hash: <hash>` -> Deployment `<deploy>`;
// - Job `<cronjob>-<minutes>` with a numeric suffix of 8+ digits (the CronJob's scheduled time in minutes
//   since the epoch) -> CronJob `<cronjob>`.
import type { KubeObject, OwnerReference, Pod } from '../api/index.ts';
import {
  KIND_CRON_JOB,
  KIND_DAEMON_SET,
  KIND_DEPLOYMENT,
  KIND_JOB,
  KIND_POD,
  KIND_REPLICA_SET,
  KIND_STATEFUL_SET,
} from '../api/index.ts';

/** The apiVersions Spiderpool treats as Kubernetes-native (`constant.K8sAPIVersions`). */
export const K8S_API_VERSIONS: readonly string[] = ['v1', 'apps/v1', 'batch/v1'];
/** The kinds Spiderpool treats as Kubernetes-native (`constant.K8sKinds`). */
export const K8S_KINDS: readonly string[] = [
  KIND_POD,
  KIND_DEPLOYMENT,
  KIND_REPLICA_SET,
  KIND_DAEMON_SET,
  KIND_STATEFUL_SET,
  KIND_JOB,
  KIND_CRON_JOB,
];

/** How the top controller was determined. */
export type TopControllerSource = 'pod' | 'ownerReference' | 'lookup' | 'nameSuffix';

/** The Pod's top controller (`types.PodTopController` without the object). */
export interface TopController {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  /** Absent when the controller was derived from a name and its object was not known. */
  uid?: string;
  source: TopControllerSource;
}

/** Known owner objects by kind, namespace and name; `undefined` when not known. */
export type OwnerLookup = (kind: string, namespace: string, name: string) => KubeObject | undefined;

/** A lookup over a list of objects (ReplicaSets, Jobs, ...), keyed by kind/namespace/name. */
export const ownerLookupFromObjects = (objects: readonly KubeObject[]): OwnerLookup => {
  const byKey = new Map<string, KubeObject>();
  for (const o of objects) byKey.set(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o);
  return (kind, namespace, name) => byKey.get(`${kind}/${namespace}/${name}`);
};

/** metav1.GetControllerOf: the first ownerReference with `controller: true`. */
export const controllerOf = (obj: { metadata: KubeObject['metadata'] }): OwnerReference | undefined =>
  obj.metadata.ownerReferences?.find((r) => r.controller === true);

const POD_TEMPLATE_HASH = 'pod-template-hash';
const CRON_SUFFIX = /^(.+)-(\d{8,})$/;

const fromRef = (ref: OwnerReference, namespace: string, source: TopControllerSource): TopController => ({
  apiVersion: ref.apiVersion,
  kind: ref.kind,
  namespace,
  name: ref.name,
  uid: ref.uid,
  source,
});

/** Climb one level (RS -> Deployment, Job -> CronJob) when `parentKind` owns `child`. */
const climb = (
  child: KubeObject,
  parent: { apiVersion: string; kind: string },
  namespace: string,
): TopController | undefined => {
  const ref = controllerOf(child);
  if (ref === undefined || ref.apiVersion !== parent.apiVersion || ref.kind !== parent.kind) return undefined;
  return fromRef(ref, namespace, 'lookup');
};

const derived = (apiVersion: string, kind: string, namespace: string, name: string): TopController => ({
  apiVersion,
  kind,
  namespace,
  name,
  source: 'nameSuffix',
});

const replicaSetTop = (pod: Pod, ref: OwnerReference, ns: string, lookup?: OwnerLookup): TopController => {
  const rs = lookup?.(KIND_REPLICA_SET, ns, ref.name);
  if (rs !== undefined) {
    return climb(rs, { apiVersion: 'apps/v1', kind: KIND_DEPLOYMENT }, ns) ?? fromRef(ref, ns, 'lookup');
  }
  const hash = pod.metadata.labels?.[POD_TEMPLATE_HASH];
  if (hash !== undefined && hash !== '' && ref.name.endsWith(`-${hash}`)) {
    const name = ref.name.slice(0, ref.name.length - hash.length - 1);
    if (name !== '') return derived('apps/v1', KIND_DEPLOYMENT, ns, name);
  }
  return fromRef(ref, ns, 'ownerReference');
};

const jobTop = (ref: OwnerReference, ns: string, lookup?: OwnerLookup): TopController => {
  const job = lookup?.(KIND_JOB, ns, ref.name);
  if (job !== undefined) {
    return climb(job, { apiVersion: 'batch/v1', kind: KIND_CRON_JOB }, ns) ?? fromRef(ref, ns, 'lookup');
  }
  const m = CRON_SUFFIX.exec(ref.name);
  if (m?.[1] !== undefined) return derived('batch/v1', KIND_CRON_JOB, ns, m[1]);
  return fromRef(ref, ns, 'ownerReference');
};

/**
 * The Pod's top controller: the Pod itself without a controller reference; third-party controllers (any
 * apiVersion other than v1, apps/v1, batch/v1, e.g. KubeVirt's VirtualMachineInstance) as referenced;
 * ReplicaSet -> Deployment and Job -> CronJob through `lookup` or the name rules above; DaemonSet,
 * StatefulSet and unknown native kinds as referenced.
 */
export const topController = (pod: Pod, lookup?: OwnerLookup): TopController => {
  const ns = pod.metadata.namespace ?? '';
  const ref = controllerOf(pod);
  if (ref === undefined) {
    const self: TopController = {
      apiVersion: 'v1',
      kind: KIND_POD,
      namespace: ns,
      name: pod.metadata.name,
      source: 'pod',
    };
    if (pod.metadata.uid !== undefined) self.uid = pod.metadata.uid;
    return self;
  }
  if (!K8S_API_VERSIONS.includes(ref.apiVersion)) return fromRef(ref, ns, 'ownerReference');
  if (ref.kind === KIND_REPLICA_SET && ref.apiVersion === 'apps/v1')
    return replicaSetTop(pod, ref, ns, lookup);
  if (ref.kind === KIND_JOB && ref.apiVersion === 'batch/v1') return jobTop(ref, ns, lookup);
  return fromRef(ref, ns, 'ownerReference');
};

/** Why a Pod is not alive (`podmanager.IsPodAlive` rules), or undefined when it is. */
export const podNotAliveReason = (pod: Pod): string | undefined => {
  if (pod.metadata.deletionTimestamp !== undefined) return 'terminating';
  const phase = pod.status?.phase;
  const restart = pod.spec?.restartPolicy ?? 'Always';
  if (phase === 'Succeeded' && restart !== 'Always') return `Succeeded with restartPolicy ${restart}`;
  if (phase === 'Failed' && restart === 'Never') return 'Failed with restartPolicy Never';
  if (phase === 'Failed' && pod.status?.reason === 'Evicted') return 'Evicted';
  return undefined;
};

/** `podmanager.IsPodAlive`: not terminating, not finished for good, not evicted. */
export const isPodAlive = (pod: Pod): boolean => podNotAliveReason(pod) === undefined;
