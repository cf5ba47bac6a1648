// Errors of the `sriov` CNI plugin beyond the shared CniError (env, netconf, delegated IPAM): VF lookup, the
// per-VF lock and owner record, the state record, the move into the Pod, PF-side VF settings. Each maps to a
// CNI error code: a lock not obtained in time is 11 ("try again later"), the rest 999 with the tag in
// `details`.
import type { CniError } from '../cni/index.ts';
import type { PlumbingError } from '../plumbing/index.ts';

export type SriovCniError =
  | CniError
  | { _tag: 'VfNotFound'; deviceID: string; detail: string; message: string }
  | { _tag: 'VfBusy'; deviceID: string; owner: string; message: string }
  | { _tag: 'LockTimeout'; deviceID: string; timeoutMs: number; message: string }
  | { _tag: 'StateIo'; path: string; detail: string; message: string }
  | { _tag: 'Plumbing'; step: 'attach' | 'detach' | 'announce'; cause: PlumbingError; message: string }
  | { _tag: 'VfConfigFailed'; pf: string; vf: number; detail: string; message: string };

export const vfNotFound = (deviceID: string, detail: string): SriovCniError => ({
  _tag: 'VfNotFound',
  deviceID,
  detail,
  message: `VF ${deviceID}: ${detail}`,
});

export const vfBusy = (deviceID: string, owner: string): SriovCniError => ({
  _tag: 'VfBusy',
  deviceID,
  owner,
  message: `VF ${deviceID} is in use by ${owner}`,
});

export const lockTimeout = (deviceID: string, timeoutMs: number): SriovCniError => ({
  _tag: 'LockTimeout',
  deviceID,
  timeoutMs,
  message: `VF ${deviceID}: lock not obtained within ${timeoutMs} ms`,
});

export const stateIo = (path: string, detail: string): SriovCniError => ({
  _tag: 'StateIo',
  path,
  detail,
  message: `state record ${path}: ${detail}`,
});

export const plumbing = (step: 'attach' | 'detach' | 'announce', cause: PlumbingError): SriovCniError => ({
  _tag: 'Plumbing',
  step,
  cause,
  message: `${step}: ${cause.message}`,
});

export const vfConfigFailed = (pf: string, vf: number, detail: string): SriovCniError => ({
  _tag: 'VfConfigFailed',
  pf,
  vf,
  detail,
  message: `setting VF ${vf} of ${pf} failed: ${detail}`,
});

const SRIOV_TAGS: ReadonlySet<string> = new Set([
  'VfNotFound',
  'VfBusy',
  'LockTimeout',
  'StateIo',
  'Plumbing',
  'VfConfigFailed',
]);

/** Whether the error is one of the shared CniError variants. */
export const isCniError = (e: SriovCniError): e is CniError => !SRIOV_TAGS.has(e._tag);
