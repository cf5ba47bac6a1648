// Pool selection for one CNI ADD (§3.2-§3.4): which NICs to allocate, and per NIC and family the usable pools
// in the order to try them plus every dropped pool with its reason. Pure: the caller hands in the Pod, its
// Namespace and Node, the NIC's CNI `ipam` config and every pool it knows.
import { err, ok, type Result } from 'neverthrow';
import type { Namespace, Node, Pod, SpiderIPPool } from '../api/index.ts';
import { gatherCandidates, type RawNic } from './candidatesSource.ts';
import { allPoolsFilteredOut, type IpamError, noEnabledVersionPools } from './errors.ts';
import { droppedPool, type FilterContext, filterPool } from './filter.ts';
import { resolveNicNetwork } from './networks.ts';
import { orderPools, orderPoolsRotated, type RankedPool } from './order.ts';
import { type TopController, topController } from './topController.ts';
import type { DroppedPool, IpamCniConfig, IpamSettings, NicCandidates, VersionCandidates } from './types.ts';

export interface SelectCandidatesInput {
  pod: Pod;
  namespace: Namespace | undefined;
  node: Node | undefined;
  ifName: string;
  ipamConfig: IpamCniConfig;
  /** Every pool (wildcards expand against these; filters read them). */
  pools: readonly SpiderIPPool[];
  settings: IpamSettings;
  /** Optional: the VF's PF addresses for matchMasterSubnet (sriov); absent -> that filter is skipped. */
  masterAddresses?: readonly string[];
  /** Optional: the Pod's top controller (for auto-created pools' podAffinity); default `topController(pod)`. */
  controller?: TopController;
}

const versionEnabled = (settings: IpamSettings, version: 4 | 6): boolean =>
  version === 4 ? settings.enableIPv4 : settings.enableIPv6;

/** Resolves the NIC's NAD only when some candidate pool of the NIC has `multusName`. */
const nicNetwork = (
  input: SelectCandidatesInput,
  raw: RawNic,
  byName: ReadonlyMap<string, SpiderIPPool>,
): Result<string | undefined, IpamError> => {
  const needed = raw.lists.some((l) =>
    l.names.some((n) => (byName.get(n)?.spec.multusName ?? []).length > 0),
  );
  return needed ? resolveNicNetwork(input.pod, raw.nic, input.settings) : ok(undefined);
};

const filterNic = (
  input: SelectCandidatesInput & { controller: TopController },
  raw: RawNic,
  byName: ReadonlyMap<string, SpiderIPPool>,
): Result<NicCandidates, IpamError> => {
  const lists = raw.lists.filter((l) => versionEnabled(input.settings, l.version));
  if (lists.length === 0) {
    return err(noEnabledVersionPools(raw.nic, input.settings.enableIPv4, input.settings.enableIPv6));
  }
  const network = nicNetwork(input, raw, byName);
  if (network.isErr()) return err(network.error);
  const base: Omit<FilterContext, 'version'> = {
    pod: input.pod,
    namespace: input.namespace,
    node: input.node,
    controller: input.controller,
    nic: raw.nic,
    network: network.value,
    agentNamespace: input.settings.agentNamespace,
    masterAddresses:
      input.ipamConfig.match_master_subnet === true && raw.nic === input.ifName
        ? input.masterAddresses
        : undefined,
  };
  // Cluster defaults are an order nobody wrote: rotated per node (ADR 0030); user-given lists never are.
  const rotateBy =
    raw.source === 'cluster-default' ? (input.node?.metadata.name ?? input.pod.spec?.nodeName) : undefined;
  const order = (usable: readonly RankedPool[]) =>
    rotateBy === undefined ? orderPools(usable) : orderPoolsRotated(usable, rotateBy);
  const versions: VersionCandidates[] = lists.map((l) => {
    const usable: RankedPool[] = [];
    const dropped: DroppedPool[] = [];
    l.names.forEach((name, position) => {
      const pool = byName.get(name);
      const reason =
        pool === undefined
          ? { _tag: 'NotFound' as const }
          : filterPool(pool, { ...base, version: l.version });
      if (reason !== undefined) dropped.push(droppedPool(name, reason));
      else if (pool !== undefined) usable.push({ pool, position });
    });
    return { version: l.version, pools: order(usable).map((r) => r.pool.metadata.name), dropped };
  });
  return ok({ nic: raw.nic, cleanGateway: raw.cleanGateway, source: raw.source, versions });
};

/**
 * The same data as `selectCandidates`, but a (NIC, family) whose pools were all filtered out is returned with
 * an empty `pools` list instead of failing: what `explain` shows. Other errors (bad annotation JSON, duplicate
 * pool, no selection rule, no enabled family, missing default network) still fail.
 */
export const collectCandidates = (input: SelectCandidatesInput): Result<NicCandidates[], IpamError> => {
  const controller = input.controller ?? topController(input.pod);
  const gathered = gatherCandidates({ ...input, controller });
  if (gathered.isErr()) return err(gathered.error);
  const byName = new Map(input.pools.map((p) => [p.metadata.name, p] as const));
  const out: NicCandidates[] = [];
  for (const raw of gathered.value) {
    const nic = filterNic({ ...input, controller }, raw, byName);
    if (nic.isErr()) return err(nic.error);
    out.push(nic.value);
  }
  return ok(out);
};

/**
 * The NICs this ADD must allocate: every item of `ipam.spidernet.io/ippools` on the first NIC, exactly one
 * NIC otherwise; per NIC and enabled family the usable pools in §3.4 order (deterministic tie-break) and the
 * dropped ones with reasons. `AllPoolsFilteredOut` (with every reason) when a family has no usable pool.
 */
export const selectCandidates = (input: SelectCandidatesInput): Result<NicCandidates[], IpamError> =>
  collectCandidates(input).andThen((nics) => {
    for (const nic of nics) {
      for (const v of nic.versions) {
        if (v.pools.length === 0) return err(allPoolsFilteredOut(nic.nic, v.version, v.dropped));
      }
    }
    return ok(nics);
  });
