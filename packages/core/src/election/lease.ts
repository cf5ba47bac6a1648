// coordination.k8s.io/v1 Lease: the object leader election competes for (client-go's LeaseLock record).
// Times are MicroTime (RFC 3339 with exactly six fractional digits), as the API server validates them.
import type { ObjectMeta } from '../api/meta.ts';

export const KIND_LEASE = 'Lease';
export const LEASE_API_VERSION = 'coordination.k8s.io/v1';

export interface LeaseSpec {
  /** Who holds the lease; "" or absent = free (released). */
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  /** Times the holder changed. */
  leaseTransitions?: number;
}

export interface Lease {
  apiVersion: string;
  kind: 'Lease';
  metadata: ObjectMeta;
  spec?: LeaseSpec;
}

/** `2026-12-01T20:49:13.123000Z`: Kubernetes MicroTime. */
export const formatMicroTime = (d: Date): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** Milliseconds since the epoch of a MicroTime/RFC 3339 string; undefined when absent or unparsable. */
export const parseMicroTime = (s: string | undefined): number | undefined => {
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
};
