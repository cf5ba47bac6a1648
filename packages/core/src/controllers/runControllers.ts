// A small reconcile loop: watches SpiderIPPools and SpiderSubnets and reconciles each changed object, one
// reconcile at a time per key (a key changed while its reconcile runs is reconciled once more afterwards).
// It runs on informers (controllers/informerLoop.ts): a failed watch is reported and recovered from.
// A pool change also reconciles the subnet named by its owner label. A SpiderIPBlock change (ADR 0029)
// reconciles its pool, so a block pool's allocatedIPCount trails its last block write by one reconcile (events
// arriving during a reconcile collapse into one more run). The SpiderIPBlock kind is watched only where it is
// served: on a cluster that ran Spiderpool without our CRD the loop runs on pools and subnets alone (one
// probing LIST at start; block pools cannot exist there). Stops when `signal` aborts.
import { okAsync, type ResultAsync } from 'neverthrow';
import type { KubeObject } from '../api/index.ts';
import { KIND_SPIDER_IPPOOL, KIND_SPIDER_SUBNET, LABEL_IPPOOL_OWNER_SUBNET } from '../api/index.ts';
import type { InformerError } from '../informer/errors.ts';
import { KIND_SPIDER_IP_BLOCK } from '../ipam/blocks/blockObject.ts';
import type { Store, WatchEvent } from '../store/index.ts';
import type { ControllerError } from './errors.ts';
import { type InformerLoopOptions, startInformerLoop } from './informerLoop.ts';
import { reconcilePool } from './poolStatus.ts';
import { reconcileSubnet } from './subnetReconcile.ts';
import type { AbortSignalLike, ControllersHandle } from './watchLoop.ts';

export type { AbortSignalLike, ControllersHandle } from './watchLoop.ts';

export interface RunControllersOptions extends Omit<InformerLoopOptions, 'signal'> {
  signal: AbortSignalLike;
  /** Reconcile failures (the key is retried on its next change). */
  onError?: (key: string, error: ControllerError) => void;
}

type Key = `${'pool' | 'subnet'}/${string}`;

/** A label no object carries: the served-kind probe lists nothing. */
const SERVED_PROBE_LABEL = 'spiderpool-ts.io/served-probe';

export const runControllers = (
  store: Store,
  options: RunControllersOptions,
): ResultAsync<ControllersHandle, InformerError> => {
  const running = new Map<Key, Promise<void>>();
  const again = new Set<Key>();

  const reconcile = (key: Key): ResultAsync<unknown, ControllerError> => {
    const name = key.slice(key.indexOf('/') + 1);
    return key.startsWith('pool/') ? reconcilePool(store, name) : reconcileSubnet(store, name);
  };

  const enqueue = (key: Key): void => {
    if (options.signal.aborted) return;
    if (running.has(key)) {
      again.add(key);
      return;
    }
    const run = async (): Promise<void> => {
      do {
        again.delete(key);
        const r = await reconcile(key);
        if (r.isErr()) options.onError?.(key, r.error);
      } while (again.has(key) && !options.signal.aborted);
      running.delete(key);
    };
    running.set(key, run());
  };

  const onEvent =
    (prefix: 'pool' | 'subnet') =>
    (ev: WatchEvent<KubeObject>): void => {
      if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED' && ev.type !== 'DELETED') return;
      if (ev.type !== 'DELETED') enqueue(`${prefix}/${ev.object.metadata.name}`);
      const owner = prefix === 'pool' ? ev.object.metadata.labels?.[LABEL_IPPOOL_OWNER_SUBNET] : undefined;
      if (owner !== undefined) enqueue(`subnet/${owner}`);
    };

  const onBlock = (ev: WatchEvent<KubeObject>): void => {
    if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED' && ev.type !== 'DELETED') return;
    const pool = (ev.object as { spec?: { pool?: unknown } }).spec?.pool;
    if (typeof pool === 'string' && pool !== '') enqueue(`pool/${pool}`);
  };

  // An unserved kind answers its LIST with Invalid ("resource not served"); anything else is left to the
  // informer, which reports and retries it. The probe selects a label no block has, so it moves no objects
  // (a 1M-IP block pool has thousands of blocks; the informer lists them once anyway).
  const blocksServed = store
    .list(KIND_SPIDER_IP_BLOCK, { labelSelector: { matchLabels: { [SERVED_PROBE_LABEL]: 'none' } } })
    .map(() => true)
    .orElse((e) => okAsync(e._tag !== 'Invalid'));
  return blocksServed.andThen((served) =>
    startInformerLoop(
      store,
      [
        { kind: KIND_SPIDER_IPPOOL, listener: onEvent('pool') },
        { kind: KIND_SPIDER_SUBNET, listener: onEvent('subnet') },
        ...(served ? [{ kind: KIND_SPIDER_IP_BLOCK, listener: onBlock }] : []),
      ],
      options,
      running,
    ),
  );
};
