// CNI DEL (§3.7): an alive Pod keeps everything (sandbox re-creation, same-UID re-ADD); a Pod without any
// known UID is left to GC; a valid StatefulSet / KubeVirt Pod keeps its endpoint and IPs; otherwise, when the
// endpoint belongs to this Pod UID, every IP of every NIC is released (records whose podUid matches only)
// and the endpoint deleted. An invalid StatefulSet / KubeVirt endpoint (scaled down, VM gone) is deleted too.
import { okAsync, ResultAsync } from 'neverthrow';
import type { KubeObject, Pod, SpiderEndpoint } from '../api/index.ts';
import {
  KIND_KUBEVIRT_VM,
  KIND_KUBEVIRT_VMI,
  KIND_POD,
  KIND_SPIDER_ENDPOINT,
  KIND_STATEFUL_SET,
} from '../api/index.ts';
import { deleteEndpoint, endpointPoolIPs } from './endpoint.ts';
import { type EngineContext, getOptional } from './engineContext.ts';
import { type IpamError, storeFailed } from './errors.ts';
import { isPodAlive, topController } from './topController.ts';
import type { IpamRequest } from './types.ts';
import {
  isValidStatefulSetPod,
  isValidVMPod,
  type StatefulSetLike,
  statefulSetPodOrdinal,
} from './workloadValidity.ts';

/** Whether a StatefulSet / KubeVirt endpoint still owns its IPs; undefined for other endpoints. */
const staticStillValid = (
  ctx: EngineContext,
  ep: SpiderEndpoint,
  podName: string,
): ResultAsync<boolean | undefined, IpamError> => {
  const ns = ep.metadata.namespace ?? '';
  const type = ep.status.ownerControllerType;
  if (type === KIND_STATEFUL_SET && ctx.settings.enableStatefulSet) {
    const parent = statefulSetPodOrdinal(podName)?.parent;
    if (parent === undefined) return okAsync(false);
    return getOptional<StatefulSetLike>(ctx.store, {
      kind: KIND_STATEFUL_SET,
      namespace: ns,
      name: parent,
    }).map((sts) => isValidStatefulSetPod(podName, sts));
  }
  if (type === KIND_KUBEVIRT_VMI && ctx.settings.enableKubevirtStaticIP) {
    const name = ep.metadata.name;
    return ResultAsync.combine([
      getOptional<KubeObject>(ctx.store, { kind: KIND_KUBEVIRT_VMI, namespace: ns, name }),
      getOptional<KubeObject>(ctx.store, { kind: KIND_KUBEVIRT_VM, namespace: ns, name }),
    ] as const).map(([vmi, vm]) => isValidVMPod(vmi, vm));
  }
  return okAsync(undefined);
};

/** Releases every IP the endpoint records (only records carrying `podUid`). */
export const releaseEndpointIPs = (
  ctx: EngineContext,
  ep: SpiderEndpoint,
  podUid: string,
): ResultAsync<string[], IpamError> => {
  const byPool = new Map<string, string[]>();
  for (const { pool, ip } of endpointPoolIPs(ep.status.current.ips))
    byPool.set(pool, [...(byPool.get(pool) ?? []), ip]);
  return ResultAsync.combine(
    [...byPool].map(([pool, ips]) => ctx.writer.submit(pool, { kind: 'release', podUid, ips })),
  ).map((freed) => freed.flat());
};

/**
 * The endpoint by name; when the Pod is already gone (`orphanUid`) and no endpoint has its name, the one
 * recording that UID (a KubeVirt endpoint is named after the VMI, which only the Pod's owner reference
 * told; Spiderpool leaves this case to GC).
 */
const findEndpoint = (
  ctx: EngineContext,
  namespace: string,
  name: string,
  orphanUid: string | undefined,
): ResultAsync<SpiderEndpoint | undefined, IpamError> =>
  getOptional<SpiderEndpoint>(ctx.store, { kind: KIND_SPIDER_ENDPOINT, namespace, name }).andThen((ep) =>
    ep !== undefined || orphanUid === undefined
      ? okAsync(ep)
      : ctx.store
          .list<SpiderEndpoint>(KIND_SPIDER_ENDPOINT, { namespace })
          .mapErr(storeFailed)
          .map((l) => l.items.find((e) => e.status.current.uid === orphanUid)),
  );

/**
 * `force`: Spiderpool's `DELETE /ipam/ips` (`ReleaseIPs`), used after an IP conflict or unreachable gateway
 * is detected at ADD: releases even though the Pod is alive (fixed-IP workloads excepted).
 */
export const releaseFlow = (
  ctx: EngineContext,
  req: IpamRequest,
  force = false,
): ResultAsync<void, IpamError> =>
  getOptional<Pod>(ctx.store, { kind: KIND_POD, namespace: req.podNamespace, name: req.podName }).andThen(
    (pod) => {
      if (pod !== undefined && isPodAlive(pod) && !force) return okAsync(undefined);
      const uid = pod?.metadata.uid ?? req.podUid;
      if (uid === undefined || uid === '') return okAsync(undefined);
      const top = pod ? topController(pod) : undefined;
      const epName =
        top?.kind === KIND_KUBEVIRT_VMI && ctx.settings.enableKubevirtStaticIP ? top.name : req.podName;
      return findEndpoint(ctx, req.podNamespace, epName, pod === undefined ? uid : undefined).andThen(
        (ep) => {
          if (ep === undefined) return okAsync(undefined);
          const name = ep.metadata.name;
          return staticStillValid(ctx, ep, req.podName).andThen((valid) => {
            if (valid === true) return okAsync(undefined);
            const mine = ep.status.current.uid === uid;
            if (!mine && valid === undefined) return okAsync(undefined);
            const freed = mine
              ? releaseEndpointIPs(ctx, ep, uid).map(() => undefined)
              : okAsync<undefined, IpamError>(undefined);
            return freed.andThen(() => deleteEndpoint(ctx.store, req.podNamespace, name));
          });
        },
      );
    },
  );
