// Options of the SR-IOV node config daemon, and their defaults (the operator's: 2-minute sysfs write
// timeout; drains retried every 5 s).
import {
  createStoreEvictor,
  isPodEvictor,
  type PodEvictor,
  SRIOV_OPERATOR_NAMESPACE,
  type Store,
} from '@spiderpool-ts/core';
import type { WriteAttr } from '../numVfs.ts';
import type { ReconcileOutcome } from './reconcile.ts';

export interface SriovConfigDaemonOptions {
  store: Store;
  /** This node: the Node whose labels policies select, and the name of its SriovNetworkNodeState. */
  nodeName: string;
  /** `/sys` on a host, the fixture's tree in tests. */
  sysfsRoot: string;
  /** Where policies are read and the node state is written (default `sriov-network-operator`). */
  namespace?: string;
  /** The sysfs writer (default `fs.writeFile`; the hardware fixture in tests). */
  writeAttr?: WriteAttr;
  /** Default: the store itself when it implements the Eviction API (KubernetesStore), else a Store-backed check. */
  evictor?: PodEvictor;
  /** Periodic resync besides the watches (default 30 000 ms). */
  resyncMs?: number;
  /** Deadline of one sriov_numvfs / mtu write (default 120 000 ms). */
  writeTimeoutMs?: number;
  /** Deadline of a drain (default 300 000 ms); blocked evictions are retried every `drainRetryMs` (5 000). */
  drainTimeoutMs?: number;
  drainRetryMs?: number;
  /** Deadline of a whole reconcile pass (default 600 000 ms). */
  passTimeoutMs?: number;
  /** Milliseconds clock (default Date.now). */
  now?: () => number;
  /** Called after every reconcile pass. Must not throw. */
  onPass?: (outcome: ReconcileOutcome) => void;
}

export interface ResolvedOptions {
  store: Store;
  nodeName: string;
  sysfsRoot: string;
  namespace: string;
  writeAttr: WriteAttr | undefined;
  evictor: PodEvictor;
  resyncMs: number;
  writeTimeoutMs: number;
  drainTimeoutMs: number;
  drainRetryMs: number;
  passTimeoutMs: number;
  now: () => number;
  onPass: (outcome: ReconcileOutcome) => void;
}

export const resolveOptions = (o: SriovConfigDaemonOptions): ResolvedOptions => ({
  store: o.store,
  nodeName: o.nodeName,
  sysfsRoot: o.sysfsRoot,
  namespace: o.namespace ?? SRIOV_OPERATOR_NAMESPACE,
  writeAttr: o.writeAttr,
  evictor: o.evictor ?? (isPodEvictor(o.store) ? o.store : createStoreEvictor(o.store)),
  resyncMs: o.resyncMs ?? 30_000,
  writeTimeoutMs: o.writeTimeoutMs ?? 120_000,
  drainTimeoutMs: o.drainTimeoutMs ?? 300_000,
  drainRetryMs: o.drainRetryMs ?? 5_000,
  passTimeoutMs: o.passTimeoutMs ?? 600_000,
  now: o.now ?? Date.now,
  onPass: o.onPass ?? (() => {}),
});
