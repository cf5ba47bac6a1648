// Errors of the pool/subnet controllers. Tagged union; `message` derived from the fields.
import type { ApiError } from '../api/index.ts';
import type { IPError } from '../ip/index.ts';
import type { StoreError } from '../store/index.ts';

export type ControllerError =
  | {
      _tag: 'InvalidPoolSpec';
      kind: 'SpiderIPPool' | 'SpiderSubnet';
      name: string;
      cause: IPError;
      message: string;
    }
  | {
      _tag: 'UnreadableStatus';
      kind: 'SpiderIPPool' | 'SpiderSubnet';
      name: string;
      cause: ApiError;
      message: string;
    }
  | { _tag: 'ControllerStore'; cause: StoreError; message: string };

export const invalidPoolSpec = (
  kind: 'SpiderIPPool' | 'SpiderSubnet',
  name: string,
  cause: IPError,
): ControllerError => ({
  _tag: 'InvalidPoolSpec',
  kind,
  name,
  cause,
  message: `${kind} ${name}: cannot count its IPs: ${cause.message}`,
});

export const unreadableStatus = (
  kind: 'SpiderIPPool' | 'SpiderSubnet',
  name: string,
  cause: ApiError,
): ControllerError => ({
  _tag: 'UnreadableStatus',
  kind,
  name,
  cause,
  message: `${kind} ${name}: unreadable status: ${cause.message}`,
});

export const controllerStore = (cause: StoreError): ControllerError => ({
  _tag: 'ControllerStore',
  cause,
  message: cause.message,
});

/** A subnet-controlled pool holds addresses outside its SpiderSubnet (ips − excludeIPs), or another CIDR. */
export type PoolSubnetMismatch = {
  _tag: 'PoolNotInSubnet';
  pool: string;
  subnet: string;
  /** Ranges of the pool outside the subnet; empty when only the CIDR differs. */
  outside: string[];
  message: string;
};

export const poolNotInSubnet = (pool: string, subnet: string, outside: string[]): PoolSubnetMismatch => ({
  _tag: 'PoolNotInSubnet',
  pool,
  subnet,
  outside,
  message:
    outside.length === 0
      ? `IPPool ${pool} has a different CIDR than its controller Subnet ${subnet}`
      : `IPPool ${pool} has IP ranges ${JSON.stringify(outside)} that are not contained in controller Subnet ${subnet}`,
});
