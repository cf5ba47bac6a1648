// SpiderEndpoint reads and writes (§1.3): one per Pod (KubeVirt: per VMI), finalizer, ownerReference to the
// Pod except for StatefulSet / KubeVirt Pods, status.current {uid, node, ips[]}, ownerControllerType/Name.
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { IPAllocationDetail, Pod, SpiderEndpoint } from '../api/index.ts';
import { KIND_SPIDER_ENDPOINT, SPIDER_FINALIZER, SPIDERPOOL_GROUP_VERSION } from '../api/index.ts';
import { mapAsync, mapErrAsync, orElseAsync } from '../result/index.ts';
import { modifyObject, type Store } from '../store/index.ts';
import { type IpamError, storeFailed } from './errors.ts';
import type { TopController } from './topController.ts';

export const endpointRef = (namespace: string, name: string) => ({
  kind: KIND_SPIDER_ENDPOINT,
  namespace,
  name,
});

export interface NewEndpoint {
  namespace: string;
  name: string;
  pod: Pod;
  podUid: string;
  node: string;
  controller: TopController;
  /** StatefulSet / KubeVirt: no ownerReference, so the record survives Pod re-creation. */
  static: boolean;
  ips: IPAllocationDetail[];
}

export const buildEndpoint = (e: NewEndpoint): SpiderEndpoint => ({
  apiVersion: SPIDERPOOL_GROUP_VERSION,
  kind: 'SpiderEndpoint',
  metadata: {
    namespace: e.namespace,
    name: e.name,
    finalizers: [SPIDER_FINALIZER],
    ...(e.static
      ? {}
      : { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: e.pod.metadata.name, uid: e.podUid }] }),
  },
  status: {
    current: { uid: e.podUid, node: e.node, ips: e.ips },
    ownerControllerType: e.controller.kind,
    ownerControllerName: e.controller.name,
  },
});

/** Replaces entries of the same interface (non-empty names) and appends the others. */
export const mergeDetails = (
  existing: readonly IPAllocationDetail[],
  added: readonly IPAllocationDetail[],
): IPAllocationDetail[] => {
  const names = new Set(added.map((d) => d.interface).filter((n) => n !== ''));
  return [...existing.filter((d) => !names.has(d.interface)), ...added];
};

/** Creates the endpoint, or (created meanwhile by another NIC's ADD) merges the new entries into it. */
export const createOrMergeEndpoint = (store: Store, e: NewEndpoint): ResultAsync<SpiderEndpoint, IpamError> =>
  orElseAsync(store.create(buildEndpoint(e)), (err) =>
    err._tag === 'AlreadyExists'
      ? updateEndpoint(store, e.namespace, e.name, (cur) => ({
          ...cur,
          status: {
            ...cur.status,
            current: { uid: e.podUid, node: e.node, ips: mergeDetails(cur.status.current.ips, e.ips) },
          },
        }))
      : errAsync(storeFailed(err)),
  );

export const updateEndpoint = (
  store: Store,
  namespace: string,
  name: string,
  mutate: (cur: SpiderEndpoint) => SpiderEndpoint | undefined,
): ResultAsync<SpiderEndpoint, IpamError> =>
  mapErrAsync(modifyObject<SpiderEndpoint>(store, endpointRef(namespace, name), mutate), storeFailed);

/** Strips the finalizer and deletes the endpoint; already gone is fine. */
export const deleteEndpoint = (
  store: Store,
  namespace: string,
  name: string,
): ResultAsync<void, IpamError> => {
  const unfinalized = modifyObject<SpiderEndpoint>(store, endpointRef(namespace, name), (cur) =>
    (cur.metadata.finalizers ?? []).includes(SPIDER_FINALIZER)
      ? {
          ...cur,
          metadata: {
            ...cur.metadata,
            finalizers: (cur.metadata.finalizers ?? []).filter((f) => f !== SPIDER_FINALIZER),
          },
        }
      : undefined,
  );
  const deleted = mapAsync(
    unfinalized.andThen(() => store.delete(endpointRef(namespace, name))),
    () => undefined,
  );
  return orElseAsync(deleted, (e) => (e._tag === 'NotFound' ? okAsync(undefined) : errAsync(storeFailed(e))));
};

/** Every (pool, bare IP) the endpoint records, for release / re-bind. */
export const endpointPoolIPs = (ips: readonly IPAllocationDetail[]): { pool: string; ip: string }[] => {
  const out: { pool: string; ip: string }[] = [];
  for (const d of ips) {
    if (d.ipv4 !== undefined && d.ipv4Pool !== undefined)
      out.push({ pool: d.ipv4Pool, ip: d.ipv4.split('/')[0] ?? d.ipv4 });
    if (d.ipv6 !== undefined && d.ipv6Pool !== undefined)
      out.push({ pool: d.ipv6Pool, ip: d.ipv6.split('/')[0] ?? d.ipv6 });
  }
  return out;
};
