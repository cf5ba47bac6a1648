// Test-only fixtures for the auto-pool controller tests (not exported by the barrel): a MemoryStore world
// with subnets and workloads, and readers for pools and the subnet's controlledIPPools.
import type { KubeObject, PoolIPPreAllocation, SpiderIPPool, SpiderSubnet } from '../api/index.ts';
import { decodeControlledIPPools, encodeAllocatedIPs, SPIDERPOOL_GROUP_VERSION } from '../api/index.ts';
import { autoPoolName } from '../ipam/index.ts';
import { createMemoryStore, type MemoryStoreOptions } from '../store/index.ts';
import { defaultSubnet } from '../webhook/index.ts';
import type { WorkloadObject } from './autoPoolApp.ts';

export const SUBNET_ANNO = 'ipam.spidernet.io/subnet';
export const SUBNETS_ANNO = 'ipam.spidernet.io/subnets';
export const IP_NUMBER_ANNO = 'ipam.spidernet.io/ippool-ip-number';
export const RECLAIM_ANNO = 'ipam.spidernet.io/ippool-reclaim';

export const subnetObject = (
  name: string,
  cidr: string,
  ips: string[],
  extra: Partial<SpiderSubnet['spec']> = {},
): SpiderSubnet =>
  defaultSubnet({
    apiVersion: SPIDERPOOL_GROUP_VERSION,
    kind: 'SpiderSubnet',
    metadata: { name },
    spec: { subnet: cidr, ips, ...extra },
  });

export interface WorkloadOptions {
  replicas?: number;
  annotations?: Record<string, string>;
  uid?: string;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

const API: Record<string, string> = {
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
};

export const workload = (
  kind: string,
  namespace: string,
  name: string,
  o: WorkloadOptions = {},
): WorkloadObject => {
  const template = { metadata: { annotations: o.annotations ?? {} }, spec: {} };
  const spec: Record<string, unknown> =
    kind === 'CronJob' ? { jobTemplate: { spec: { template, ...o.spec } } } : { template, ...o.spec };
  if (o.replicas !== undefined) spec.replicas = o.replicas;
  return {
    apiVersion: API[kind] ?? 'v1',
    kind,
    metadata: { namespace, name, ...(o.uid === undefined ? {} : { uid: o.uid }) },
    spec,
    ...(o.status === undefined ? {} : { status: o.status }),
  } as WorkloadObject;
};

export const autoPoolWorld = (options: Partial<MemoryStoreOptions> = {}) => {
  let n = 0;
  const store = createMemoryStore({
    now: () => new Date('2026-01-01T00:00:00Z'),
    // the first 5 characters of the last segment differ per object, so auto-pool names do too
    uid: () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(5, '0')}0000000`,
    ...options,
  });
  const create = async <T extends KubeObject>(o: T): Promise<T> => (await store.create(o))._unsafeUnwrap();
  const pools = async (): Promise<SpiderIPPool[]> =>
    (await store.list<SpiderIPPool>('SpiderIPPool'))._unsafeUnwrap().items;
  const pool = async (name: string): Promise<SpiderIPPool | undefined> => {
    const r = await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name });
    return r.isOk() ? r.value : undefined;
  };
  const subnet = async (name: string): Promise<SpiderSubnet> =>
    (await store.get<SpiderSubnet>({ kind: 'SpiderSubnet', name }))._unsafeUnwrap();
  const controlled = async (name: string): Promise<Map<string, PoolIPPreAllocation>> =>
    new Map(decodeControlledIPPools((await subnet(name)).status?.controlledIPPools)._unsafeUnwrap());
  /** Writes pool records for `ips` (as an agent would). */
  const allocate = async (poolName: string, ips: string[]): Promise<void> => {
    const p = (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: poolName }))._unsafeUnwrap();
    const records = new Map(ips.map((ip, i) => [ip, { pod: `default/pod-${i}`, podUid: `uid-${ip}` }]));
    const allocatedIPs = encodeAllocatedIPs(records);
    const { allocatedIPs: _old, ...rest } = p.status ?? {};
    const status = { ...rest, allocatedIPCount: records.size, ...(allocatedIPs ? { allocatedIPs } : {}) };
    (await store.updateStatus({ ...p, status }))._unsafeUnwrap();
  };
  /** The auto-pool name of a stored application. */
  const autoName = async (version: 4 | 6, kind: string, namespace: string, name: string, ifName = 'eth0') => {
    const app = (await store.get({ kind, namespace, name }))._unsafeUnwrap();
    return autoPoolName(version, name, ifName, app.metadata.uid ?? '');
  };
  /** Sets `.spec.replicas` of a stored workload. */
  const scale = async (kind: string, namespace: string, name: string, replicas: number) => {
    const app = (await store.get<WorkloadObject>({ kind, namespace, name }))._unsafeUnwrap();
    (await store.update<WorkloadObject>({ ...app, spec: { ...app.spec, replicas } }))._unsafeUnwrap();
  };
  return { store, create, pools, pool, subnet, controlled, allocate, autoName, scale };
};
