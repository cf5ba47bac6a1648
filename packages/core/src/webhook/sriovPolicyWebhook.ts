// SriovNetworkNodePolicy admission (sriov-network-operator pkg/webhook mutate.go + validate.go): defaults
// (priority 99, deviceType netdevice, isRdma false), the static field rules, then the rules that look at
// the cluster: partitions of one PF refused when they overlap another policy's on a node both select, and
// numVfs bounded by the PF's totalvfs in the node states of the selected nodes.
import { parsePfName } from '../api/sriov/pfName.ts';
import { nicSelects, policySelectsNode } from '../api/sriov/render.ts';
import type { SriovNetworkNodePolicy, SriovNetworkNodeState } from '../api/sriov/types.ts';
import { type FieldError, forbidden, index, invalid } from './fieldError.ts';
import { validateSriovPolicySpec } from './sriovPolicyRules.ts';

export interface SriovNodeLabels {
  name: string;
  labels: Readonly<Record<string, string>>;
}

/** What the validators see of the cluster; every list may be empty (then those checks are skipped). */
export interface SriovPolicyWebhookContext {
  /** The other policies (the one validated is skipped by name + namespace). */
  readonly policies: readonly SriovNetworkNodePolicy[];
  readonly nodes?: readonly SriovNodeLabels[];
  readonly states?: readonly SriovNetworkNodeState[];
}

/** The operator's mutating webhook: fills absent priority, deviceType and isRdma; returns a new object. */
export function defaultSriovPolicy(p: SriovNetworkNodePolicy): SriovNetworkNodePolicy {
  const spec = { ...p.spec };
  if (spec.priority === undefined) spec.priority = 99;
  if (spec.deviceType === undefined) spec.deviceType = 'netdevice';
  if (spec.isRdma === undefined) spec.isRdma = false;
  return { ...p, spec };
}

interface PfRange {
  item: string;
  itemIndex: number;
  pfName: string;
  first: number;
  last: number;
}

/** A policy's claims per PF name: its `#first-last`, or 0..numVfs-1 for an item without a range. */
const claims = (p: SriovNetworkNodePolicy): PfRange[] =>
  (p.spec.nicSelector?.pfNames ?? []).flatMap((item, itemIndex) => {
    const r = parsePfName(item);
    if (r.isErr()) return [];
    const range = r.value.range ?? { first: 0, last: Math.max(0, p.spec.numVfs - 1) };
    return [{ item, itemIndex, pfName: r.value.pfName, ...range }];
  });

const shareANode = (
  a: SriovNetworkNodePolicy,
  b: SriovNetworkNodePolicy,
  nodes: readonly SriovNodeLabels[] | undefined,
): boolean =>
  nodes === undefined || nodes.some((n) => policySelectsNode(a, n.labels) && policySelectsNode(b, n.labels));

const sameObject = (a: SriovNetworkNodePolicy, b: SriovNetworkNodePolicy): boolean =>
  a.metadata.name === b.metadata.name && (a.metadata.namespace ?? '') === (b.metadata.namespace ?? '');

function overlapRules(p: SriovNetworkNodePolicy, ctx: SriovPolicyWebhookContext): FieldError[] {
  const mine = claims(p);
  for (const other of ctx.policies) {
    if (sameObject(p, other) || (other.metadata.namespace ?? '') !== (p.metadata.namespace ?? '')) continue;
    if (!shareANode(p, other, ctx.nodes)) continue;
    for (const theirs of claims(other)) {
      const m = mine.find(
        (c) => c.pfName === theirs.pfName && !(c.last < theirs.first || c.first > theirs.last),
      );
      if (m !== undefined)
        return [
          invalid(
            index('spec.nicSelector.pfNames', m.itemIndex),
            m.item,
            `VF index range in ${m.item} is overlapped with existing policy ${other.metadata.name}`,
          ),
        ];
    }
  }
  return [];
}

function totalVfsRules(p: SriovNetworkNodePolicy, ctx: SriovPolicyWebhookContext): FieldError[] {
  const selected = new Map((ctx.nodes ?? []).map((n) => [n.name, n] as const));
  for (const state of ctx.states ?? []) {
    const node = selected.get(state.metadata.name);
    if (node === undefined || !policySelectsNode(p, node.labels)) continue;
    for (const iface of state.status?.interfaces ?? []) {
      if (!nicSelects(p.spec.nicSelector, iface)) continue;
      const total = iface.totalvfs ?? 0;
      if (p.spec.numVfs > total)
        return [
          invalid(
            'spec.numVfs',
            p.spec.numVfs,
            `numVfs(${p.spec.numVfs}) in CR ${p.metadata.name} exceed the maximum allowed value(${total}) interface(${iface.name ?? iface.pciAddress}) node(${node.name})`,
          ),
        ];
    }
  }
  return [];
}

/** CREATE: static rules first (their errors are all reported), then overlap and totalvfs. */
export function validateSriovPolicyCreate(
  p: SriovNetworkNodePolicy,
  ctx: SriovPolicyWebhookContext,
): FieldError[] {
  const statics = validateSriovPolicySpec(p);
  if (statics.length > 0) return statics;
  return [...overlapRules(p, ctx), ...totalVfsRules(p, ctx)];
}

/** UPDATE: as CREATE; a policy already terminating may not change its spec. */
export function validateSriovPolicyUpdate(
  old: SriovNetworkNodePolicy,
  p: SriovNetworkNodePolicy,
  ctx: SriovPolicyWebhookContext,
): FieldError[] {
  if (old.metadata.deletionTimestamp !== undefined && JSON.stringify(old.spec) !== JSON.stringify(p.spec))
    return [forbidden('spec', 'cannot update the spec of a terminating SriovNetworkNodePolicy')];
  return validateSriovPolicyCreate(p, ctx);
}
