// The storm's world: pools, the `storm` Namespace, Pods spread round-robin over the agents' Nodes, and the
// Nodes. Pools hold 2047 addresses each (10.<40+k>.0.1 - 10.<40+k>.7.255, all cluster defaults), enough of
// them for the Pods with 10 % to spare, so no pool passes Spiderpool's 5000-record cap.
import {
  encodeAllocatedIPs,
  type Pod,
  type PoolIPAllocation,
  type SpiderIPPool,
  type Store,
} from '@spiderpool-ts/core';

export const STORM_NAMESPACE = 'storm';
export const IPS_PER_POOL = 2047;

export interface WorldSpec {
  pods: number;
  agents: number;
}

export interface StormPod {
  name: string;
  /** The agent (node index) that runs its ADD. */
  agent: number;
}

export const poolCount = (spec: WorldSpec): number =>
  Math.max(1, Math.ceil((spec.pods * 1.1) / IPS_PER_POOL));
export const poolName = (k: number): string => (k === 0 ? 'storm' : `storm-${k}`);
export const nodeName = (agent: number): string => `node-${agent}`;

export const stormPool = (k: number): SpiderIPPool => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: { name: poolName(k) },
  spec: {
    subnet: `10.${40 + k}.0.0/16`,
    ips: [`10.${40 + k}.0.1-10.${40 + k}.7.255`],
    gateway: `10.${40 + k}.255.254`,
    default: true,
  },
});

export const stormPods = (spec: WorldSpec): StormPod[] =>
  Array.from({ length: spec.pods }, (_, i) => ({ name: `storm-${i}`, agent: i % spec.agents }));

const unwrap = <T>(r: { isErr(): boolean; _unsafeUnwrap(): T }, what: string): T => {
  if (r.isErr()) throw new Error(`seeding ${what} failed`);
  return r._unsafeUnwrap();
};

/** Creates the world in `store` (direct, not over HTTP: seeding is not measured). */
export const seedWorld = async (store: Store, spec: WorldSpec): Promise<StormPod[]> => {
  for (let k = 0; k < poolCount(spec); k++) unwrap(await store.create(stormPool(k)), `pool ${k}`);
  unwrap(
    await store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: STORM_NAMESPACE } }),
    'namespace',
  );
  const pods = stormPods(spec);
  for (const p of pods) {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { namespace: STORM_NAMESPACE, name: p.name },
      spec: { nodeName: nodeName(p.agent) },
      status: { phase: 'Running' },
    };
    unwrap(await store.create(pod), p.name);
  }
  for (let a = 0; a < spec.agents; a++)
    unwrap(
      await store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName(a) } }),
      nodeName(a),
    );
  return pods;
};

/**
 * Records for `perPool` Pods that are not in the storm (`storm/prefill-<k>-<i>`), on the lowest addresses of
 * every pool, written straight into `store`: a baseline that samples only the first Pods of a storm then runs
 * at the engine's mean fill, not on empty pools (its per-ADD cost grows with the records it parses).
 */
export const prefillPools = async (store: Store, spec: WorldSpec, perPool: number): Promise<void> => {
  for (let k = 0; k < poolCount(spec) && perPool > 0; k++) {
    const name = poolName(k);
    const pool = unwrap(await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name }), `pool ${k}`);
    const records = new Map<string, PoolIPAllocation>();
    for (let i = 0; i < Math.min(perPool, IPS_PER_POOL); i++)
      records.set(`10.${40 + k}.${(i + 1) >> 8}.${(i + 1) & 255}`, {
        pod: `${STORM_NAMESPACE}/prefill-${k}-${i}`,
        podUid: `prefill-${k}-${i}`,
      });
    const allocatedIPs = encodeAllocatedIPs(records);
    unwrap(
      await store.updateStatus<SpiderIPPool>({
        ...pool,
        status: {
          ...pool.status,
          ...(allocatedIPs === undefined ? {} : { allocatedIPs }),
          allocatedIPCount: records.size,
        },
      }),
      `prefill of ${name}`,
    );
  }
};
