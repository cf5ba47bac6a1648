// CNI ADD (§3.6): Pod alive, top controller, endpoint lookup, then one of
//  - static retrieval (StatefulSet / KubeVirt): same name, new UID -> the recorded IPs, pool records' podUid
//    re-bound, endpoint uid/node updated; a StatefulSet NIC whose pools are no longer candidates is re-allocated;
//  - stateless repeat ADD (same UID, NIC recorded) -> the recorded answer; same-name recreate (UID mismatch)
//    -> old endpoint deleted, fresh allocation;
//  - standard mode: candidates, allocation, endpoint create/merge.
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import type { IPAllocationDetail, Pod, SpiderEndpoint } from '../api/index.ts';
import { KIND_POD, KIND_SPIDER_ENDPOINT, KIND_STATEFUL_SET } from '../api/index.ts';
import { mapAsync, orElseAsync } from '../result/index.ts';
import { storeUnavailable } from '../store/index.ts';
import { allocateNics, releaseTaken } from './allocateNics.ts';
import { podRoutes } from './annotationsRoutes.ts';
import { createOrMergeEndpoint, deleteEndpoint, endpointPoolIPs, updateEndpoint } from './endpoint.ts';
import { type EngineContext, getOptional } from './engineContext.ts';
import { loadSelection, type PodView, podView } from './enginePodView.ts';
import { type IpamError, podNotAlive, podNotFound, storeFailed } from './errors.ts';
import { bareIP, fromEndpointDetail, type IpamAddResult, toAddResult, toEndpointDetail } from './result.ts';
import { podNotAliveReason } from './topController.ts';
import type { IpamRequest } from './types.ts';

const findDetail = (ep: SpiderEndpoint, ifName: string): IPAllocationDetail | undefined =>
  ep.status.current.ips.find((d) => d.interface === ifName) ??
  ep.status.current.ips.find((d) => d.interface === '');

const answer = (ifName: string, d: IPAllocationDetail): IpamAddResult =>
  toAddResult(ifName, fromEndpointDetail(d, ifName));

/** Names a no-name multi-NIC item ("0", "1", ...): the first takes CNI_IFNAME, the others "" until their ADD. */
const endpointNicName = (nic: string, index: number, ifName: string): string =>
  /^\d+$/.test(nic) ? (index === 0 ? ifName : '') : nic;

/** The recorded entry for this NIC with `interface` filled in, written back when it was "". */
const claimDetail = (
  ctx: EngineContext,
  v: PodView,
  ep: SpiderEndpoint,
  d: IPAllocationDetail,
  patch: { uid: string; node: string } | undefined,
): ResultAsync<IpamAddResult, IpamError> => {
  if (d.interface === v.ifName && patch === undefined) return okAsync(answer(v.ifName, d));
  return mapAsync(
    updateEndpoint(ctx.store, v.namespace, ep.metadata.name, (cur) => {
      const ips = [...cur.status.current.ips];
      const i = ips.findIndex((x) => x.interface === v.ifName);
      const j = i >= 0 ? i : ips.findIndex((x) => x.interface === '');
      if (j >= 0) ips[j] = { ...(ips[j] as IPAllocationDetail), interface: v.ifName };
      return { ...cur, status: { ...cur.status, current: { ...cur.status.current, ...patch, ips } } };
    }),
    () => answer(v.ifName, { ...d, interface: v.ifName }),
  );
};

/** Re-binds every IP the endpoint records to the Pod's current UID (no-op writes when already bound). */
const rebindAll = (ctx: EngineContext, v: PodView, ep: SpiderEndpoint): ResultAsync<void, IpamError> =>
  ep.status.current.uid === v.uid
    ? okAsync(undefined)
    : mapAsync(
        ResultAsync.combine(
          endpointPoolIPs(ep.status.current.ips).map((p) =>
            ctx.writer.submit(p.pool, { kind: 'rebind', ip: p.ip, pod: v.podKey, podUid: v.uid }),
          ),
        ),
        () => undefined,
      );

/** StatefulSet / KubeVirt: re-bind every recorded IP to the new UID, then answer from the record. */
const staticRetrieve = (
  ctx: EngineContext,
  v: PodView,
  ep: SpiderEndpoint,
  d: IPAllocationDetail,
): ResultAsync<IpamAddResult, IpamError> => {
  if (ep.status.current.uid === v.uid) return claimDetail(ctx, v, ep, d, undefined);
  return rebindAll(ctx, v, ep).andThen(() => claimDetail(ctx, v, ep, d, { uid: v.uid, node: v.node }));
};

/** StatefulSet: the NIC's recorded pools must still be candidates, else that NIC is released and re-allocated. */
const stsPoolsChanged = (
  ctx: EngineContext,
  v: PodView,
  d: IPAllocationDetail,
): ResultAsync<boolean, IpamError> =>
  mapAsync(loadSelection(ctx, v), (sel) => {
    if (sel.candidates.isErr()) return false;
    const nic = sel.candidates.value.find((n) => n.nic === v.ifName) ?? sel.candidates.value[0];
    const pools = new Set(nic?.versions.flatMap((vc) => vc.pools) ?? []);
    return [d.ipv4Pool, d.ipv6Pool].some((p) => p !== undefined && !pools.has(p));
  });

const standard = (
  ctx: EngineContext,
  v: PodView,
  ep: SpiderEndpoint | undefined,
): ResultAsync<IpamAddResult, IpamError> =>
  loadSelection(ctx, v).andThen((sel) => {
    if (sel.candidates.isErr()) return errAsync(sel.candidates.error);
    const routes = podRoutes(v.pod);
    if (routes.isErr()) return errAsync(routes.error);
    const candidates = sel.candidates.value;
    const avoid = new Set(endpointPoolIPs(ep?.status.current.ips ?? []).map((p) => p.ip));
    const pools = new Map(sel.pools.map((p) => [p.metadata.name, p] as const));
    return allocateNics(ctx, {
      candidates,
      pools,
      podKey: v.podKey,
      podUid: v.uid,
      avoid,
      routes: routes.value,
    }).andThen((perNic) => {
      const taken = perNic.flat().map((ip) => ({ pool: ip.pool, ip: bareIP(ip.address) }));
      if (ctx.hooks.afterPoolWrite?.(v.req) === true)
        return errAsync(
          storeFailed(
            storeUnavailable(
              { kind: KIND_SPIDER_ENDPOINT, name: v.endpointName },
              'agent stopped after the pool write (test hook)',
            ),
          ),
        );
      const details = candidates.map((nic, i) =>
        toEndpointDetail(endpointNicName(nic.nic, i, v.ifName), perNic[i] ?? []),
      );
      const created = createOrMergeEndpoint(ctx.store, {
        namespace: v.namespace,
        name: v.endpointName,
        pod: v.pod,
        podUid: v.uid,
        node: v.node,
        controller: v.controller,
        static: v.isStatic,
        ips: details,
      });
      return mapAsync(
        orElseAsync(created, (e) => releaseTaken(ctx, v.uid, taken).andThen(() => errAsync(e))),
        () => {
          const mine = details.findIndex((d) => d.interface === v.ifName);
          const idx = Math.max(mine, 0);
          return toAddResult(
            v.ifName,
            (perNic[idx] ?? []).map((ip) => ({ ...ip, nic: v.ifName })),
          );
        },
      );
    });
  });

export const allocateFlow = (ctx: EngineContext, req: IpamRequest): ResultAsync<IpamAddResult, IpamError> =>
  getOptional<Pod>(ctx.store, { kind: KIND_POD, namespace: req.podNamespace, name: req.podName })
    .andThen((pod) => (pod ? okAsync(pod) : errAsync(podNotFound(req.podNamespace, req.podName))))
    .andThen((pod) => {
      const reason = podNotAliveReason(pod);
      return reason === undefined
        ? podView(ctx, req, pod)
        : errAsync(podNotAlive(req.podNamespace, req.podName, reason));
    })
    .andThen((v) =>
      getOptional<SpiderEndpoint>(ctx.store, {
        kind: KIND_SPIDER_ENDPOINT,
        namespace: v.namespace,
        name: v.endpointName,
      }).andThen((ep): ResultAsync<IpamAddResult, IpamError> => {
        if (ep === undefined) return standard(ctx, v, undefined);
        const d = findDetail(ep, v.ifName);
        if (v.isStatic) {
          if (d === undefined) return rebindAll(ctx, v, ep).andThen(() => standard(ctx, v, ep));
          if (v.controller.kind !== KIND_STATEFUL_SET) return staticRetrieve(ctx, v, ep, d);
          return stsPoolsChanged(ctx, v, d).andThen((changed) => {
            if (!changed) return staticRetrieve(ctx, v, ep, d);
            // Pools changed: release every recorded IP and start over (Spiderpool re-allocates the changed
            // NIC; we re-allocate all, so no NIC keeps a record under the old UID).
            return releaseTaken(ctx, ep.status.current.uid, endpointPoolIPs(ep.status.current.ips))
              .andThen(() => deleteEndpoint(ctx.store, v.namespace, v.endpointName))
              .andThen(() => standard(ctx, v, undefined));
          });
        }
        if (ep.status.current.uid !== v.uid)
          return deleteEndpoint(ctx.store, v.namespace, v.endpointName).andThen(() =>
            standard(ctx, v, undefined),
          );
        if (d !== undefined) return claimDetail(ctx, v, ep, d, undefined);
        return standard(ctx, v, ep);
      }),
    );
