// What one queued op does to a pool's allocator (no I/O): the rules of Spiderpool's AllocateIP / ReleaseIP /
// UpdateAllocatedIPs, applied to the in-memory records before the single status write of a batch.
import { err, ok, type Result } from 'neverthrow';
import {
  endpointMismatch,
  type IpamError,
  poolExhausted,
  poolRecordCapExceeded,
  staticIPUnavailable,
} from './errors.ts';
import type { PoolAllocator } from './poolAllocator.ts';

export type PoolOp =
  /**
   * One IP for a Pod. A record already holding this Pod UID (not in `avoid`, not handed to another op of the
   * batch) is returned as is: Spiderpool's idempotency, which also recovers an agent that stopped between the
   * pool write and the endpoint write (issue #2517). `avoid`: IPs the Pod already holds for other NICs.
   * `nic`: the interface, recorded by the blocks format only (Spiderpool's record has no NIC field).
   */
  | { kind: 'allocate'; pod: string; podUid: string; avoid: ReadonlySet<string>; nic?: string }
  /** A fixed IP (StatefulSet, KubeVirt) re-bound to the Pod's new UID; fails if another Pod holds it. */
  | { kind: 'rebind'; ip: string; pod: string; podUid: string }
  /** Frees `ips` (all of the UID's when absent), each only if its record carries this podUid. */
  | { kind: 'release'; podUid: string; ips?: readonly string[] };

export interface OpOutcome {
  ips: string[];
  /** Whether the records changed (a write is needed). */
  changed: boolean;
}

const allocate = (
  alloc: PoolAllocator,
  op: Extract<PoolOp, { kind: 'allocate' }>,
  handed: Set<string>,
  maxRecords: number | undefined,
): Result<OpOutcome, IpamError> => {
  const reuse = alloc.ipsOfUid(op.podUid).find((ip) => !op.avoid.has(ip) && !handed.has(ip));
  if (reuse !== undefined) {
    handed.add(reuse);
    return ok({ ips: [reuse], changed: false });
  }
  if (maxRecords !== undefined && alloc.records.size >= maxRecords)
    return err(poolRecordCapExceeded(alloc.name, maxRecords));
  const ip = alloc.take();
  if (ip === undefined) return err(poolExhausted(alloc.name));
  alloc.addRecord(ip, { pod: op.pod, podUid: op.podUid });
  handed.add(ip);
  return ok({ ips: [ip], changed: true });
};

const rebind = (
  alloc: PoolAllocator,
  op: Extract<PoolOp, { kind: 'rebind' }>,
): Result<OpOutcome, IpamError> => {
  const rec = alloc.records.get(op.ip);
  if (rec !== undefined) {
    if (rec.pod !== op.pod)
      return err(endpointMismatch(op.pod, `IP ${op.ip} of IPPool ${alloc.name} is recorded for ${rec.pod}`));
    if (rec.podUid === op.podUid) return ok({ ips: [op.ip], changed: false });
    alloc.addRecord(op.ip, { pod: op.pod, podUid: op.podUid });
    return ok({ ips: [op.ip], changed: true });
  }
  if (!alloc.isFree(op.ip))
    return err(staticIPUnavailable(alloc.name, op.ip, 'not in the pool, excluded or reserved now'));
  alloc.addRecord(op.ip, { pod: op.pod, podUid: op.podUid });
  return ok({ ips: [op.ip], changed: true });
};

const release = (alloc: PoolAllocator, op: Extract<PoolOp, { kind: 'release' }>): OpOutcome => {
  const freed: string[] = [];
  for (const ip of op.ips ?? alloc.ipsOfUid(op.podUid)) {
    if (alloc.records.get(ip)?.podUid !== op.podUid) continue;
    alloc.removeRecord(ip);
    freed.push(ip);
  }
  return { ips: freed, changed: freed.length > 0 };
};

/** Applies one op; `handed` collects the IPs given to allocate ops of this batch. */
export const applyPoolOp = (
  alloc: PoolAllocator,
  op: PoolOp,
  handed: Set<string>,
  maxRecords: number | undefined,
): Result<OpOutcome, IpamError> => {
  switch (op.kind) {
    case 'allocate':
      return allocate(alloc, op, handed, maxRecords);
    case 'rebind':
      return rebind(alloc, op);
    case 'release':
      return ok(release(alloc, op));
  }
};
