// Facts about a Pod that the GC decision table reads (reference §3.8 B), each a small pure function.
import type { Pod } from '../api/index.ts';
import type { GcSettings } from './settings.ts';

/** The kinds whose Pods keep fixed IPs across re-creation. */
export type StaticOwnerKind = 'StatefulSet' | 'VirtualMachineInstance';

/**
 * `IsStaticIPPod`: the Pod's controller ownerReference is an apps/v1 StatefulSet (with enableStatefulSet) or a
 * kubevirt.io/v1 VirtualMachineInstance (with enableKubevirtStaticIP). Returns that kind, else undefined.
 */
export const staticOwnerKind = (
  settings: Pick<GcSettings, 'enableStatefulSet' | 'enableKubevirtStaticIP'>,
  pod: Pod,
): StaticOwnerKind | undefined => {
  const ref = (pod.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (!ref) return undefined;
  if (settings.enableStatefulSet && ref.apiVersion === 'apps/v1' && ref.kind === 'StatefulSet') {
    return 'StatefulSet';
  }
  if (
    settings.enableKubevirtStaticIP &&
    ref.apiVersion === 'kubevirt.io/v1' &&
    ref.kind === 'VirtualMachineInstance'
  ) {
    return 'VirtualMachineInstance';
  }
  return undefined;
};

/** The owner kind recorded in a SpiderEndpoint, as a static kind when the settings enable it. */
export const staticKindOfEndpointOwner = (
  settings: Pick<GcSettings, 'enableStatefulSet' | 'enableKubevirtStaticIP'>,
  ownerControllerType: string,
): StaticOwnerKind | undefined => {
  if (settings.enableStatefulSet && ownerControllerType === 'StatefulSet') return 'StatefulSet';
  if (settings.enableKubevirtStaticIP && ownerControllerType === 'VirtualMachineInstance') {
    return 'VirtualMachineInstance';
  }
  return undefined;
};

/** Pod phase, with the API server's default (`Pending`) for a Pod that has no status yet. */
export const podPhase = (pod: Pod): string => pod.status?.phase ?? 'Pending';

export const hasPodIPs = (pod: Pod): boolean => (pod.status?.podIPs ?? []).length > 0;

/**
 * End of the Pod's deletion grace: deletionTimestamp + deletionGracePeriodSeconds + the additional delay.
 * Undefined when the Pod is not being deleted (or the timestamp does not parse).
 */
export const graceEnd = (pod: Pod, additionalDelaySeconds: number): Date | undefined => {
  const ts = pod.metadata.deletionTimestamp;
  if (ts === undefined) return undefined;
  const t = Date.parse(ts);
  if (Number.isNaN(t)) return undefined;
  const grace = pod.metadata.deletionGracePeriodSeconds ?? 0;
  return new Date(t + (grace + additionalDelaySeconds) * 1000);
};

/**
 * `isShouldGCOrTraceStatelessTerminatingPodOnNode`: whether the node-readiness flag allows reclaiming a
 * stateless terminating Pod. An unknown node (`undefined`: deleted, or no nodeName) counts as NotReady
 * (Spiderpool skips the record on the lookup error; a vanished node is the "node died" row of §3.11).
 */
export const nodeAllowsStatelessGc = (
  settings: Pick<GcSettings, 'statelessTerminatingPodOnReadyNode' | 'statelessTerminatingPodOnNotReadyNode'>,
  nodeReady: boolean | undefined,
): boolean =>
  nodeReady === true
    ? settings.statelessTerminatingPodOnReadyNode
    : settings.statelessTerminatingPodOnNotReadyNode;

/** `ns/name` of a pool record -> parts; Go's SplitMetaNamespaceKey (one slash at most, none: no namespace). */
export const splitRecordKey = (key: string): { namespace: string; name: string } | undefined => {
  const parts = key.split('/');
  if (parts.length === 1) return { namespace: '', name: parts[0] as string };
  if (parts.length === 2) return { namespace: parts[0] as string, name: parts[1] as string };
  return undefined;
};
