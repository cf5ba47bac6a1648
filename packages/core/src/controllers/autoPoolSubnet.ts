// Step one of every auto-pool change (reference §3.9 "subnet status first, then the pool spec"): reserve the
// pool's addresses in the SpiderSubnet's `status.controlledIPPools` by compare-and-swap. The plan is made
// again from the fresh subnet on every attempt, so two controllers growing pools of one subnet at the same
// time never reserve the same address: the loser of the CAS re-reads and plans around the winner's entry.
import { err, errAsync, ok, okAsync, type Result, type ResultAsync } from 'neverthrow';
import type { PoolIPPreAllocation, SpiderSubnet, SubnetStatus } from '../api/index.ts';
import { decodeControlledIPPools, encodeControlledIPPools, KIND_SPIDER_SUBNET } from '../api/index.ts';
import {
  emptyRangeSet,
  type IPRangeSet,
  type IPVersion,
  parseIPRanges,
  parsePoolRanges,
  rangeSetEquals,
  rangeSetSize,
  saturateInt64,
  unionRangeSets,
} from '../ip/index.ts';
import { modifyObject, type Store } from '../store/index.ts';
import {
  type AutoPoolControllerError,
  autoPoolNameTaken,
  autoPoolStore,
  invalidSubnetSpec,
  subnetNotFound,
  subnetTerminating,
  subnetVersionMismatch,
  unreadableAutoPoolStatus,
} from './autoPoolErrors.ts';
import { type AutoPoolPlan, planAutoPool } from './autoPoolPlan.ts';

export interface ReserveInput {
  subnet: string;
  version: IPVersion;
  pool: string;
  /** `applicationKey` of the app, recorded as the entry's `application`. */
  application: string;
  desired: bigint;
  /** The pool's spec.ips and records as last read (absent: no pool yet). */
  poolIPs?: IPRangeSet;
  allocated: IPRangeSet;
  /** SpiderReservedIPs of `version`. */
  reserved: IPRangeSet;
}

export interface Reservation {
  /** The subnet as stored after the step (written, or unchanged). */
  subnet: SpiderSubnet;
  plan: AutoPoolPlan;
  /** Whether the subnet status was written. */
  wrote: boolean;
}

const sizeOf = (version: IPVersion, entry: PoolIPPreAllocation): bigint => {
  const r = parseIPRanges(version, entry.ips);
  return r.isOk() ? rangeSetSize(r.value) : 0n;
};

/** The subnet status with `controlled` encoded and both counts recomputed. */
export const subnetStatusWith = (
  total: bigint | undefined,
  version: IPVersion,
  controlled: ReadonlyMap<string, PoolIPPreAllocation>,
  previous: SubnetStatus | undefined,
): SubnetStatus => {
  let allocated = 0n;
  for (const e of controlled.values()) allocated += sizeOf(version, e);
  const status: SubnetStatus = {
    ...previous,
    ...(total === undefined ? {} : { totalIPCount: Number(saturateInt64(total)) }),
    allocatedIPCount: Number(saturateInt64(allocated)),
  };
  const encoded = encodeControlledIPPools(controlled);
  if (encoded === undefined) delete status.controlledIPPools;
  else status.controlledIPPools = encoded;
  return status;
};

type Step = { next: SpiderSubnet | undefined; plan: AutoPoolPlan };

/** Pure: the plan against `subnet` and the subnet to write (undefined: the entry already matches). */
export const planReservation = (
  subnet: SpiderSubnet,
  input: ReserveInput,
): Result<Step, AutoPoolControllerError> => {
  const name = subnet.metadata.name;
  if (subnet.metadata.deletionTimestamp !== undefined) return err(subnetTerminating(name));
  if (subnet.spec.ipVersion !== input.version) {
    return err(subnetVersionMismatch(name, input.version, subnet.spec.ipVersion));
  }
  const ranges = parsePoolRanges(subnet.spec.subnet, subnet.spec.ips ?? [], subnet.spec.excludeIPs ?? []);
  if (ranges.isErr()) return err(invalidSubnetSpec(name, ranges.error.message));
  const controlled = decodeControlledIPPools(subnet.status?.controlledIPPools);
  if (controlled.isErr()) return err(unreadableAutoPoolStatus(`SpiderSubnet ${name}`, controlled.error));
  let others = emptyRangeSet(input.version);
  let entry: IPRangeSet | undefined;
  for (const [pool, pre] of controlled.value) {
    const ips = parseIPRanges(input.version, pre.ips);
    if (ips.isErr()) return err(invalidSubnetSpec(name, `controlledIPPools[${pool}]: ${ips.error.message}`));
    if (pool !== input.pool) others = unionRangeSets(others, ips.value);
    else if (pre.application !== input.application) {
      return err(autoPoolNameTaken(pool, pre.application ?? `a manual IPPool of SpiderSubnet ${name}`));
    } else entry = ips.value;
  }
  const plan = planAutoPool({
    pool: input.pool,
    subnet: name,
    subnetTotal: ranges.value.available,
    reserved: input.reserved,
    others,
    ...(entry === undefined ? {} : { entry }),
    ...(input.poolIPs === undefined ? {} : { poolIPs: input.poolIPs }),
    allocated: input.allocated,
    desired: input.desired,
  });
  if (plan.isErr()) return err(plan.error);
  if (entry !== undefined && rangeSetEquals(entry, plan.value.ips))
    return ok({ next: undefined, plan: plan.value });
  const next = new Map(controlled.value);
  next.set(input.pool, { ips: plan.value.ranges, application: input.application });
  const status = subnetStatusWith(ranges.value.total, input.version, next, subnet.status);
  return ok({ next: { ...subnet, status }, plan: plan.value });
};

/** Reserves the pool's planned addresses in the subnet status (CAS, re-planned on every Conflict). */
export const reserveInSubnet = (
  store: Store,
  input: ReserveInput,
  attempts = 16,
): ResultAsync<Reservation, AutoPoolControllerError> => {
  let step: Result<Step, AutoPoolControllerError> | undefined;
  return modifyObject<SpiderSubnet>(
    store,
    { kind: KIND_SPIDER_SUBNET, name: input.subnet },
    (current) => {
      step = planReservation(current, input);
      return step.isOk() ? step.value.next : undefined;
    },
    { status: true, attempts },
  )
    .mapErr((e) => (e._tag === 'NotFound' ? subnetNotFound(input.subnet) : autoPoolStore(e)))
    .andThen((subnet) => {
      if (step === undefined) return errAsync(subnetNotFound(input.subnet));
      if (step.isErr()) return errAsync(step.error);
      return okAsync({ subnet, plan: step.value.plan, wrote: step.value.next !== undefined });
    });
};

/** Drops `pools` from the subnet's controlledIPPools (CAS); a missing subnet or entry is not an error. */
export const releaseFromSubnet = (
  store: Store,
  subnet: string,
  pools: readonly string[],
): ResultAsync<boolean, AutoPoolControllerError> => {
  let dropped = false;
  return modifyObject<SpiderSubnet>(
    store,
    { kind: KIND_SPIDER_SUBNET, name: subnet },
    (current) => {
      dropped = false;
      const controlled = decodeControlledIPPools(current.status?.controlledIPPools);
      const version = current.spec.ipVersion;
      if (controlled.isErr() || (version !== 4 && version !== 6)) return undefined;
      const next = new Map(controlled.value);
      for (const p of pools) next.delete(p);
      if (next.size === controlled.value.size) return undefined;
      const ranges = parsePoolRanges(
        current.spec.subnet,
        current.spec.ips ?? [],
        current.spec.excludeIPs ?? [],
      );
      const total = ranges.isOk() ? ranges.value.total : undefined;
      dropped = true;
      return { ...current, status: subnetStatusWith(total, version, next, current.status) };
    },
    { status: true },
  )
    .map(() => dropped)
    .orElse((e) => (e._tag === 'NotFound' ? okAsync(false) : errAsync(autoPoolStore(e))));
};
