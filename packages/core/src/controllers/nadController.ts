// The NetworkAttachmentDefinition controller loop: watches SpiderMultusConfigs and NADs in all namespaces and
// reconciles the SMC concerned (nadReconcile.ts). A NAD change or deletion (someone edited or deleted it)
// wakes its controlling SMC, which repairs or re-creates it; deleting a foreign NAD wakes the SMC of that
// name, which may now create its own. It runs on informers (informerLoop.ts): a dropped watch or a 410 is
// recovered from, and a resync re-delivery re-checks every NAD. Stops when `signal` aborts.
import type { ResultAsync } from 'neverthrow';
import type { KubeObject } from '../api/index.ts';
import { KIND_NETWORK_ATTACHMENT_DEFINITION, KIND_SPIDER_MULTUS_CONFIG } from '../api/index.ts';
import type { InformerError } from '../informer/errors.ts';
import type { Store, WatchEvent } from '../store/index.ts';
import { type InformerLoopOptions, startInformerLoop } from './informerLoop.ts';
import { createKeyedQueue } from './keyedQueue.ts';
import type { NadControllerError } from './nadErrors.ts';
import { type NadReconcileOptions, type NadReconcileOutcome, reconcileMultusConfig } from './nadReconcile.ts';
import type { AbortSignalLike, ControllersHandle } from './watchLoop.ts';

export interface NadControllerOptions extends NadReconcileOptions, Omit<InformerLoopOptions, 'signal'> {
  signal: AbortSignalLike;
  /** A reconcile failed, e.g. NadNotOwned (the SMC is retried on its next change or its NAD's). */
  onError?: (key: string, error: NadControllerError) => void;
  /** A reconcile finished (`namespace/name` of the SMC). */
  onReconciled?: (key: string, outcome: NadReconcileOutcome) => void;
}

const isChange = (
  ev: WatchEvent<KubeObject>,
): ev is Extract<WatchEvent<KubeObject>, { object: KubeObject }> =>
  ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED';

export const runNadController = (
  store: Store,
  options: NadControllerOptions,
): ResultAsync<ControllersHandle, InformerError> => {
  const queue = createKeyedQueue<string>(options.signal, async (key) => {
    const slash = key.indexOf('/');
    const ref = { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
    const r = await reconcileMultusConfig(store, ref, options);
    if (r.isErr()) options.onError?.(key, r.error);
    else options.onReconciled?.(key, r.value);
  });
  const onSmc = (ev: WatchEvent<KubeObject>): void => {
    if (isChange(ev)) queue.enqueue(`${ev.object.metadata.namespace ?? ''}/${ev.object.metadata.name}`);
  };
  const onNad = (ev: WatchEvent<KubeObject>): void => {
    if (!isChange(ev)) return;
    const ns = ev.object.metadata.namespace ?? '';
    const owner = (ev.object.metadata.ownerReferences ?? []).find((r) => r.controller === true);
    if (owner?.kind === KIND_SPIDER_MULTUS_CONFIG) queue.enqueue(`${ns}/${owner.name}`);
    else if (ev.type === 'DELETED') queue.enqueue(`${ns}/${ev.object.metadata.name}`);
  };
  return startInformerLoop(
    store,
    [
      { kind: KIND_SPIDER_MULTUS_CONFIG, listener: onSmc },
      { kind: KIND_NETWORK_ATTACHMENT_DEFINITION, listener: onNad },
    ],
    options,
    queue.running,
  );
};
