// The auto-pool watch loop (Spiderpool's application informers + work queue, reference §3.9): watches the
// six workload kinds and reconciles each changed application, one reconcile at a time per application key
// (a key changed during its reconcile runs once more afterwards). Auto-pool events wake the application
// again when it may now make progress: its pool was deleted or is terminating, or its last reconcile was
// waiting for the pool (a refused scale-down, a pool still holding records at deletion); subnet events wake
// applications whose last reconcile failed on the subnet (too few free IPs, subnet missing). The core has no
// clock, so there is no timed requeue: a host that wants one calls `reconcileApplicationPools` itself.
import type { Result, ResultAsync } from 'neverthrow';
import type { KubeObject, SpiderIPPool } from '../api/index.ts';
import {
  KIND_SPIDER_IPPOOL,
  KIND_SPIDER_SUBNET,
  LABEL_IPPOOL_OWNER_APP_KIND,
  LABEL_IPPOOL_OWNER_APP_NAME,
  LABEL_IPPOOL_OWNER_APP_NAMESPACE,
} from '../api/index.ts';
import type { InformerError } from '../informer/errors.ts';
import type { Store, WatchEvent } from '../store/index.ts';
import { AUTO_POOL_APP_KINDS, type AutoPoolSettings } from './autoPoolApp.ts';
import type { ApplicationRef } from './autoPoolDelete.ts';
import type { AutoPoolControllerError } from './autoPoolErrors.ts';
import { type ApplicationReconcileOutcome, reconcileApplicationPools } from './autoPoolReconcile.ts';
import { type InformerLoopOptions, startInformerLoop } from './informerLoop.ts';
import type { AbortSignalLike, ControllersHandle } from './watchLoop.ts';

export interface AutoPoolControllerOptions extends Omit<InformerLoopOptions, 'signal'> {
  signal: AbortSignalLike;
  settings?: Partial<AutoPoolSettings>;
  /** Reconcile failures (the application is retried on its next change or pool event). */
  onError?: (app: ApplicationRef, error: AutoPoolControllerError) => void;
  /** Every finished reconcile (for logs, events and tests). */
  onOutcome?: (app: ApplicationRef, outcome: ApplicationReconcileOutcome) => void;
}

const keyOf = (ref: ApplicationRef): string => `${ref.kind}/${ref.namespace}/${ref.name}`;

type Wait = 'pool' | 'subnet';

/** What a later change may let a failed or unfinished reconcile progress on. */
const waitsFor = (r: Result<ApplicationReconcileOutcome, AutoPoolControllerError>): Wait | undefined => {
  if (r.isOk()) return r.value.pools.some((c) => c.action === 'deletePending') ? 'pool' : undefined;
  switch (r.error._tag) {
    case 'FreeIPsNotEnough':
    case 'AllocationOutsideReservation':
      return 'pool';
    case 'InsufficientSubnetIPs':
    case 'SubnetNotFound':
    case 'SubnetVersionMismatch':
    case 'InvalidSubnetSpec':
      return 'subnet';
    default:
      return undefined;
  }
};

export const runAutoPoolController = (
  store: Store,
  options: AutoPoolControllerOptions,
): ResultAsync<ControllersHandle, InformerError> => {
  const running = new Map<string, Promise<void>>();
  const again = new Map<string, ApplicationRef>();
  const waiting = new Map<string, { ref: ApplicationRef; on: Wait }>();
  const opts = options.settings === undefined ? {} : { settings: options.settings };

  const enqueue = (ref: ApplicationRef): void => {
    if (options.signal.aborted) return;
    const key = keyOf(ref);
    if (running.has(key)) {
      // keep a known UID (a DELETED event) over an unknown one
      const prev = again.get(key);
      again.set(key, ref.uid === undefined && prev?.uid !== undefined ? prev : ref);
      return;
    }
    const run = async (first: ApplicationRef): Promise<void> => {
      let next: ApplicationRef | undefined = first;
      while (next !== undefined && !options.signal.aborted) {
        const ref: ApplicationRef = next;
        again.delete(key);
        const r = await reconcileApplicationPools(store, ref, opts);
        const on = waitsFor(r);
        if (on === undefined) waiting.delete(key);
        else waiting.set(key, { ref: { kind: ref.kind, namespace: ref.namespace, name: ref.name }, on });
        if (r.isErr()) options.onError?.(ref, r.error);
        else options.onOutcome?.(ref, r.value);
        next = again.get(key);
      }
      running.delete(key);
    };
    running.set(key, run(ref));
  };

  const onApp = (ev: WatchEvent<KubeObject>): void => {
    if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED' && ev.type !== 'DELETED') return;
    const m = ev.object.metadata;
    const ref: ApplicationRef = { kind: ev.object.kind, namespace: m.namespace ?? '', name: m.name };
    if (ev.type === 'DELETED' && m.uid !== undefined) ref.uid = m.uid;
    enqueue(ref);
  };

  const onPool = (ev: WatchEvent<SpiderIPPool>): void => {
    if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED' && ev.type !== 'DELETED') return;
    const l = ev.object.metadata.labels ?? {};
    const kind = l[LABEL_IPPOOL_OWNER_APP_KIND];
    const namespace = l[LABEL_IPPOOL_OWNER_APP_NAMESPACE];
    const name = l[LABEL_IPPOOL_OWNER_APP_NAME];
    if (kind === undefined || namespace === undefined || name === undefined) return;
    if (AUTO_POOL_APP_KINDS[kind] === undefined) return;
    const ref: ApplicationRef = { kind, namespace, name };
    const wake =
      ev.type === 'DELETED' ||
      ev.object.metadata.deletionTimestamp !== undefined ||
      waiting.get(keyOf(ref))?.on === 'pool';
    if (wake) enqueue(ref);
  };

  const onSubnet = (ev: WatchEvent<KubeObject>): void => {
    if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED' && ev.type !== 'DELETED') return;
    for (const w of [...waiting.values()]) if (w.on === 'subnet') enqueue(w.ref);
  };

  return startInformerLoop(
    store,
    [
      ...Object.keys(AUTO_POOL_APP_KINDS).map((kind) => ({ kind, listener: onApp })),
      { kind: KIND_SPIDER_IPPOOL, listener: (ev) => onPool(ev as WatchEvent<SpiderIPPool>) },
      { kind: KIND_SPIDER_SUBNET, listener: onSubnet },
    ],
    options,
    running,
  );
};
