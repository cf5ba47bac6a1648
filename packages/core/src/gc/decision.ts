// The scan-all decision table of reference §3.8 B (Spiderpool pkg/gcmanager/scanAll_IPPool.go) as one pure
// function: given one pool record and what is known of its Pod, SpiderEndpoint, node and static owner,
// keep the IP, hand the Pod to tracing, or release the IP and/or the endpoint. Deviations from Spiderpool
// are marked DEVIATION and explained in docs/adr/0007-gc-and-controllers.md.
import type { Pod, SpiderEndpoint } from '../api/index.ts';
import {
  graceEnd,
  hasPodIPs,
  nodeAllowsStatelessGc,
  podPhase,
  type StaticOwnerKind,
  staticKindOfEndpointOwner,
  staticOwnerKind,
} from './podFacts.ts';
import { type GcReason, gcReasonMessage } from './reasons.ts';
import type { GcSettings } from './settings.ts';

/** One entry of a pool's `status.allocatedIPs`. */
export interface GcRecord {
  pool: string;
  /** Bare IP, the map key. */
  ip: string;
  /** `<namespace>/<name>` (KubeVirt: the VMI name). */
  pod: string;
  podUid: string;
}

export interface GcContext {
  /** The Pod named by the record; absent when it does not exist. */
  pod?: Pod;
  /** The SpiderEndpoint of the same namespace/name; absent when it does not exist. */
  endpoint?: SpiderEndpoint;
  now: Date;
  settings: GcSettings;
  /** `IsValidStatefulSetPod` for this Pod name; absent = unknown (lookup failed): the record is kept. */
  stsValid?: boolean;
  /** `IsValidVMPod` for this VMI name; absent = unknown: the record is kept. */
  vmValid?: boolean;
  /** Ready condition of the Pod's node; absent = node unknown, treated as NotReady. */
  nodeReady?: boolean;
}

export type GcDecision =
  | { _tag: 'Keep'; reason: GcReason; message: string }
  /** Keep now; the Pod is in its grace period (or a finished static Pod): a later pass decides. */
  | { _tag: 'Trace'; reason: GcReason; until?: Date; message: string }
  | {
      _tag: 'Release';
      /** Remove the pool record (only if its podUid still matches at write time). */
      ip: boolean;
      /** Delete the SpiderEndpoint and strip its finalizer. */
      endpoint: boolean;
      reason: GcReason;
      message: string;
    };

const keep = (reason: GcReason): GcDecision => ({ _tag: 'Keep', reason, message: gcReasonMessage(reason) });

/** Status verdict of a Pod whose UID is not yet compared: release?, trace?, why. */
interface StatusVerdict {
  gc: boolean;
  trace: boolean;
  until?: Date;
  reason: GcReason;
}

const validityOf = (kind: StaticOwnerKind, ctx: GcContext): boolean | undefined =>
  kind === 'StatefulSet' ? ctx.stsValid : ctx.vmValid;

const podMissing = (ctx: GcContext): GcDecision => {
  const ep = ctx.endpoint;
  if (ep === undefined) return release('PodAndEndpointMissing', true, false);
  const kind = staticKindOfEndpointOwner(ctx.settings, ep.status.ownerControllerType);
  const valid = kind === undefined ? false : validityOf(kind, ctx);
  if (valid === undefined) return keep('ValidityUnknown');
  return valid ? keep('PodMissingValidStatic') : release('PodMissingEndpointLeft', true, true);
};

const release = (reason: GcReason, ip: boolean, endpoint: boolean): GcDecision => ({
  _tag: 'Release',
  ip,
  endpoint,
  reason,
  message: gcReasonMessage(reason),
});

/** `shouldTraceOrReclaimIPInDeletionTimeStampPod`. */
const terminating = (pod: Pod, ctx: GcContext, nodeGc: boolean): StatusVerdict => {
  const end = graceEnd(pod, ctx.settings.additionalGraceDelaySeconds);
  if (end !== undefined && ctx.now.getTime() > end.getTime()) {
    return nodeGc
      ? { gc: true, trace: false, reason: 'TerminatingPastGrace' }
      : { gc: false, trace: false, reason: 'TerminatingPastGraceNodeGcOff' };
  }
  if (hasPodIPs(pod)) {
    return { gc: false, trace: true, reason: 'TerminatingWithinGrace', ...(end ? { until: end } : {}) };
  }
  return { gc: true, trace: false, reason: 'TerminatingNoPodIPs' };
};

/** The phase switch of scan-all; `undefined` when a needed validity is unknown (Spiderpool `continue`s). */
const statusVerdict = (
  pod: Pod,
  ctx: GcContext,
  kind: StaticOwnerKind | undefined,
): StatusVerdict | undefined => {
  const phase = podPhase(pod);
  const nodeGc = kind === undefined && nodeAllowsStatelessGc(ctx.settings, ctx.nodeReady);
  if (phase === 'Succeeded' || phase === 'Failed') {
    if (kind !== undefined) {
      const valid = validityOf(kind, ctx);
      if (valid === undefined) return undefined;
      return valid
        ? { gc: false, trace: true, reason: 'StaticPodFinishedValid' }
        : { gc: true, trace: false, reason: 'StaticPodFinishedInvalid' };
    }
    if (pod.metadata.deletionTimestamp !== undefined) return terminating(pod, ctx, nodeGc);
    return { gc: false, trace: false, reason: 'StatelessPodFinished' };
  }
  if (phase === 'Pending') return { gc: false, trace: false, reason: 'PodPending' };
  if (pod.metadata.deletionTimestamp !== undefined) return terminating(pod, ctx, nodeGc);
  if (hasPodIPs(pod)) return { gc: false, trace: false, reason: 'PodHasIPs' };
  if (kind !== undefined) {
    const valid = validityOf(kind, ctx);
    if (valid === undefined) return undefined;
    return valid
      ? { gc: false, trace: false, reason: 'StaticPodNoIPsValid' }
      : { gc: true, trace: false, reason: 'StaticPodNoIPsInvalid' };
  }
  if (phase === 'Running') {
    return ctx.settings.statelessRunningPodOnEmptyPodStatusIPs
      ? { gc: true, trace: false, reason: 'RunningNoPodIPs' }
      : { gc: false, trace: false, reason: 'RunningNoPodIPsGcOff' };
  }
  return { gc: true, trace: false, reason: 'NoPodIPs' };
};

/** A static Pod whose UID differs from the record's/endpoint's: reclaim if it already has IPs or is invalid. */
const staticMismatch = (pod: Pod, ctx: GcContext, kind: StaticOwnerKind): boolean | undefined => {
  if (hasPodIPs(pod)) return true;
  const valid = validityOf(kind, ctx);
  return valid === undefined ? undefined : !valid;
};

/** Decides one pool record (reference §3.8 B). */
export const decideRecord = (record: GcRecord, ctx: GcContext): GcDecision => {
  if (!ctx.settings.enabled) return keep('GcDisabled');
  const pod = ctx.pod;
  if (pod === undefined) return podMissing(ctx);
  const kind = staticOwnerKind(ctx.settings, pod);
  const status = statusVerdict(pod, ctx, kind);
  if (status === undefined) return keep('ValidityUnknown');
  const podUid = pod.metadata.uid ?? '';

  let ipGc = status.gc;
  let reason = status.reason;
  if (podUid !== record.podUid) {
    const gc = kind === undefined ? true : staticMismatch(pod, ctx, kind);
    if (gc === undefined) return keep('ValidityUnknown');
    ipGc = gc;
    reason =
      kind === undefined ? 'PodUidMismatch' : gc ? 'StaticPodUidMismatchStale' : 'StaticPodUidMismatchValid';
  }

  let epGc = false;
  const ep = ctx.endpoint;
  if (ep !== undefined) {
    if (ep.status.current.uid !== podUid) {
      // DEVIATION: Spiderpool also releases the IP here for stateless Pods even when the record belongs to
      // the live Pod; we release only the stale endpoint and let the record's own UID decide the IP.
      const gc = kind === undefined ? true : staticMismatch(pod, ctx, kind);
      if (gc === undefined) return keep('ValidityUnknown');
      epGc = gc;
      if (epGc && !ipGc) reason = 'EndpointUidMismatch';
    } else {
      epGc = status.gc;
    }
  }

  if (ipGc || epGc) return release(reason, ipGc, epGc);
  if (status.trace && podUid === record.podUid) {
    return {
      _tag: 'Trace',
      reason,
      ...(status.until ? { until: status.until } : {}),
      message: gcReasonMessage(reason),
    };
  }
  return keep(reason);
};
