// Policies -> the desired per-PF configuration of one node (SriovNetworkNodeState.spec.interfaces), with the
// operator's merge semantics (api/v1 helper.go Apply / mergeConfigs):
// - policies are applied from the lowest priority (highest number) to the highest, ties by name, so the
//   most important policy is applied last and wins;
// - a policy selects the node when every nodeSelector label matches, and a PF by vendor, deviceID,
//   rootDevices and pfNames (name before `#`); an empty nicSelector selects nothing;
// - each policy on a PF is one VF group (its `#first-last` range, or 0..numVfs-1);
// - applying a policy to a PF already configured keeps the earlier groups that neither share its resource
//   name nor overlap its range; when such a group is kept (a real partition) or the priorities are equal,
//   the PF gets the largest numVfs and the largest MTU; otherwise the later policy replaces the PF's config.
// Differences (ADR 0016): a policy asking more VFs than the PF's totalvfs, or a group dropped because a
// more important policy overlaps it, is reported in `refused` instead of only logged.

import { formatVfRange, parsePfName, parseVfRange, pfNameOf, vfRangesOverlap } from './pfName.ts';
import type {
  SriovInterfaceExt,
  SriovNetworkNicSelector,
  SriovNetworkNodePolicy,
  SriovSpecInterface,
  SriovVfGroup,
} from './types.ts';

export interface RefusedPolicy {
  policy: string;
  pciAddress?: string;
  message: string;
}

export interface RenderedNodeSpec {
  interfaces: SriovSpecInterface[];
  refused: RefusedPolicy[];
}

const DEFAULT_PRIORITY = 99;
const priorityOf = (p: SriovNetworkNodePolicy): number => p.spec.priority ?? DEFAULT_PRIORITY;

/** The operator's apply order: lowest priority first (highest number), ties by name. */
export const sortPoliciesForApply = (policies: readonly SriovNetworkNodePolicy[]): SriovNetworkNodePolicy[] =>
  [...policies].sort((a, b) =>
    priorityOf(a) !== priorityOf(b)
      ? priorityOf(b) - priorityOf(a)
      : a.metadata.name < b.metadata.name
        ? -1
        : a.metadata.name > b.metadata.name
          ? 1
          : 0,
  );

/** Every nodeSelector label present on the node with the same value (an absent selector selects all). */
export const policySelectsNode = (
  p: SriovNetworkNodePolicy,
  nodeLabels: Readonly<Record<string, string>>,
): boolean => Object.entries(p.spec.nodeSelector ?? {}).every(([k, v]) => nodeLabels[k] === v);

export const nicSelectorIsEmpty = (s: SriovNetworkNicSelector): boolean =>
  !s.vendor && !s.deviceID && !s.rootDevices?.length && !s.pfNames?.length && !s.netFilter;

/** The operator's NicSelector.Selected (netFilter is for virtual platforms and selects nothing here). */
export const nicSelects = (s: SriovNetworkNicSelector, iface: SriovInterfaceExt): boolean => {
  if (s.vendor && s.vendor !== iface.vendor) return false;
  if (s.deviceID && s.deviceID !== iface.deviceID) return false;
  if (s.rootDevices?.length && !s.rootDevices.includes(iface.pciAddress)) return false;
  if (s.pfNames?.length && !s.pfNames.map(pfNameOf).includes(iface.name ?? '')) return false;
  if (s.netFilter) return false;
  return true;
};

/** The VF group a policy gives a PF: its `#first-last` for that PF, else 0..numVfs-1. */
export const vfGroupFor = (p: SriovNetworkNodePolicy, iface: SriovInterfaceExt): SriovVfGroup => {
  let first = 0;
  let last = p.spec.numVfs - 1;
  for (const item of p.spec.nicSelector.pfNames ?? []) {
    const parsed = parsePfName(item);
    if (parsed.isOk() && parsed.value.pfName === iface.name) {
      if (parsed.value.range) ({ first, last } = parsed.value.range);
      break;
    }
  }
  const g: SriovVfGroup = {
    resourceName: p.spec.resourceName,
    deviceType: p.spec.deviceType ?? 'netdevice',
    vfRange: formatVfRange(first, last),
    policyName: p.metadata.name,
  };
  if (p.spec.mtu !== undefined) g.mtu = p.spec.mtu;
  if (p.spec.isRdma !== undefined) g.isRdma = p.spec.isRdma;
  if (p.spec.vdpaType !== undefined) g.vdpaType = p.spec.vdpaType;
  return g;
};

const groupsOverlap = (a: SriovVfGroup, b: SriovVfGroup): boolean => {
  const ra = parseVfRange(a.vfRange);
  const rb = parseVfRange(b.vfRange);
  return ra !== undefined && rb !== undefined && vfRangesOverlap(ra, rb);
};

const merge = (
  prev: SriovSpecInterface,
  next: SriovSpecInterface,
  equalPriority: boolean,
  refused: RefusedPolicy[],
): SriovSpecInterface => {
  const incoming = next.vfGroups?.[0];
  if (incoming === undefined) return next;
  const groups = [incoming];
  let kept = false;
  for (const g of prev.vfGroups ?? []) {
    if (g.resourceName === incoming.resourceName) continue;
    if (groupsOverlap(g, incoming)) {
      refused.push({
        policy: g.policyName,
        pciAddress: prev.pciAddress,
        message: `VF range ${g.vfRange} of policy ${g.policyName} overlaps range ${incoming.vfRange} of policy ${incoming.policyName}, which has precedence`,
      });
      continue;
    }
    kept = true;
    groups.push(g);
  }
  const out: SriovSpecInterface = { ...next, vfGroups: groups };
  if (!equalPriority && !kept) return out;
  const mtu = Math.max(out.mtu ?? 0, prev.mtu ?? 0);
  if (mtu > 0) out.mtu = mtu;
  out.numVfs = Math.max(out.numVfs ?? 0, prev.numVfs ?? 0);
  return out;
};

const byVfRangeStart = (a: SriovVfGroup, b: SriovVfGroup): number =>
  (parseVfRange(a.vfRange)?.first ?? 0) - (parseVfRange(b.vfRange)?.first ?? 0);

/**
 * The node's spec.interfaces from the policies selecting it, over the PFs found on it (`status.interfaces`).
 * Policies are expected to be admitted already; what only the node can tell is returned in `refused`.
 */
export const renderNodeSpec = (
  policies: readonly SriovNetworkNodePolicy[],
  nodeLabels: Readonly<Record<string, string>>,
  found: readonly SriovInterfaceExt[],
): RenderedNodeSpec => {
  const refused: RefusedPolicy[] = [];
  const byPci = new Map<string, SriovSpecInterface>();
  let last: SriovNetworkNodePolicy | undefined;
  for (const p of sortPoliciesForApply(policies)) {
    if (!policySelectsNode(p, nodeLabels) || nicSelectorIsEmpty(p.spec.nicSelector)) continue;
    const equalPriority = last !== undefined && priorityOf(last) === priorityOf(p);
    last = p;
    for (const iface of found) {
      if (!nicSelects(p.spec.nicSelector, iface) || p.spec.numVfs <= 0) continue;
      const total = iface.totalvfs ?? 0;
      if (p.spec.numVfs > total) {
        refused.push({
          policy: p.metadata.name,
          pciAddress: iface.pciAddress,
          message: `numVfs(${p.spec.numVfs}) in CR ${p.metadata.name} exceed the maximum allowed value(${total}) interface(${iface.name ?? iface.pciAddress})`,
        });
        continue;
      }
      const next: SriovSpecInterface = {
        pciAddress: iface.pciAddress,
        numVfs: p.spec.numVfs,
        vfGroups: [vfGroupFor(p, iface)],
      };
      if (iface.name !== undefined) next.name = iface.name;
      if (p.spec.mtu !== undefined) next.mtu = p.spec.mtu;
      if (p.spec.linkType !== undefined) next.linkType = p.spec.linkType;
      if (p.spec.eSwitchMode !== undefined) next.eSwitchMode = p.spec.eSwitchMode;
      if (p.spec.externallyManaged !== undefined) next.externallyManaged = p.spec.externallyManaged;
      const prev = byPci.get(iface.pciAddress);
      byPci.set(iface.pciAddress, prev ? merge(prev, next, equalPriority, refused) : next);
    }
  }
  const interfaces = [...byPci.values()]
    .map((i) => ({ ...i, vfGroups: [...(i.vfGroups ?? [])].sort(byVfRangeStart) }))
    .sort((a, b) => (a.pciAddress < b.pciAddress ? -1 : a.pciAddress > b.pciAddress ? 1 : 0));
  return { interfaces, refused };
};
