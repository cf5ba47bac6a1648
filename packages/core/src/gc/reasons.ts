// Why GC kept, traced or released a record: one tag per row/edge of the §3.8 B table, with a fixed message.

export type GcReason =
  | 'GcDisabled'
  | 'ValidityUnknown'
  | 'PodAndEndpointMissing'
  | 'PodMissingValidStatic'
  | 'PodMissingEndpointLeft'
  | 'StaticPodFinishedValid'
  | 'StaticPodFinishedInvalid'
  | 'StatelessPodFinished'
  | 'PodPending'
  | 'TerminatingPastGrace'
  | 'TerminatingPastGraceNodeGcOff'
  | 'TerminatingWithinGrace'
  | 'TerminatingNoPodIPs'
  | 'PodHasIPs'
  | 'StaticPodNoIPsValid'
  | 'StaticPodNoIPsInvalid'
  | 'RunningNoPodIPs'
  | 'RunningNoPodIPsGcOff'
  | 'NoPodIPs'
  | 'PodUidMismatch'
  | 'StaticPodUidMismatchStale'
  | 'StaticPodUidMismatchValid'
  | 'EndpointUidMismatch'
  | 'OutdatedEndpoint';

const MESSAGES: Record<GcReason, string> = {
  GcDisabled: 'IP GC is disabled',
  ValidityUnknown: 'could not tell whether the StatefulSet/KubeVirt owner is still valid; kept for now',
  PodAndEndpointMissing: 'pod and its SpiderEndpoint do not exist',
  PodMissingValidStatic: 'pod does not exist but is a valid StatefulSet/KubeVirt pod: keeps its IP',
  PodMissingEndpointLeft: 'pod does not exist and is not a valid static pod: IP and SpiderEndpoint reclaimed',
  StaticPodFinishedValid: 'static pod finished but still valid: traced',
  StaticPodFinishedInvalid: 'static pod finished and no longer valid',
  StatelessPodFinished: 'stateless pod finished without deletion: left to CNI DEL / the trace worker',
  PodPending: 'pod is Pending',
  TerminatingPastGrace: 'pod deletion grace period (plus additional delay) is over',
  TerminatingPastGraceNodeGcOff:
    'grace period over but GC of terminating pods on this node state is disabled',
  TerminatingWithinGrace: 'pod is terminating within its grace period and still has IPs: traced',
  TerminatingNoPodIPs: 'pod is terminating and its IPs are already gone',
  PodHasIPs: 'pod is running with IPs',
  StaticPodNoIPsValid: 'static pod has no IPs yet but is valid',
  StaticPodNoIPsInvalid: 'static pod has no IPs and is no longer valid',
  RunningNoPodIPs: 'running stateless pod has no status.podIPs (GC of such pods enabled)',
  RunningNoPodIPsGcOff: 'running stateless pod has no status.podIPs (GC of such pods disabled)',
  NoPodIPs: 'pod is neither running nor pending and has no IPs',
  PodUidMismatch: 'record belongs to an earlier stateless pod of the same name',
  StaticPodUidMismatchStale:
    'record belongs to an earlier static pod and the new one is running elsewhere or invalid',
  StaticPodUidMismatchValid:
    'record belongs to an earlier incarnation of a valid static pod: kept for the new one',
  EndpointUidMismatch: 'SpiderEndpoint belongs to an earlier pod of the same name',
  OutdatedEndpoint: 'SpiderEndpoint has no record in any pool',
};

export const gcReasonMessage = (reason: GcReason): string => MESSAGES[reason];
