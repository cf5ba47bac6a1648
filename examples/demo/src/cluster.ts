// The demo's "cluster": any core Store (the embedded MemoryStore, or KubernetesStore over HTTP) plus the
// kubectl-style actions the walkthrough performs (apply through the webhooks, create workloads, stand in for
// kubelet). A ClusterAdapter shapes objects for a real API server; the default keeps them as written.
import {
  DEFAULT_CLUSTER_SETTINGS,
  defaultIPPool,
  defaultMultusConfig,
  type FieldError,
  formatFieldErrors,
  type KubeObject,
  type ObjectRef,
  type SpiderIPPool,
  type SpiderMultusConfig,
  type SpiderSubnet,
  type Store,
  validateIPPoolCreate,
  validateMultusConfigCreate,
} from '@spiderpool-ts/core';

/** How objects reach a real API server: Pods need containers, live controllers must not fight the demo. */
export interface ClusterAdapter {
  /** The object to create, or undefined to skip it (e.g. bookkeeping workload objects). */
  prepare(obj: KubeObject): KubeObject | undefined;
  /** `kubectl delete pod` as the node would finish it (a node without kubelet never confirms graceful deletion). */
  deletePod(store: Store, ref: ObjectRef): Promise<string | undefined>;
  /** A create refused for a passing reason (a new namespace's ServiceAccount not there yet): try again. */
  retryCreate?(message: string): boolean;
}

export interface Cluster {
  store: Store;
  /** Where the objects live, for the demo's lines ("the in-memory store", "the API-server emulator"). */
  label: string;
  /**
   * An API server (emulated or real): it applies the CRD schema defaults, watch events need time to land
   * (settleMs), and long loops print progress.
   */
  remote: boolean;
  settleMs: number;
  /** Every object this demo created (in order), for a cleanup on a shared cluster. */
  created: ObjectRef[];
  /** `kubectl apply` of a SpiderIPPool: mutating webhook, validating webhook, then the store. */
  applyPool(pool: SpiderIPPool): Promise<string | undefined>;
  /** `kubectl apply` of a SpiderMultusConfig (webhooks as above). */
  applyMultusConfig(smc: SpiderMultusConfig): Promise<string | undefined>;
  create<T extends KubeObject>(obj: T): Promise<T>;
  /** Creates unless it already exists (namespaces and the like on a real cluster). */
  ensure(obj: KubeObject): Promise<void>;
  /** `kubectl delete pod`; an error message or undefined. */
  deletePod(ref: ObjectRef): Promise<string | undefined>;
}

export interface ClusterOptions {
  store: Store;
  label: string;
  remote?: boolean;
  settleMs?: number;
  adapter?: ClusterAdapter;
}

const list = async <T extends KubeObject>(store: Store, kind: string): Promise<T[]> => {
  const r = await store.list<T>(kind);
  return r.isOk() ? r.value.items : [];
};

const rejected = (errors: readonly FieldError[]): string | undefined =>
  errors.length === 0 ? undefined : `admission webhook denied the request: ${formatFieldErrors(errors)}`;

const refOf = (o: KubeObject): ObjectRef => ({
  kind: o.kind,
  name: o.metadata.name,
  ...(o.metadata.namespace === undefined ? {} : { namespace: o.metadata.namespace }),
});

const plainDelete = async (store: Store, ref: ObjectRef): Promise<string | undefined> => {
  const d = await store.delete(ref);
  return d.isErr() ? d.error.message : undefined;
};

export const createCluster = (o: ClusterOptions): Cluster => {
  const { store } = o;
  const created: ObjectRef[] = [];
  const create = async <T extends KubeObject>(obj: T): Promise<T> => {
    const prepared = o.adapter ? o.adapter.prepare(obj) : obj;
    if (prepared === undefined) return obj;
    let r = await store.create(prepared);
    for (let i = 0; i < 20 && r.isErr() && o.adapter?.retryCreate?.(r.error.message); i++) {
      await new Promise((done) => setTimeout(done, 250));
      r = await store.create(prepared);
    }
    if (r.isErr()) throw new Error(`create ${obj.kind} ${obj.metadata.name}: ${r.error.message}`);
    created.push(refOf(r.value));
    return r.value as T;
  };
  return {
    store,
    label: o.label,
    remote: o.remote ?? false,
    settleMs: o.settleMs ?? 0,
    created,
    create,
    async ensure(obj) {
      const got = await store.get(refOf(obj));
      if (got.isErr() && got.error._tag === 'NotFound') await create(obj);
    },
    deletePod: (ref) => (o.adapter ? o.adapter.deletePod(store, ref) : plainDelete(store, ref)),
    async applyPool(input) {
      const settings = DEFAULT_CLUSTER_SETTINGS;
      const subnets = await list<SpiderSubnet>(store, 'SpiderSubnet');
      const pool = defaultIPPool(input, { settings, subnets });
      const pools = await list<SpiderIPPool>(store, 'SpiderIPPool');
      const denied = rejected(validateIPPoolCreate(pool, { settings, pools, subnets }));
      if (denied !== undefined) return denied;
      await create(pool);
      return undefined;
    },
    async applyMultusConfig(input) {
      const smc = defaultMultusConfig(input, { apiserverDefaults: false });
      const nads = await list<KubeObject>(store, 'NetworkAttachmentDefinition');
      const netAttachDefs = new Map(
        nads.map((n) => [
          `${n.metadata.namespace}/${n.metadata.name}`,
          n.metadata.ownerReferences ? { ownerReferences: n.metadata.ownerReferences } : {},
        ]),
      );
      const denied = rejected(validateMultusConfigCreate(smc, { netAttachDefs }));
      if (denied !== undefined) return denied;
      await create(smc);
      return undefined;
    },
  };
};
