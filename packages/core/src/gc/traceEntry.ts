// The trace path (reference §3.8 A, Spiderpool's Pod tracer) as pure functions: which Pod changes start a
// trace, and when the traced Pod's IPs fall due. Stateless Pods only: static (StatefulSet / KubeVirt) Pods
// keep their IPs across re-creation and are decided by the scan-all pass, which knows their validity.
//   deleted                  -> due now + additionalGraceDelay
//   terminating              -> due deletionTimestamp + deletionGracePeriodSeconds + delay
//   finished (Succeeded, or Failed: terminal phases, no container will restart, e.g. Job Pods)
//                            -> due last container finishedAt + terminationGracePeriodSeconds + delay
import type { Pod } from '../api/index.ts';
import { graceEnd, podPhase, staticOwnerKind } from './podFacts.ts';
import type { GcSettings } from './settings.ts';

export type TraceReason = 'PodDeleted' | 'PodTerminating' | 'PodSucceeded' | 'PodFailed';

export interface TraceEntry {
  /** `namespace/name`. */
  key: string;
  podUid: string;
  nodeName: string | undefined;
  due: Date;
  reason: TraceReason;
}

/** The kubelet's default when a Pod spec omits terminationGracePeriodSeconds. */
export const DEFAULT_TERMINATION_GRACE_SECONDS = 30;

interface ContainerStatusLike {
  state?: { terminated?: { finishedAt?: unknown } };
}

/** Latest `state.terminated.finishedAt` over the Pod's container statuses (read defensively), if any. */
export const lastFinishedAt = (pod: Pod): number | undefined => {
  const statuses = (pod.status as { containerStatuses?: unknown } | undefined)?.containerStatuses;
  if (!Array.isArray(statuses)) return undefined;
  let last: number | undefined;
  for (const s of statuses as ContainerStatusLike[]) {
    const at = s?.state?.terminated?.finishedAt;
    if (typeof at !== 'string') continue;
    const t = Date.parse(at);
    if (!Number.isNaN(t) && (last === undefined || t > last)) last = t;
  }
  return last;
};

/** Whether the Pod can be traced at all (not hostNetwork, not a static-IP Pod, has a uid). */
const traceable = (pod: Pod, settings: GcSettings): boolean =>
  pod.spec?.hostNetwork !== true &&
  staticOwnerKind(settings, pod) === undefined &&
  (pod.metadata.uid ?? '') !== '';

/**
 * The trace entry for a Pod event, or undefined when the Pod is not (or no longer) to be traced.
 * `deleted`: the Pod object is gone (a DELETED watch event).
 */
export const traceEntryFor = (
  pod: Pod,
  deleted: boolean,
  settings: GcSettings,
  now: Date,
): TraceEntry | undefined => {
  if (!settings.enabled || !traceable(pod, settings)) return undefined;
  const delayMs = settings.additionalGraceDelaySeconds * 1000;
  const base = {
    key: `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`,
    podUid: pod.metadata.uid ?? '',
    nodeName: pod.spec?.nodeName,
  };
  if (deleted) return { ...base, due: new Date(now.getTime() + delayMs), reason: 'PodDeleted' };
  if (pod.metadata.deletionTimestamp !== undefined) {
    const end = graceEnd(pod, settings.additionalGraceDelaySeconds);
    return { ...base, due: end ?? new Date(now.getTime() + delayMs), reason: 'PodTerminating' };
  }
  const phase = podPhase(pod);
  if (phase !== 'Succeeded' && phase !== 'Failed') return undefined;
  const finished = lastFinishedAt(pod) ?? now.getTime();
  const grace = (pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS) * 1000;
  return {
    ...base,
    due: new Date(finished + grace + delayMs),
    reason: phase === 'Succeeded' ? 'PodSucceeded' : 'PodFailed',
  };
};
