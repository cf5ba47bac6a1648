// What can stop one reconcile pass of the SR-IOV config daemon. Tagged union, `message` from the fields;
// each ends up as the node state's `lastSyncError` with syncStatus Failed.
import type { EvictionBlocked, StoreError } from '@spiderpool-ts/core';
import type { SriovError } from '../errors.ts';

export type DaemonError =
  | { _tag: 'StoreFailed'; operation: string; cause: StoreError; message: string }
  | { _tag: 'HostFailed'; operation: string; cause: SriovError; message: string }
  | { _tag: 'DrainBlocked'; node: string; blocked: EvictionBlocked[]; message: string }
  | { _tag: 'DeadlineExceeded'; operation: string; timeoutMs: number; message: string };

export const storeFailed = (operation: string, cause: StoreError): DaemonError => ({
  _tag: 'StoreFailed',
  operation,
  cause,
  message: `${operation}: ${cause.message}`,
});

export const hostFailed = (operation: string, cause: SriovError): DaemonError => ({
  _tag: 'HostFailed',
  operation,
  cause,
  message: `${operation}: ${cause.message}`,
});

export const drainBlocked = (node: string, blocked: EvictionBlocked[]): DaemonError => ({
  _tag: 'DrainBlocked',
  node,
  blocked,
  message: `drain of node ${node} blocked: ${blocked.map((b) => `${b.namespace}/${b.pod}: ${b.reason}`).join('; ')}`,
});

export const deadlineExceeded = (operation: string, timeoutMs: number): DaemonError => ({
  _tag: 'DeadlineExceeded',
  operation,
  timeoutMs,
  message: `${operation} did not finish within ${timeoutMs} ms`,
});
