// What the ADD/DEL/explain flows know about the Pod of a request: its top controller (the ReplicaSet or Job
// owner fetched so Deployment / CronJob are found), endpoint name and record key (KubeVirt: the VMI name),
// whether its IPs are fixed, and — loaded on demand — the pools, Namespace and Node for candidate selection.
import { okAsync, type Result, ResultAsync } from 'neverthrow';
import type { KubeObject, Namespace, Node, Pod, SpiderIPPool } from '../api/index.ts';
import {
  KIND_JOB,
  KIND_KUBEVIRT_VMI,
  KIND_REPLICA_SET,
  KIND_SPIDER_IPPOOL,
  KIND_STATEFUL_SET,
} from '../api/index.ts';
import { mapAsync, mapErrAsync } from '../result/index.ts';
import { collectCandidates, selectCandidates } from './candidates.ts';
import { type EngineContext, getOptional } from './engineContext.ts';
import { type IpamError, storeFailed } from './errors.ts';
import { controllerOf, type TopController, topController } from './topController.ts';
import type { IpamRequest, NicCandidates } from './types.ts';

export interface PodView {
  req: IpamRequest;
  pod: Pod;
  namespace: string;
  ifName: string;
  uid: string;
  node: string;
  controller: TopController;
  endpointName: string;
  /** `ns/name` written in pool records. */
  podKey: string;
  /** StatefulSet (enableStatefulSet) or KubeVirt VMI (enableKubevirtStaticIP): fixed IPs. */
  isStatic: boolean;
}

/** Builds the view, fetching the Pod's ReplicaSet / Job owner (if any) to resolve its top controller. */
export const podView = (ctx: EngineContext, req: IpamRequest, pod: Pod): ResultAsync<PodView, IpamError> => {
  const ns = pod.metadata.namespace ?? req.podNamespace;
  const ref = controllerOf(pod);
  const needsOwner = ref !== undefined && (ref.kind === KIND_REPLICA_SET || ref.kind === KIND_JOB);
  const owner: ResultAsync<KubeObject | undefined, IpamError> = needsOwner
    ? getOptional<KubeObject>(ctx.store, { kind: ref.kind, namespace: ns, name: ref.name })
    : okAsync(undefined);
  return mapAsync(owner, (o) => {
    const controller = topController(
      pod,
      o
        ? (kind, namespace, name) =>
            kind === o.kind && namespace === ns && name === o.metadata.name ? o : undefined
        : undefined,
    );
    const isVmi = controller.kind === KIND_KUBEVIRT_VMI && ctx.settings.enableKubevirtStaticIP;
    const isSts = controller.kind === KIND_STATEFUL_SET && ctx.settings.enableStatefulSet;
    const endpointName = isVmi ? controller.name : pod.metadata.name;
    return {
      req,
      pod,
      namespace: ns,
      ifName: req.ifName,
      uid: pod.metadata.uid ?? req.podUid ?? '',
      node: pod.spec?.nodeName ?? ctx.nodeName,
      controller,
      endpointName,
      podKey: `${ns}/${endpointName}`,
      isStatic: isVmi || isSts,
    };
  });
};

export interface Selection {
  pools: SpiderIPPool[];
  candidates: Result<NicCandidates[], IpamError>;
}

/** Lists pools, reads Namespace and Node, runs selection (`lenient`: keep all-filtered families, for explain). */
export const loadSelection = (
  ctx: EngineContext,
  v: PodView,
  lenient = false,
): ResultAsync<Selection, IpamError> =>
  mapAsync(
    ResultAsync.combine([
      mapErrAsync(ctx.store.list<SpiderIPPool>(KIND_SPIDER_IPPOOL), storeFailed),
      getOptional<Namespace>(ctx.store, { kind: 'Namespace', name: v.namespace }),
      getOptional<Node>(ctx.store, { kind: 'Node', name: v.node }),
    ] as const),
    ([list, namespace, node]) => {
      const pools = (list as { items: SpiderIPPool[] }).items;
      ctx.cache.prune(new Set(pools.map((p) => p.metadata.name)));
      const input = {
        pod: v.pod,
        namespace: namespace as Namespace | undefined,
        node: node as Node | undefined,
        ifName: v.ifName,
        ipamConfig: v.req.ipamConfig,
        pools,
        settings: ctx.settings,
        controller: v.controller,
      };
      return { pools, candidates: lenient ? collectCandidates(input) : selectCandidates(input) };
    },
  );
