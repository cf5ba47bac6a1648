// election/: leader election on a coordination.k8s.io/v1 Lease over the Store port, and the write fence.
export type { AbortLatch } from './abortLatch.ts';
export { childLatch, createAbortLatch } from './abortLatch.ts';
export type { LeaderElector, LeaderElectorOptions, RunLeaderOptions } from './elector.ts';
export { createLeaderElector } from './elector.ts';
export type { WriteFence } from './fencedStore.ts';
export { fencedStore, isNotLeader, NOT_LEADER } from './fencedStore.ts';
export type { Lease, LeaseSpec } from './lease.ts';
export { formatMicroTime, KIND_LEASE, LEASE_API_VERSION, parseMicroTime } from './lease.ts';
