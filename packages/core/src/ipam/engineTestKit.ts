// Test-only fixtures for the allocation engine tests (not exported by the barrel, not part of the build
// entry points): pools, pods, a MemoryStore with a fixed clock, and a seeded random.
import type { KubeObject, Pod, SpiderEndpoint, SpiderIPPool, SpiderReservedIP } from '../api/index.ts';
import { decodeAllocatedIPs, SPIDERPOOL_GROUP_VERSION } from '../api/index.ts';
import { createMemoryStore, type MemoryStore, type MemoryStoreOptions } from '../store/index.ts';
import type { IpamCniConfig, IpamRequest } from './types.ts';

export const FIXED_NOW = (): Date => new Date('2026-01-01T00:00:00Z');

export const newStore = (options: Partial<MemoryStoreOptions> = {}): MemoryStore =>
  createMemoryStore({ now: FIXED_NOW, ...options });

export const ipPool = (
  name: string,
  subnet: string,
  spec: Partial<SpiderIPPool['spec']> = {},
): SpiderIPPool => ({
  apiVersion: SPIDERPOOL_GROUP_VERSION,
  kind: 'SpiderIPPool',
  metadata: { name },
  spec: { subnet, ...spec },
});

export const reservedIP = (name: string, ips: string[], ipVersion?: 4 | 6): SpiderReservedIP => ({
  apiVersion: SPIDERPOOL_GROUP_VERSION,
  kind: 'SpiderReservedIP',
  metadata: { name },
  spec: ipVersion === undefined ? { ips } : { ips, ipVersion },
});

export interface PodOptions {
  uid?: string;
  node?: string;
  annotations?: Record<string, string>;
  owner?: { apiVersion: string; kind: string; name: string; uid?: string };
  labels?: Record<string, string>;
}

export const pod = (namespace: string, name: string, o: PodOptions = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    namespace,
    name,
    ...(o.annotations ? { annotations: o.annotations } : {}),
    ...(o.labels ? { labels: o.labels } : {}),
    ...(o.owner
      ? {
          ownerReferences: [
            {
              apiVersion: o.owner.apiVersion,
              kind: o.owner.kind,
              name: o.owner.name,
              uid: o.owner.uid ?? `${o.owner.name}-uid`,
              controller: true,
            },
          ],
        }
      : {}),
  },
  spec: { nodeName: o.node ?? 'node-1' },
  status: { phase: 'Running' },
});

/** Deterministic PRNG (mulberry32) in [0, 1). */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** A MemoryStore plus helpers to create objects and read them back in engine tests. */
export const engineWorld = (options: Partial<MemoryStoreOptions> = {}) => {
  const store = newStore(options);
  const create = async <T extends KubeObject>(o: T): Promise<T> => (await store.create(o))._unsafeUnwrap();
  const getPool = async (name: string) =>
    (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name }))._unsafeUnwrap();
  const records = async (name: string) =>
    decodeAllocatedIPs((await getPool(name)).status?.allocatedIPs)._unsafeUnwrap();
  const endpoint = async (namespace: string, name: string) => {
    const r = await store.get<SpiderEndpoint>({ kind: 'SpiderEndpoint', namespace, name });
    return r.isOk() ? r.value : undefined;
  };
  /** Deletes a Pod for good (the MemoryStore has no kubelet: no finalizers on Pods here). */
  const deletePod = async (namespace: string, name: string) => {
    (await store.delete({ kind: 'Pod', namespace, name }))._unsafeUnwrap();
  };
  return { store, create, getPool, records, endpoint, deletePod };
};

export const addReq = (
  namespace: string,
  name: string,
  ifName = 'eth0',
  ipamConfig: IpamCniConfig = {},
): IpamRequest => ({
  podNamespace: namespace,
  podName: name,
  containerID: `ctr-${name}`,
  ifName,
  ipamConfig,
});

/** sleep + random for engine options: no waiting, seeded jitter. */
export const noSleepRandom = (seed: number) => ({
  sleep: () => Promise.resolve(),
  random: seededRandom(seed),
});

/** Virtual-time sleep for tests: waits ~1 macrotask turn per millisecond, so backoff spreads writers out. */
export const tickSleep = async (ms: number): Promise<void> => {
  const turns = Math.max(1, Math.ceil(ms));
  const immediate = (globalThis as unknown as { setImmediate: (f: () => void) => void }).setImmediate;
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => immediate(resolve));
};
