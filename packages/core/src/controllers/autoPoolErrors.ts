// Errors of the SpiderSubnet auto-pool controller (reference §3.9). Tagged union; `message` derived from the
// fields, wording close to Spiderpool's where it has one.
import type { ApiError } from '../api/index.ts';
import type { IpamError } from '../ipam/index.ts';
import type { StoreError } from '../store/index.ts';
import type { FieldError } from '../webhook/index.ts';

export type AutoPoolControllerError =
  | { _tag: 'InvalidApplicationAnnotation'; app: string; cause: IpamError; message: string }
  | {
      _tag: 'ApplicationSubnetChanged';
      app: string;
      pool: string;
      from: string;
      to: string;
      message: string;
    }
  | { _tag: 'SubnetNotFound'; subnet: string; message: string }
  | { _tag: 'SubnetTerminating'; subnet: string; message: string }
  | { _tag: 'SubnetVersionMismatch'; subnet: string; want: number; got: number | undefined; message: string }
  | { _tag: 'InvalidSubnetSpec'; subnet: string; detail: string; message: string }
  | { _tag: 'InvalidAutoPoolSpec'; pool: string; detail: string; message: string }
  | { _tag: 'InvalidReservedIP'; name: string; detail: string; message: string }
  | { _tag: 'UnreadableAutoPoolStatus'; object: string; cause: ApiError; message: string }
  | {
      _tag: 'InsufficientSubnetIPs';
      subnet: string;
      pool: string;
      required: bigint;
      free: bigint;
      message: string;
    }
  | {
      _tag: 'FreeIPsNotEnough';
      pool: string;
      current: bigint;
      desired: bigint;
      inUse: bigint;
      message: string;
    }
  | { _tag: 'AllocationOutsideReservation'; pool: string; subnet: string; ips: string[]; message: string }
  | { _tag: 'AutoPoolNameTaken'; pool: string; owner: string; message: string }
  | { _tag: 'AutoPoolRejected'; pool: string; errors: FieldError[]; message: string }
  | { _tag: 'AutoPoolStore'; cause: StoreError; message: string };

export type AutoPoolControllerErrorTag = AutoPoolControllerError['_tag'];

export const invalidApplicationAnnotation = (app: string, cause: IpamError): AutoPoolControllerError => ({
  _tag: 'InvalidApplicationAnnotation',
  app,
  cause,
  message: `application ${app}: ${cause.message}`,
});

export const applicationSubnetChanged = (
  app: string,
  pool: string,
  from: string,
  to: string,
): AutoPoolControllerError => ({
  _tag: 'ApplicationSubnetChanged',
  app,
  pool,
  from,
  to,
  message: `ApplicationSubnetChanged: application ${app} changed its SpiderSubnet from ${from} to ${to}; it's invalid to reconcile auto-created IPPool ${pool} with a different SpiderSubnet`,
});

export const subnetNotFound = (subnet: string): AutoPoolControllerError => ({
  _tag: 'SubnetNotFound',
  subnet,
  message: `failed to get SpiderSubnet ${subnet}: not found`,
});

export const subnetTerminating = (subnet: string): AutoPoolControllerError => ({
  _tag: 'SubnetTerminating',
  subnet,
  message: `SpiderSubnet '${subnet}' is terminating, we can't reconcile an auto-created IPPool from it`,
});

export const subnetVersionMismatch = (
  subnet: string,
  want: number,
  got: number | undefined,
): AutoPoolControllerError => ({
  _tag: 'SubnetVersionMismatch',
  subnet,
  want,
  got,
  message: `SpiderSubnet ${subnet} has ipVersion ${got ?? 'unset'}, the application asks it for IPv${want}`,
});

export const invalidSubnetSpec = (subnet: string, detail: string): AutoPoolControllerError => ({
  _tag: 'InvalidSubnetSpec',
  subnet,
  detail,
  message: `SpiderSubnet ${subnet}: cannot assemble its IPs: ${detail}`,
});

export const invalidAutoPoolSpec = (pool: string, detail: string): AutoPoolControllerError => ({
  _tag: 'InvalidAutoPoolSpec',
  pool,
  detail,
  message: `SpiderIPPool ${pool}: unreadable IPs: ${detail}`,
});

export const invalidReservedIP = (name: string, detail: string): AutoPoolControllerError => ({
  _tag: 'InvalidReservedIP',
  name,
  detail,
  message: `SpiderReservedIP ${name}: ${detail}`,
});

export const unreadableAutoPoolStatus = (object: string, cause: ApiError): AutoPoolControllerError => ({
  _tag: 'UnreadableAutoPoolStatus',
  object,
  cause,
  message: `${object}: unreadable status: ${cause.message}`,
});

export const insufficientSubnetIPs = (
  subnet: string,
  pool: string,
  required: bigint,
  free: bigint,
): AutoPoolControllerError => ({
  _tag: 'InsufficientSubnetIPs',
  subnet,
  pool,
  required,
  free,
  message: `failed to pre-allocate IPs for auto-created IPPool ${pool} from SpiderSubnet ${subnet}: insufficient subnet FreeIPs, required '${required}' but only left '${free}'`,
});

export const freeIPsNotEnough = (
  pool: string,
  current: bigint,
  desired: bigint,
  inUse: bigint,
): AutoPoolControllerError => ({
  _tag: 'FreeIPsNotEnough',
  pool,
  current,
  desired,
  inUse,
  message: `failed to scale down IPPool ${pool} IPs from ${current} to ${desired}: IPPool available free IPs are not enough (${inUse} in use)`,
});

export const allocationOutsideReservation = (
  pool: string,
  subnet: string,
  ips: string[],
): AutoPoolControllerError => ({
  _tag: 'AllocationOutsideReservation',
  pool,
  subnet,
  ips,
  message: `IPPool ${pool} has allocated IPs ${JSON.stringify(ips)} that SpiderSubnet ${subnet} reserves for another IPPool`,
});

export const autoPoolNameTaken = (pool: string, owner: string): AutoPoolControllerError => ({
  _tag: 'AutoPoolNameTaken',
  pool,
  owner,
  message: `the auto-created IPPool name ${pool} is already used by ${owner}`,
});

export const autoPoolRejected = (pool: string, errors: FieldError[]): AutoPoolControllerError => ({
  _tag: 'AutoPoolRejected',
  pool,
  errors,
  message: `auto-created IPPool ${pool} rejected by the webhook: ${errors.map((e) => e.message).join('; ')}`,
});

export const autoPoolStore = (cause: StoreError): AutoPoolControllerError => ({
  _tag: 'AutoPoolStore',
  cause,
  message: cause.message,
});
