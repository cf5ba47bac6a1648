// The SpiderSubnet controller over a Store: recompute the status from the pools labelled as controlled by
// the subnet (compare-and-swap on the subnet), and complete a terminating subnet's deletion once
// `controlledIPPools` is empty (§3.8 C).
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { SpiderIPPool, SpiderSubnet } from '../api/index.ts';
import {
  KIND_SPIDER_IPPOOL,
  KIND_SPIDER_SUBNET,
  LABEL_IPPOOL_OWNER_SUBNET,
  SPIDER_FINALIZER,
} from '../api/index.ts';
import { modifyObject, type Store } from '../store/index.ts';
import { type ControllerError, controllerStore } from './errors.ts';
import { computeSubnetStatus, type SubnetStatusOptions } from './subnetStatus.ts';

export type SubnetReconcileOutcome = 'absent' | 'finalizerRemoved' | 'statusUpdated' | 'unchanged';

const sameStatus = (a: SpiderSubnet['status'], b: SpiderSubnet['status']): boolean =>
  a?.controlledIPPools === b?.controlledIPPools &&
  a?.totalIPCount === b?.totalIPCount &&
  a?.allocatedIPCount === b?.allocatedIPCount;

const removeFinalizer = (
  store: Store,
  name: string,
): ResultAsync<SubnetReconcileOutcome, ControllerError> => {
  let removed = false;
  return modifyObject<SpiderSubnet>(store, { kind: KIND_SPIDER_SUBNET, name }, (current) => {
    removed = false;
    const finalizers = current.metadata.finalizers ?? [];
    const empty = current.status?.controlledIPPools === undefined;
    if (
      current.metadata.deletionTimestamp === undefined ||
      !empty ||
      !finalizers.includes(SPIDER_FINALIZER)
    ) {
      return undefined;
    }
    removed = true;
    return {
      ...current,
      metadata: { ...current.metadata, finalizers: finalizers.filter((f) => f !== SPIDER_FINALIZER) },
    };
  })
    .map((): SubnetReconcileOutcome => (removed ? 'finalizerRemoved' : 'unchanged'))
    .orElse((e) =>
      e._tag === 'NotFound'
        ? okAsync<SubnetReconcileOutcome, ControllerError>('absent')
        : errAsync(controllerStore(e)),
    );
};

/** Recomputes one subnet's status; removes its finalizer when it is terminating and controls no pool. */
export const reconcileSubnet = (
  store: Store,
  name: string,
  options: SubnetStatusOptions = {},
): ResultAsync<SubnetReconcileOutcome, ControllerError> =>
  store
    .list<SpiderIPPool>(KIND_SPIDER_IPPOOL, {
      labelSelector: { matchLabels: { [LABEL_IPPOOL_OWNER_SUBNET]: name } },
    })
    .mapErr(controllerStore)
    .andThen((pools) => {
      let failure: ControllerError | undefined;
      let wrote = false;
      return modifyObject<SpiderSubnet>(
        store,
        { kind: KIND_SPIDER_SUBNET, name },
        (current) => {
          wrote = false;
          const computed = computeSubnetStatus(current, pools.items, options);
          if (computed.isErr()) {
            failure = computed.error;
            return undefined;
          }
          failure = undefined;
          if (sameStatus(current.status, computed.value.status)) return undefined;
          wrote = true;
          return { ...current, status: computed.value.status };
        },
        { status: true },
      )
        .map((s): SpiderSubnet | undefined => s)
        .orElse((e) => (e._tag === 'NotFound' ? okAsync(undefined) : errAsync(controllerStore(e))))
        .andThen((subnet): ResultAsync<SubnetReconcileOutcome, ControllerError> => {
          if (subnet === undefined) return okAsync('absent');
          if (failure !== undefined) return errAsync(failure);
          if (
            subnet.metadata.deletionTimestamp !== undefined &&
            subnet.status?.controlledIPPools === undefined
          ) {
            return removeFinalizer(store, name);
          }
          return okAsync(wrote ? 'statusUpdated' : 'unchanged');
        });
    });
