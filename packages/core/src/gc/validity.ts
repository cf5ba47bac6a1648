// The StatefulSet / KubeVirt validity inputs of one record's decision, from the pass's snapshot.
import type { Pod } from '../api/index.ts';
import { isValidStatefulSetPod, isValidVMPod, statefulSetPodOrdinal } from '../ipam/workloadValidity.ts';
import type { GcSnapshot } from './snapshot.ts';

const splitKey = (key: string): [string, string] => {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
};

/**
 * `{ stsValid, vmValid }` for the record keyed `ns/name`: the StatefulSet is the one named after the Pod
 * name's ordinal prefix; the VMI/VM are named by the Pod's VMI controller, or (no Pod) by the record name
 * (KubeVirt records carry the VMI name). A kind the store does not serve leaves the value unknown.
 */
export const validityFor = (
  snap: GcSnapshot,
  key: string,
  pod: Pod | undefined,
): { stsValid?: boolean; vmValid?: boolean } => {
  const [ns, name] = splitKey(key);
  const out: { stsValid?: boolean; vmValid?: boolean } = {};
  if (snap.statefulSets !== undefined) {
    const parent = statefulSetPodOrdinal(name)?.parent;
    const sts = parent === undefined ? undefined : snap.statefulSets.get(`${ns}/${parent}`);
    out.stsValid = isValidStatefulSetPod(name, sts);
  }
  if (snap.vmis !== undefined && snap.vms !== undefined) {
    const ref = (pod?.metadata.ownerReferences ?? []).find(
      (r) => r.controller === true && r.kind === 'VirtualMachineInstance',
    );
    const vmiName = ref?.name ?? name;
    out.vmValid = isValidVMPod(snap.vmis.get(`${ns}/${vmiName}`), snap.vms.get(`${ns}/${vmiName}`));
  }
  return out;
};
