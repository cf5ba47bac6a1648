// The demo's embedded "cluster": a MemoryStore plus the kubectl-style actions the walkthrough performs
// (apply through the webhooks, create workloads, stand in for kubelet).
import {
  createMemoryStore,
  DEFAULT_CLUSTER_SETTINGS,
  defaultIPPool,
  defaultMultusConfig,
  type FieldError,
  formatFieldErrors,
  type KubeObject,
  type MemoryStore,
  type Namespace,
  type Node,
  type Pod,
  SPIDERPOOL_GROUP_VERSION,
  type SpiderIPPool,
  type SpiderMultusConfig,
  type SpiderSubnet,
  validateIPPoolCreate,
  validateMultusConfigCreate,
} from '@spiderpool-ts/core';

export interface Cluster {
  store: MemoryStore;
  /** `kubectl apply` of a SpiderIPPool: mutating webhook, validating webhook, then the store. */
  applyPool(pool: SpiderIPPool): Promise<string | undefined>;
  /** `kubectl apply` of a SpiderMultusConfig (webhooks as above). */
  applyMultusConfig(smc: SpiderMultusConfig): Promise<string | undefined>;
  create<T extends KubeObject>(obj: T): Promise<T>;
}

const list = async <T extends KubeObject>(store: MemoryStore, kind: string): Promise<T[]> => {
  const r = await store.list<T>(kind);
  return r.isOk() ? r.value.items : [];
};

const rejected = (errors: readonly FieldError[]): string | undefined =>
  errors.length === 0 ? undefined : `admission webhook denied the request: ${formatFieldErrors(errors)}`;

export const createCluster = (now: () => Date = () => new Date()): Cluster => {
  const store = createMemoryStore({ now });
  const create = async <T extends KubeObject>(obj: T): Promise<T> => {
    const r = await store.create(obj);
    if (r.isErr()) throw new Error(`create ${obj.kind} ${obj.metadata.name}: ${r.error.message}`);
    return r.value;
  };
  return {
    store,
    create,
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

export const namespace = (name: string): Namespace => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name },
});

export const node = (name: string): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' } },
});

export const spiderPool = (name: string, spec: SpiderIPPool['spec']): SpiderIPPool => ({
  apiVersion: SPIDERPOOL_GROUP_VERSION,
  kind: 'SpiderIPPool',
  metadata: { name },
  spec,
});

export interface ReplicaSetRef {
  name: string;
  uid: string;
  hash: string;
}

/** A Pod of a Deployment's ReplicaSet, scheduled to `nodeName`, as the ReplicaSet controller creates it. */
export const deploymentPod = (
  ns: string,
  rs: ReplicaSetRef,
  suffix: string,
  spec: { nodeName: string; annotations: Record<string, string>; labels: Record<string, string> },
): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    namespace: ns,
    name: `${rs.name}-${suffix}`,
    labels: { ...spec.labels, 'pod-template-hash': rs.hash },
    annotations: spec.annotations,
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: rs.name,
        uid: rs.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  },
  spec: { nodeName: spec.nodeName },
  status: { phase: 'Pending' },
});
