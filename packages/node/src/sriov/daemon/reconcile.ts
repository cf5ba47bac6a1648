// One reconcile pass of the daemon: read Node labels and policies, discover the PFs, render the node spec
// (core's renderNodeSpec, the operator's merge), plan, and when something must change: syncStatus
// InProgress, drain the Pods using VFs about to be re-created (cordon, Eviction API, PDBs respected),
// write sriov_numvfs and MTUs, uncordon, then Succeeded with the rediscovered interfaces — or Failed with
// lastSyncError. Policies refused (here or by the node: numVfs > totalvfs) change nothing on the host and
// make the pass Failed with the reason.
import {
  type EvictionBlocked,
  KIND_SRIOV_NODE_POLICY,
  type KubeObject,
  type RefusedPolicy,
  renderNodeSpec,
  type SriovBlockedEviction,
  type SriovInterfaceExt,
  type SriovNetworkNodePolicy,
  type SriovNetworkNodeStateStatus,
  type SriovSpecInterface,
  type SriovSyncStatus,
} from '@spiderpool-ts/core';
import { okAsync, ResultAsync } from 'neverthrow';
import { admitPolicies } from './admitPolicies.ts';
import { applyNumVfsAndPfMtu, applyVfMtus } from './applyHost.ts';
import { setUnschedulable } from './cordon.ts';
import { withDeadline } from './deadline.ts';
import { drainPods } from './drain.ts';
import { type DaemonError, hostFailed, storeFailed } from './errors.ts';
import { readNodeInterfaces } from './nodeStatus.ts';
import type { ResolvedOptions } from './options.ts';
import { type PfChange, planChanges } from './plan.ts';
import { type PodUse, podsUsingResources } from './podUsage.ts';
import { readState, type StateRef, writeState } from './stateWriter.ts';

export interface ReconcileOutcome {
  syncStatus: SriovSyncStatus;
  lastSyncError?: string;
  /** PFs changed on the host in this pass. */
  changes: PfChange[];
  /** Pods evicted before the change. */
  evicted: PodUse[];
  refused: RefusedPolicy[];
}

const blockedEntries = (b: readonly EvictionBlocked[]): SriovBlockedEviction[] =>
  b.map((x) => ({ pod: x.pod, namespace: x.namespace, reason: x.reason }));

const refusalText = (r: readonly RefusedPolicy[]): string =>
  r.map((x) => `policy ${x.policy}${x.pciAddress ? ` on ${x.pciAddress}` : ''}: ${x.message}`).join('; ');

const status = (
  interfaces: SriovInterfaceExt[],
  syncStatus: SriovSyncStatus,
  lastSyncError: string | undefined,
  blocked: SriovBlockedEviction[] = [],
): SriovNetworkNodeStateStatus => ({
  interfaces,
  syncStatus,
  ...(lastSyncError ? { lastSyncError } : {}),
  ...(blocked.length > 0 ? { blockedEvictions: blocked } : {}),
});

interface Reads {
  labels: Record<string, string>;
  policies: SriovNetworkNodePolicy[];
  pods: KubeObject[];
  previous: SriovSpecInterface[];
}

const reads = (o: ResolvedOptions, s: StateRef): ResultAsync<Reads, DaemonError> =>
  o.store
    .get({ kind: 'Node', name: o.nodeName })
    .mapErr((e) => storeFailed(`read node ${o.nodeName}`, e))
    .andThen((node) =>
      o.store
        .list<SriovNetworkNodePolicy>(KIND_SRIOV_NODE_POLICY, { namespace: o.namespace })
        .mapErr((e) => storeFailed('list SriovNetworkNodePolicies', e))
        .andThen((policies) =>
          readState(s)
            .mapErr((e) => storeFailed('read SriovNetworkNodeState', e))
            .map((state) => ({
              labels: node.metadata.labels ?? {},
              policies: policies.items,
              pods: [] as KubeObject[],
              previous: state?.spec?.interfaces ?? [],
            })),
        ),
    );

const listPods = (o: ResolvedOptions): ResultAsync<KubeObject[], DaemonError> =>
  o.store
    .list('Pod')
    .map((l) => l.items)
    .mapErr((e) => storeFailed('list pods', e));

const run = async (o: ResolvedOptions): Promise<ReconcileOutcome> => {
  const s: StateRef = { store: o.store, namespace: o.namespace, nodeName: o.nodeName };
  const failed = async (
    e: DaemonError | string,
    interfaces: SriovInterfaceExt[],
    extra: Partial<ReconcileOutcome> = {},
    blocked: SriovBlockedEviction[] = [],
  ): Promise<ReconcileOutcome> => {
    const msg = typeof e === 'string' ? e : e.message;
    await writeState(s, undefined, status(interfaces, 'Failed', msg, blocked));
    return { syncStatus: 'Failed', lastSyncError: msg, changes: [], evicted: [], refused: [], ...extra };
  };
  const r = await reads(o, s);
  if (r.isErr()) return failed(r.error, []);
  const found = await readNodeInterfaces(o.sysfsRoot);
  if (found.isErr()) return failed(hostFailed('discover SR-IOV devices', found.error), []);
  const appliedNames = new Set(r.value.previous.flatMap((i) => (i.vfGroups ?? []).map((g) => g.policyName)));
  const { admitted, refused } = admitPolicies(r.value.policies, o.nodeName, r.value.labels, appliedNames);
  const rendered = renderNodeSpec(admitted, r.value.labels, found.value.interfaces);
  const allRefused = [...refused, ...rendered.refused];
  const refusal = allRefused.length > 0 ? refusalText(allRefused) : undefined;
  const spec = { interfaces: rendered.interfaces };
  const plan = planChanges(rendered.interfaces, r.value.previous, found.value.interfaces);
  const done = async (
    interfaces: SriovInterfaceExt[],
    extra: Partial<ReconcileOutcome>,
  ): Promise<ReconcileOutcome> => {
    const syncStatus: SriovSyncStatus = refusal ? 'Failed' : 'Succeeded';
    const w = await writeState(s, spec, status(interfaces, syncStatus, refusal));
    if (w.isErr())
      return {
        syncStatus: 'Failed',
        lastSyncError: w.error.message,
        changes: [],
        evicted: [],
        refused: allRefused,
      };
    return {
      syncStatus,
      ...(refusal ? { lastSyncError: refusal } : {}),
      changes: [],
      evicted: [],
      refused: allRefused,
      ...extra,
    };
  };
  if (plan.changes.length === 0) return done(found.value.interfaces, {});

  const inProgress = await writeState(s, spec, status(found.value.interfaces, 'InProgress', refusal));
  if (inProgress.isErr())
    return failed(storeFailed('write SriovNetworkNodeState', inProgress.error), found.value.interfaces);

  // Pods using VFs of PFs whose VF count changes (the VFs are destroyed and re-created).
  const disrupted = plan.changes.filter((c) => c.currentNumVfs > 0 && c.numVfs !== c.currentNumVfs);
  const resources = [
    ...new Set(
      disrupted.flatMap((c) => [
        ...c.resourcesBefore,
        ...(rendered.interfaces.find((i) => i.pciAddress === c.pciAddress)?.vfGroups ?? []).map(
          (g) => g.resourceName,
        ),
      ]),
    ),
  ];
  let evicted: PodUse[] = [];
  let cordoned = false;
  if (disrupted.length > 0) {
    const pods = await listPods(o);
    if (pods.isErr()) return failed(pods.error, found.value.interfaces);
    evicted = podsUsingResources(pods.value, o.nodeName, resources);
  }
  if (evicted.length > 0) {
    const c = await setUnschedulable(o.store, o.nodeName, true);
    if (c.isErr()) return failed(storeFailed(`cordon node ${o.nodeName}`, c.error), found.value.interfaces);
    cordoned = c.value;
    let lastBlocked: EvictionBlocked[] = [];
    const drained = await drainPods({
      store: o.store,
      evictor: o.evictor,
      nodeName: o.nodeName,
      pods: evicted,
      timeoutMs: o.drainTimeoutMs,
      retryMs: o.drainRetryMs,
      now: o.now,
      onBlocked: async (blocked) => {
        lastBlocked = blocked;
        if (blocked.length > 0)
          await writeState(
            s,
            spec,
            status(found.value.interfaces, 'InProgress', refusal, blockedEntries(blocked)),
          );
      },
    });
    if (drained.isErr()) {
      // Not left SchedulingDisabled while nothing changes (operator #718): uncordon, retry on the next pass.
      if (cordoned) await setUnschedulable(o.store, o.nodeName, false);
      return failed(drained.error, found.value.interfaces, { evicted: [] }, blockedEntries(lastBlocked));
    }
  }
  const writer = { sysfsRoot: o.sysfsRoot, writeAttr: o.writeAttr, writeTimeoutMs: o.writeTimeoutMs };
  const applied = await applyNumVfsAndPfMtu(writer, plan.changes)
    .andThen(() => readNodeInterfaces(o.sysfsRoot).mapErr((e) => hostFailed('rediscover SR-IOV devices', e)))
    .andThen((after) => applyVfMtus(writer, plan.changes, after.interfaces))
    .andThen(() => readNodeInterfaces(o.sysfsRoot).mapErr((e) => hostFailed('rediscover SR-IOV devices', e)));
  if (cordoned) {
    const u = await setUnschedulable(o.store, o.nodeName, false);
    if (u.isErr()) return failed(storeFailed(`uncordon node ${o.nodeName}`, u.error), found.value.interfaces);
  }
  if (applied.isErr()) return failed(applied.error, found.value.interfaces, { evicted });
  return done(applied.value.interfaces, { changes: plan.changes, evicted });
};

/** One pass under the pass deadline; a failure is the outcome `Failed` (written to the node state). */
export const reconcileOnce = (o: ResolvedOptions): ResultAsync<ReconcileOutcome, DaemonError> =>
  withDeadline(
    ResultAsync.fromSafePromise<ReconcileOutcome, DaemonError>(run(o)),
    o.passTimeoutMs,
    'reconcile pass',
  ).orElse((e) => {
    const outcome: ReconcileOutcome = {
      syncStatus: 'Failed',
      lastSyncError: e.message,
      changes: [],
      evicted: [],
      refused: [],
    };
    const ref = { store: o.store, namespace: o.namespace, nodeName: o.nodeName };
    return writeState(ref, undefined, { syncStatus: 'Failed', lastSyncError: e.message })
      .map(() => outcome)
      .orElse(() => okAsync(outcome));
  });
