// The agent's `GET /v1/coordinator/config` handler: reads SpiderCoordinator `default` and the Pod from the
// Store, as Spiderpool's agent does. Phase other than Synced → 500 `CoordinatorNotReady` ("spidercoordinator:
// default no ready"); no SpiderCoordinator → 500 `CoordinatorNotFound`; the Pod unreadable → 500 on ADD, but
// on DEL (header `X-Spiderpool-CNI-Command: DEL`) the global config is answered without it.
import {
  ANNO_DEFAULT_ROUTE_NIC,
  DEFAULT_COORDINATOR_NAME,
  type Pod,
  type SpiderCoordinator,
  type Store,
} from '@spiderpool-ts/core';
import type { CoordinatorConfigAnswer } from './coordinatorProtocol.ts';
import type { AgentHttpReply } from './handlers.ts';

export interface CoordinatorConfigQuery {
  podNamespace: string;
  podName: string;
  /** The CNI command the plugin runs (header); DEL tolerates a missing Pod. */
  cniCommand: string;
}

const problem = (status: number, _tag: string, message: string): AgentHttpReply => ({
  status,
  body: { _tag, message },
});

/** Query parameters first, then a JSON body `{ podNamespace, podName }` (Spiderpool's client sends a body). */
export const coordinatorQueryOf = (
  url: URL,
  body: unknown,
  cniCommand: string | undefined,
): CoordinatorConfigQuery | undefined => {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const pick = (k: string): string => {
    const q = url.searchParams.get(k);
    if (q !== null && q !== '') return q;
    return typeof b[k] === 'string' ? (b[k] as string) : '';
  };
  const podNamespace = pick('podNamespace');
  const podName = pick('podName');
  if (podNamespace === '' || podName === '') return undefined;
  return { podNamespace, podName, cniCommand: (cniCommand ?? '').toUpperCase() };
};

export const handleCoordinatorConfig = async (
  store: Store,
  q: CoordinatorConfigQuery,
): Promise<AgentHttpReply> => {
  const got = await store.get<SpiderCoordinator>({
    kind: 'SpiderCoordinator',
    name: DEFAULT_COORDINATOR_NAME,
  });
  if (got.isErr())
    return got.error._tag === 'NotFound'
      ? problem(500, 'CoordinatorNotFound', 'coordinator config not found')
      : problem(500, got.error._tag, got.error.message);
  const coord = got.value;
  if (coord.status?.phase !== 'Synced')
    return problem(500, 'CoordinatorNotReady', `spidercoordinator: ${coord.metadata.name} no ready`);
  const isDel = q.cniCommand === 'DEL';
  let nic = coord.spec.podDefaultRouteNIC ?? '';
  const pod = await store.get<Pod>({ kind: 'Pod', namespace: q.podNamespace, name: q.podName });
  if (pod.isErr()) {
    if (!isDel)
      return problem(
        500,
        'PodNotFound',
        `failed to get pod ${q.podNamespace}/${q.podName}: ${pod.error.message}`,
      );
  } else if (!isDel) {
    const anno = pod.value.metadata.annotations?.[ANNO_DEFAULT_ROUTE_NIC];
    if (anno !== undefined) nic = anno;
  }
  const s = coord.spec;
  const answer: CoordinatorConfigAnswer = {
    mode: s.mode ?? 'auto',
    overlayPodCIDR: coord.status.overlayPodCIDR ?? [],
    serviceCIDR: coord.status.serviceCIDR ?? [],
    hijackCIDR: s.hijackCIDR ?? [],
    policyRoutes: (s.policyRoutes ?? []).map((r) => ({ dst: r.dst, gw: r.gw })),
    podMACPrefix: s.podMACPrefix ?? '',
    tunePodRoutes: s.tunePodRoutes ?? true,
    podDefaultRouteNIC: nic,
    hostRuleTable: s.hostRuleTable ?? 500,
    podRPFilter: s.podRPFilter ?? 0,
    txQueueLen: s.txQueueLen ?? 0,
    vethLinkAddress: s.vethLinkAddress ?? '',
    vethMTU: s.vethMTU ?? 1500,
  };
  return { status: 200, body: answer };
};
