// Whether a "static IP" workload still owns its Pod's IPs: Spiderpool's `IsValidStatefulSetPod`
// (pkg/statefulsetmanager) and `IsValidVMPod` (pkg/kubevirtmanager), as pure functions over what a Store
// returned. Used by CNI DEL (§3.7 step 4) and by GC (§3.8 B): a valid StatefulSet/KubeVirt Pod keeps its IPs
// across Pod re-creation; an invalid one (scaled down, deleted) has them reclaimed.
import type { KubeObject, OwnerReference } from '../api/index.ts';

/** The fields of an apps/v1 StatefulSet the validity rule reads. */
export interface StatefulSetLike extends KubeObject {
  spec?: {
    /** Defaulted to 1 by the API server when absent. */
    replicas?: number;
    /** apps/v1 `spec.ordinals` (StatefulSetStartOrdinal). */
    ordinals?: { start?: number };
  };
}

/** A kubevirt.io/v1 VirtualMachine or VirtualMachineInstance: only metadata is read. */
export type KubevirtObjectLike = KubeObject;

const ORDINAL_SUFFIX = /^(.*)-([0-9]+)$/;
const MAX_INT32 = 2 ** 31 - 1;

/**
 * `getStatefulSetNameAndOrdinal`: `web-12` -> { parent: 'web', ordinal: 12 }. Undefined when the name has no
 * `-<digits>` suffix or the ordinal does not fit an int32 (Go's `ParseInt(s, 10, 32)` fails then).
 */
export const statefulSetPodOrdinal = (podName: string): { parent: string; ordinal: number } | undefined => {
  const m = ORDINAL_SUFFIX.exec(podName);
  if (!m) return undefined;
  const ordinal = Number(m[2]);
  if (!Number.isSafeInteger(ordinal) || ordinal > MAX_INT32) return undefined;
  return { parent: m[1] as string, ordinal };
};

/**
 * `IsValidStatefulSetPod`: the Pod name's ordinal is inside the StatefulSet's current ordinal window:
 * `[start, start + replicas - 1]` with `spec.ordinals`, else `[0, replicas - 1]`. A missing StatefulSet
 * (pass `undefined`) or a name without an ordinal is not valid. The caller fetches the StatefulSet named
 * `statefulSetPodOrdinal(podName).parent` in the Pod's namespace.
 */
export const isValidStatefulSetPod = (podName: string, sts: StatefulSetLike | undefined): boolean => {
  const parsed = statefulSetPodOrdinal(podName);
  if (!parsed || !sts) return false;
  const replicas = sts.spec?.replicas ?? 1;
  const ordinals = sts.spec?.ordinals;
  if (ordinals !== undefined) {
    const start = ordinals.start ?? 0;
    return parsed.ordinal >= start && parsed.ordinal <= start + replicas - 1;
  }
  return parsed.ordinal <= replicas - 1;
};

const controllerOf = (obj: KubeObject): OwnerReference | undefined =>
  (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);

/** Whether a VMI is controlled by a VirtualMachine (KubeVirt's `isVMIControlledByVM`). */
export const isVMIControlledByVM = (vmi: KubevirtObjectLike): boolean =>
  controllerOf(vmi)?.kind === 'VirtualMachine';

/**
 * `IsValidVMPod`: the VMI exists and is not terminating; or (VMI gone, or terminating but owned by a VM) the
 * VirtualMachine of the same name exists and is not terminating. `vmi`/`vm` are the objects named after the
 * VMI in the Pod's namespace, `undefined` when not found.
 */
export const isValidVMPod = (
  vmi: KubevirtObjectLike | undefined,
  vm: KubevirtObjectLike | undefined,
): boolean => {
  if (vmi !== undefined) {
    if (vmi.metadata.deletionTimestamp === undefined) return true;
    if (!isVMIControlledByVM(vmi)) return false;
  }
  return vm !== undefined && vm.metadata.deletionTimestamp === undefined;
};
