// One scan-all pass (reference §3.8 B) over a Store: read a safe snapshot (snapshot.ts), decide every pool
// record (decision.ts), release records by compare-and-swap only while their podUid still matches
// (releaseRecords.ts), reclaim endpoints guarded by the resourceVersion seen (endpointReclaim.ts), optionally
// delete outdated endpoints, and report what happened per IP. Write failures are collected, not fatal.
import { okAsync, type Result, ResultAsync } from 'neverthrow';
import type { PoolIPAllocation, SpiderEndpoint, SpiderIPPool } from '../api/index.ts';
import { decodeAllocatedIPs } from '../api/index.ts';
import { isBlockPool } from '../ipam/blocks/format.ts';
import { recordsOfBlocks } from '../ipam/blocks/records.ts';
import { corruptPoolStatus, type IpamError } from '../ipam/errors.ts';
import type { Store } from '../store/index.ts';
import { decideRecord, type GcDecision, type GcRecord } from './decision.ts';
import { type EndpointReclaimOutcome, reclaimEndpoint } from './endpointReclaim.ts';
import { reclaimOrphanEndpoints } from './orphanEndpoints.ts';
import { deleteOutdatedEndpoints } from './outdatedEndpoints.ts';
import type { GcReason } from './reasons.ts';
import { type OwnedRecord, type ReleaseRecordsOptions, releaseRecordsIfOwned } from './releaseRecords.ts';
import { DEFAULT_GC_SETTINGS, type GcSettings } from './settings.ts';
import { type GcSnapshot, loadGcSnapshot } from './snapshot.ts';
import { validityFor } from './validity.ts';

export interface GcPassOptions {
  now: () => Date;
  settings?: Partial<GcSettings>;
  /** Retry budget and wait for the pool CAS writes. */
  release?: ReleaseRecordsOptions;
}

/**
 * What happened to one record's IP: `changed` = GC wanted to free it but it was re-allocated/re-bound
 * meanwhile and left alone. (An endpoint-only reclaim keeps the IP: `kept`, with `endpoint` set.)
 */
export type GcOutcome = 'kept' | 'traced' | 'released' | 'changed' | 'failed';

export interface GcReportEntry extends GcRecord {
  decision: GcDecision['_tag'];
  reason: GcReason;
  outcome: GcOutcome;
  /** Set when the decision reclaimed the endpoint. */
  endpoint?: EndpointReclaimOutcome | 'failed';
}

export interface GcReport {
  scanned: number;
  released: number;
  kept: number;
  traced: number;
  /** Records GC wanted to free that had changed owner by write time (the race, caught). */
  changed: number;
  failed: number;
  endpointsDeleted: number;
  outdatedEndpointsDeleted: number;
  /** Endpoints of gone Pods a half-finished release left behind (orphanEndpoints.ts), reclaimed now. */
  orphanEndpointsDeleted: number;
  entries: GcReportEntry[];
  errors: IpamError[];
}

interface Planned {
  entry: GcReportEntry;
  decision: GcDecision;
}

/** A pool's records, ip -> {pod, podUid}: its status, or its blocks for a pool in the blocks format. */
const poolRecords = (
  pool: SpiderIPPool,
  snap: GcSnapshot,
): Result<ReadonlyMap<string, PoolIPAllocation>, IpamError> => {
  if (isBlockPool(pool))
    return recordsOfBlocks(pool, snap.blocks.get(pool.metadata.name) ?? []).map(
      (rs) => new Map(rs.map((r) => [r.ip, { pod: r.pod, podUid: r.podUid }])),
    );
  return decodeAllocatedIPs(pool.status?.allocatedIPs).mapErr((e) =>
    corruptPoolStatus(pool.metadata.name, e.message),
  );
};

const planRecords = (snap: GcSnapshot, settings: GcSettings, now: Date, errors: IpamError[]): Planned[] => {
  const planned: Planned[] = [];
  for (const pool of snap.pools) {
    const decoded = poolRecords(pool, snap);
    if (decoded.isErr()) {
      errors.push(decoded.error);
      continue;
    }
    for (const [ip, r] of decoded.value) {
      const record: GcRecord = { pool: pool.metadata.name, ip, pod: r.pod, podUid: r.podUid };
      const key = r.pod.includes('/') ? r.pod : `/${r.pod}`;
      const pod = snap.pods.get(key);
      const endpoint = snap.endpoints.get(key);
      const nodeName = pod?.spec?.nodeName;
      const nodeReady = nodeName === undefined ? undefined : snap.nodes.get(nodeName);
      const decision = decideRecord(record, {
        now,
        settings,
        ...(pod ? { pod } : {}),
        ...(endpoint ? { endpoint } : {}),
        ...(nodeReady === undefined ? {} : { nodeReady }),
        ...validityFor(snap, key, pod),
      });
      const outcome: GcOutcome =
        decision._tag === 'Trace'
          ? 'traced'
          : decision._tag === 'Release' && decision.ip
            ? 'changed'
            : 'kept';
      planned.push({
        decision,
        entry: { ...record, decision: decision._tag, reason: decision.reason, outcome },
      });
    }
  }
  return planned;
};

const releaseIPs = (store: Store, planned: Planned[], opts: GcPassOptions, errors: IpamError[]) => {
  const byPool = new Map<string, Planned[]>();
  for (const p of planned) {
    if (p.decision._tag !== 'Release' || !p.decision.ip) continue;
    byPool.set(p.entry.pool, [...(byPool.get(p.entry.pool) ?? []), p]);
  }
  const writes = [...byPool].map(([pool, ps]) => {
    const items: OwnedRecord[] = ps.map((p) => ({ ip: p.entry.ip, podUid: p.entry.podUid }));
    return releaseRecordsIfOwned(store, pool, items, opts.release ?? {})
      .map((out) => {
        const freed = new Set(out.released);
        for (const p of ps) p.entry.outcome = freed.has(p.entry.ip) ? 'released' : 'changed';
        return out.released.length;
      })
      .orElse((e) => {
        errors.push(e);
        for (const p of ps) p.entry.outcome = 'failed';
        return okAsync(0);
      });
  });
  return ResultAsync.combine(writes);
};

const reclaimEndpoints = (store: Store, snap: GcSnapshot, planned: Planned[], errors: IpamError[]) => {
  const targets = new Map<string, { ep: SpiderEndpoint; entries: GcReportEntry[] }>();
  for (const p of planned) {
    if (p.decision._tag !== 'Release' || !p.decision.endpoint) continue;
    const key = p.entry.pod.includes('/') ? p.entry.pod : `/${p.entry.pod}`;
    const ep = snap.endpoints.get(key);
    if (!ep) continue;
    const t = targets.get(key) ?? { ep, entries: [] };
    t.entries.push(p.entry);
    targets.set(key, t);
  }
  const runs = [...targets.values()].map((t) =>
    reclaimEndpoint(store, t.ep)
      .map((o): EndpointReclaimOutcome | 'failed' => o)
      .orElse((e) => {
        errors.push(e);
        return okAsync<EndpointReclaimOutcome | 'failed', never>('failed');
      })
      .map((o) => {
        for (const entry of t.entries) entry.endpoint = o;
        return o;
      }),
  );
  return ResultAsync.combine(runs).map((outs) => ({
    deleted: outs.filter((o) => o === 'deleted').length,
    keys: targets,
  }));
};

const summarise = (
  planned: Planned[],
  errors: IpamError[],
  epDeleted: number,
  outdated: number,
  orphans: number,
): GcReport => {
  const entries = planned.map((p) => p.entry);
  const count = (o: GcOutcome) => entries.filter((e) => e.outcome === o).length;
  return {
    scanned: entries.length,
    released: count('released'),
    kept: count('kept'),
    traced: count('traced'),
    changed: count('changed'),
    failed: count('failed'),
    endpointsDeleted: epDeleted,
    outdatedEndpointsDeleted: outdated,
    orphanEndpointsDeleted: orphans,
    entries,
    errors,
  };
};

/** Runs one GC scan-all pass. Err only when the snapshot cannot be read. */
export const runGcPass = (store: Store, opts: GcPassOptions): ResultAsync<GcReport, IpamError> => {
  const settings: GcSettings = { ...DEFAULT_GC_SETTINGS, ...opts.settings };
  const errors: IpamError[] = [];
  return loadGcSnapshot(store).andThen((snap) => {
    if (!settings.enabled) return okAsync(summarise([], errors, 0, 0, 0));
    const planned = planRecords(snap, settings, opts.now(), errors);
    return releaseIPs(store, planned, opts, errors)
      .andThen(() => reclaimEndpoints(store, snap, planned, errors))
      .andThen(({ deleted, keys }) => {
        const referenced = new Set(
          planned.map((p) => (p.entry.pod.includes('/') ? p.entry.pod : `/${p.entry.pod}`)),
        );
        for (const k of keys.keys()) referenced.add(k);
        return reclaimOrphanEndpoints(store, snap, referenced, opts.now(), errors).andThen((orphans) => {
          if (!settings.enableCleanOutdatedEndpoint) return okAsync({ deleted, outdated: 0, orphans });
          return deleteOutdatedEndpoints(store, snap, referenced, errors).map((outdated) => ({
            deleted,
            outdated,
            orphans,
          }));
        });
      })
      .map(({ deleted, outdated, orphans }) => summarise(planned, errors, deleted, outdated, orphans));
  });
};
