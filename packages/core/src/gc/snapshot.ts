// What one GC pass reads, in an order that makes its snapshot safe against concurrent agents:
// pools first, then endpoints, then Pods. A record in the pool list was written after its Pod was created,
// and an endpoint after its Pod, so a Pod absent from the later Pod list really is gone (not "not yet seen").
// Workload kinds a store does not serve (Invalid: unknown kind) read as `undefined`: validity unknown.
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import type { KubeObject, Node, Pod, SpiderEndpoint, SpiderIPPool } from '../api/index.ts';
import {
  KIND_KUBEVIRT_VM,
  KIND_KUBEVIRT_VMI,
  KIND_POD,
  KIND_SPIDER_ENDPOINT,
  KIND_SPIDER_IPPOOL,
  KIND_STATEFUL_SET,
} from '../api/index.ts';
import { KIND_SPIDER_IP_BLOCK, type SpiderIPBlock } from '../ipam/blocks/blockObject.ts';
import { isBlockPool } from '../ipam/blocks/format.ts';
import { type IpamError, storeFailed } from '../ipam/errors.ts';
import type { StatefulSetLike } from '../ipam/workloadValidity.ts';
import type { Store } from '../store/index.ts';

/** `namespace/name` -> object. */
export type ByKey<T> = ReadonlyMap<string, T>;

export interface GcSnapshot {
  pools: SpiderIPPool[];
  /** Pool name -> its SpiderIPBlocks, for pools in the blocks format (ADR 0029); listed only when one exists. */
  blocks: ReadonlyMap<string, SpiderIPBlock[]>;
  endpoints: ByKey<SpiderEndpoint>;
  pods: ByKey<Pod>;
  /** node name -> Ready. */
  nodes: ReadonlyMap<string, boolean>;
  statefulSets: ByKey<StatefulSetLike> | undefined;
  vmis: ByKey<KubeObject> | undefined;
  vms: ByKey<KubeObject> | undefined;
}

export const objectKey = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

const byKey = <T extends KubeObject>(items: readonly T[]): Map<string, T> =>
  new Map(items.map((o) => [objectKey(o), o]));

const listAll = <T extends KubeObject>(store: Store, kind: string): ResultAsync<T[], IpamError> =>
  store
    .list<T>(kind)
    .map((l) => l.items)
    .mapErr(storeFailed);

/** A list that may be unavailable: a kind the store does not serve gives `undefined`. */
const listOptional = <T extends KubeObject>(
  store: Store,
  kind: string,
): ResultAsync<ByKey<T> | undefined, IpamError> =>
  store
    .list<T>(kind)
    .map((l): ByKey<T> | undefined => byKey(l.items))
    .orElse((e) => (e._tag === 'Invalid' ? okAsync(undefined) : errAsync(storeFailed(e))));

interface NodeCondition {
  type?: string;
  status?: string;
}

/** Node Ready condition (`IsNodeReady`): a condition of type Ready with status "True". */
export const isNodeReady = (node: Node): boolean => {
  const conditions = (node as { status?: { conditions?: NodeCondition[] } }).status?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
};

/** The blocks of the block pools among `pools` (one list of the kind; none when no pool uses the format). */
const blocksOf = (
  store: Store,
  pools: readonly SpiderIPPool[],
): ResultAsync<Map<string, SpiderIPBlock[]>, IpamError> => {
  const names = new Set(pools.filter(isBlockPool).map((p) => p.metadata.name));
  if (names.size === 0) return okAsync(new Map());
  return listAll<SpiderIPBlock>(store, KIND_SPIDER_IP_BLOCK).map((items) => {
    const out = new Map<string, SpiderIPBlock[]>();
    for (const b of items)
      if (names.has(b.spec?.pool)) out.set(b.spec.pool, [...(out.get(b.spec.pool) ?? []), b]);
    return out;
  });
};

export const loadGcSnapshot = (store: Store): ResultAsync<GcSnapshot, IpamError> =>
  listAll<SpiderIPPool>(store, KIND_SPIDER_IPPOOL).andThen((pools) =>
    blocksOf(store, pools).andThen((blocks) =>
      listAll<SpiderEndpoint>(store, KIND_SPIDER_ENDPOINT).andThen((endpoints) =>
        listAll<Pod>(store, KIND_POD).andThen((pods) =>
          ResultAsync.combine([
            listOptional<Node>(store, 'Node'),
            listOptional<StatefulSetLike>(store, KIND_STATEFUL_SET),
            listOptional<KubeObject>(store, KIND_KUBEVIRT_VMI),
            listOptional<KubeObject>(store, KIND_KUBEVIRT_VM),
          ] as const).map(([nodes, statefulSets, vmis, vms]) => ({
            pools,
            blocks,
            endpoints: byKey(endpoints),
            pods: byKey(pods),
            nodes: new Map(
              [...(nodes ?? new Map<string, Node>()).values()].map((n) => [n.metadata.name, isNodeReady(n)]),
            ),
            statefulSets,
            vmis,
            vms,
          })),
        ),
      ),
    ),
  );
