// Step one of selection (§3.2, `getPoolCandidates`): which rule names the pools, first match wins —
// SpiderSubnet annotations (auto-created pools, `candidatesSubnet.ts`), Pod `ipam.spidernet.io/ippools` (every NIC at once), Pod `ipam.spidernet.io/ippool` (this NIC), the
// Namespace default pools, the CNI config defaults, the cluster default pools (`spec.default: true`).
// Wildcards expand against the pools of the entry's IP family, matches sorted by name; a name a wildcard
// brings in that is already listed keeps its first place, a name written twice is `DuplicatePool`.
import { err, ok, type Result } from 'neverthrow';
import type { Namespace, Pod, SpiderIPPool } from '../api/index.ts';
import {
  ANNO_MULTUS_NETWORKS,
  ANNO_NS_DEFAULT_V4_POOL,
  ANNO_NS_DEFAULT_V6_POOL,
  ANNO_POD_IPPOOL,
  ANNO_POD_IPPOOLS,
} from '../api/index.ts';
import { hasWildcard, type IPVersion, isValidPoolNamePattern, matchPoolName } from '../ip/index.ts';
import {
  normalizePodIPPools,
  type PodIPPoolsItem,
  parseNamespaceDefaultPools,
  parsePodIPPoolAnnotation,
  parsePodIPPoolsAnnotation,
} from './annotations.ts';
import { subnetCandidates } from './candidatesSubnet.ts';
import { badAnnotation, badCniConfig, duplicatePool, type IpamError, noPoolSelectionRule } from './errors.ts';
import { poolIPVersion } from './filter.ts';
import { isFirstNic, parseNetworkSelections } from './networks.ts';
import type { TopController } from './topController.ts';
import type { CandidateSource, IpamCniConfig, IpamSettings } from './types.ts';

/** The pool names one rule gives one NIC for one family, wildcards expanded, in candidate order. */
export interface RawVersionList {
  version: IPVersion;
  names: string[];
}

export interface RawNic {
  nic: string;
  cleanGateway: boolean;
  source: CandidateSource;
  lists: RawVersionList[];
}

export interface GatherInput {
  pod: Pod;
  namespace: Namespace | undefined;
  ifName: string;
  ipamConfig: IpamCniConfig;
  pools: readonly SpiderIPPool[];
  /** With `controller`: enables the SpiderSubnet rule (§3.2 step 1). */
  settings?: IpamSettings;
  controller?: TopController;
}

/** Where an entry came from, to name the field in a `BadAnnotation` / `BadCniConfig` error. */
type Origin = { kind: 'annotation'; key: string } | { kind: 'cni'; field: string };

const badPatternError = (origin: Origin, pattern: string): IpamError =>
  origin.kind === 'annotation'
    ? badAnnotation(origin.key, pattern, `malformed pool name pattern ${pattern}`)
    : badCniConfig(origin.field, pattern, `malformed pool name pattern ${pattern}`);

/** Pool names of one family, sorted by name (what wildcards expand against). */
const namesOfVersion = (pools: readonly SpiderIPPool[], version: IPVersion): string[] =>
  pools
    .filter((p) => poolIPVersion(p) === version)
    .map((p) => p.metadata.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** Expands one family's entries; `undefined` when the rule names nothing for it. */
export const expandEntries = (
  entries: readonly string[],
  ctx: { version: IPVersion; nic: string; pools: readonly SpiderIPPool[]; origin: Origin },
): Result<RawVersionList | undefined, IpamError> => {
  if (entries.length === 0) return ok(undefined);
  const names: string[] = [];
  const seen = new Set<string>();
  const literal = new Set<string>();
  let known: string[] | undefined;
  for (const entry of entries) {
    if (!hasWildcard(entry)) {
      if (literal.has(entry)) return err(duplicatePool(entry, ctx.nic));
      literal.add(entry);
      if (!seen.has(entry)) names.push(entry);
      seen.add(entry);
      continue;
    }
    if (!isValidPoolNamePattern(entry)) return err(badPatternError(ctx.origin, entry));
    known ??= namesOfVersion(ctx.pools, ctx.version);
    for (const name of known) {
      if (matchPoolName(entry, name).unwrapOr(false) && !seen.has(name)) {
        names.push(name);
        seen.add(name);
      }
    }
  }
  return ok({ version: ctx.version, names });
};

const buildNic = (
  nic: string,
  head: { cleanGateway: boolean; source: CandidateSource },
  v4: readonly string[],
  v6: readonly string[],
  ctx: { pools: readonly SpiderIPPool[]; origin4: Origin; origin6: Origin },
): Result<RawNic, IpamError> =>
  expandEntries(v4, { version: 4, nic, pools: ctx.pools, origin: ctx.origin4 }).andThen((l4) =>
    expandEntries(v6, { version: 6, nic, pools: ctx.pools, origin: ctx.origin6 }).map((l6) => ({
      nic,
      ...head,
      lists: [l4, l6].filter((l): l is RawVersionList => l !== undefined),
    })),
  );

/** The ippools item index a non-first NIC maps to in no-name mode (`net<k>` / Multus position). */
const noNameIndex = (pod: Pod, ifName: string): number | undefined => {
  const value = pod.metadata.annotations?.[ANNO_MULTUS_NETWORKS];
  if (value !== undefined && value !== '') {
    const nets = parseNetworkSelections(ANNO_MULTUS_NETWORKS, value, pod.metadata.namespace ?? '');
    if (nets.isOk()) {
      const idx = nets.value.findIndex(
        (n, i) => (n.interface === '' ? `net${i + 1}` : n.interface) === ifName,
      );
      if (idx >= 0) return idx + 1;
    }
  }
  const m = /^(?:net)?(\d+)$/.exec(ifName);
  return m?.[1] === undefined ? undefined : Number(m[1]);
};

const fromPodIPPools = (input: GatherInput, value: string): Result<RawNic[], IpamError> =>
  parsePodIPPoolsAnnotation(value).andThen((raw) => {
    const noName = raw.some((i) => i.interface === '');
    return normalizePodIPPools(raw, input.ifName, value).andThen((items) => {
      let chosen: PodIPPoolsItem[] = items;
      if (!isFirstNic(input.ifName)) {
        const target = noName ? String(noNameIndex(input.pod, input.ifName) ?? input.ifName) : input.ifName;
        chosen = items.filter((i) => i.interface === target);
        if (chosen.length === 0) {
          return err(badAnnotation(ANNO_POD_IPPOOLS, value, `no item for interface ${input.ifName}`));
        }
      }
      const origin: Origin = { kind: 'annotation', key: ANNO_POD_IPPOOLS };
      const out: RawNic[] = [];
      for (const item of chosen) {
        const head = { cleanGateway: item.cleanGateway, source: 'pod-ippools-annotation' as const };
        const nic = buildNic(item.interface, head, item.ipv4, item.ipv6, {
          pools: input.pools,
          origin4: origin,
          origin6: origin,
        });
        if (nic.isErr()) return err(nic.error);
        out.push(nic.value);
      }
      return ok(out);
    });
  });

const clusterDefaults = (input: GatherInput, cleanGateway: boolean): Result<RawNic[], IpamError> => {
  const defaults = input.pools.filter((p) => p.spec.default === true);
  if (defaults.length === 0) return err(noPoolSelectionRule(input.ifName));
  const lists: RawVersionList[] = [];
  for (const version of [4, 6] as const) {
    const names = namesOfVersion(defaults, version);
    if (names.length > 0) lists.push({ version, names });
  }
  return ok([{ nic: input.ifName, cleanGateway, source: 'cluster-default', lists }]);
};

/** The NICs this ADD allocates and, per family, the pool names named by the first matching rule. */
export const gatherCandidates = (input: GatherInput): Result<RawNic[], IpamError> => {
  const annotations = input.pod.metadata.annotations ?? {};
  const cleanGateway = input.ipamConfig.clean_gateway ?? false;
  const nic = input.ifName;
  if (input.settings !== undefined && input.controller !== undefined) {
    const sub = subnetCandidates({
      ...input,
      annotations,
      settings: input.settings,
      controller: input.controller,
    });
    if (sub.isErr()) return err(sub.error);
    if (sub.value !== undefined) {
      return ok([{ nic, cleanGateway, source: 'pod-subnet-annotation', lists: sub.value }]);
    }
  }
  const many = annotations[ANNO_POD_IPPOOLS];
  if (many !== undefined) return fromPodIPPools(input, many);
  const one = annotations[ANNO_POD_IPPOOL];
  if (one !== undefined) {
    const origin: Origin = { kind: 'annotation', key: ANNO_POD_IPPOOL };
    return parsePodIPPoolAnnotation(one)
      .andThen((a) =>
        buildNic(nic, { cleanGateway, source: 'pod-ippool-annotation' }, a.ipv4, a.ipv6, {
          pools: input.pools,
          origin4: origin,
          origin6: origin,
        }),
      )
      .map((n) => [n]);
  }
  if (input.namespace !== undefined) {
    const nsPools = parseNamespaceDefaultPools(input.namespace);
    if (nsPools.isErr()) return err(nsPools.error);
    const { ipv4, ipv6 } = nsPools.value;
    if (ipv4.length > 0 || ipv6.length > 0) {
      return buildNic(nic, { cleanGateway, source: 'namespace-default' }, ipv4, ipv6, {
        pools: input.pools,
        origin4: { kind: 'annotation', key: ANNO_NS_DEFAULT_V4_POOL },
        origin6: { kind: 'annotation', key: ANNO_NS_DEFAULT_V6_POOL },
      }).map((n) => [n]);
    }
  }
  const conf4 = input.ipamConfig.default_ipv4_ippool ?? [];
  const conf6 = input.ipamConfig.default_ipv6_ippool ?? [];
  if (conf4.length > 0 || conf6.length > 0) {
    return buildNic(nic, { cleanGateway, source: 'cni-config' }, conf4, conf6, {
      pools: input.pools,
      origin4: { kind: 'cni', field: 'default_ipv4_ippool' },
      origin6: { kind: 'cni', field: 'default_ipv6_ippool' },
    }).map((n) => [n]);
  }
  return clusterDefaults(input, cleanGateway);
};
