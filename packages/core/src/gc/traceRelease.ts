// Releasing a traced Pod whose time is due (reference §3.8 A): read its SpiderEndpoint; if it still belongs
// to the traced Pod UID, remove each of its IPs from its pool by compare-and-swap (only while the record
// still carries that UID), then delete the endpoint and strip its finalizer (guarded by the version read).
// A Pod on a node whose readiness flag forbids GC (SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_*) is dropped
// from the trace; a missing endpoint or one of another UID is left to the scan-all pass.
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import type { Node, SpiderEndpoint } from '../api/index.ts';
import { KIND_SPIDER_ENDPOINT } from '../api/index.ts';
import { type IpamError, storeFailed } from '../ipam/errors.ts';
import type { Store } from '../store/index.ts';
import { type EndpointReclaimOutcome, reclaimEndpoint } from './endpointReclaim.ts';
import { nodeAllowsStatelessGc } from './podFacts.ts';
import { releaseRecordsIfOwned } from './releaseRecords.ts';
import type { GcSettings } from './settings.ts';
import { isNodeReady } from './snapshot.ts';
import type { TraceEntry } from './traceEntry.ts';

export type TraceReleaseOutcome =
  | { _tag: 'Released'; ips: string[]; endpoint: EndpointReclaimOutcome }
  | { _tag: 'NoEndpoint' }
  | { _tag: 'EndpointUidMismatch' }
  | { _tag: 'NodeGcDisabled' };

const bare = (cidr: string): string => cidr.split('/')[0] ?? cidr;

/** pool -> IPs of the endpoint's current allocation. */
const ipsByPool = (ep: SpiderEndpoint): Map<string, string[]> => {
  const by = new Map<string, string[]>();
  const add = (pool: string | undefined, ip: string | undefined) => {
    if (!pool || !ip) return;
    by.set(pool, [...(by.get(pool) ?? []), bare(ip)]);
  };
  for (const d of ep.status?.current?.ips ?? []) {
    add(d.ipv4Pool, d.ipv4);
    add(d.ipv6Pool, d.ipv6);
  }
  return by;
};

const nodeReady = (store: Store, name: string | undefined): ResultAsync<boolean | undefined, IpamError> =>
  name === undefined
    ? okAsync(undefined)
    : store
        .get<Node>({ kind: 'Node', name })
        .map((n): boolean | undefined => isNodeReady(n))
        .orElse(() => okAsync(undefined));

export const releaseTracedPod = (
  store: Store,
  entry: TraceEntry,
  settings: GcSettings,
): ResultAsync<TraceReleaseOutcome, IpamError> => {
  const slash = entry.key.indexOf('/');
  const ref = {
    kind: KIND_SPIDER_ENDPOINT,
    namespace: entry.key.slice(0, slash),
    name: entry.key.slice(slash + 1),
  };
  const gate =
    entry.reason === 'PodDeleted'
      ? okAsync<boolean, IpamError>(true)
      : nodeReady(store, entry.nodeName).map((ready) => nodeAllowsStatelessGc(settings, ready));
  return gate.andThen((allowed): ResultAsync<TraceReleaseOutcome, IpamError> => {
    if (!allowed) return okAsync({ _tag: 'NodeGcDisabled' });
    return store
      .get<SpiderEndpoint>(ref)
      .map((ep): SpiderEndpoint | undefined => ep)
      .orElse((e) => (e._tag === 'NotFound' ? okAsync(undefined) : errAsync(e)))
      .mapErr(storeFailed)
      .andThen((ep): ResultAsync<TraceReleaseOutcome, IpamError> => {
        if (ep === undefined) return okAsync({ _tag: 'NoEndpoint' });
        if (ep.status?.current?.uid !== entry.podUid) return okAsync({ _tag: 'EndpointUidMismatch' });
        const writes = [...ipsByPool(ep)].map(([pool, ips]) =>
          releaseRecordsIfOwned(
            store,
            pool,
            ips.map((ip) => ({ ip, podUid: entry.podUid })),
          ).map((o) => o.released),
        );
        return ResultAsync.combine(writes).andThen((released) =>
          reclaimEndpoint(store, ep).map(
            (endpoint): TraceReleaseOutcome => ({ _tag: 'Released', ips: released.flat(), endpoint }),
          ),
        );
      });
  });
};
