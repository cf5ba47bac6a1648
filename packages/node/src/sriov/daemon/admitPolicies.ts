// The node's own check of the policies it reads: the core webhook's rules run again here, because a Store
// without admission (a MemoryStore, a cluster without the webhook) may hold policies the webhook would
// have refused. A refused policy is left out entirely — it changes nothing on the host — and reported.
import {
  formatFieldErrors,
  policySelectsNode,
  type RefusedPolicy,
  type SriovNetworkNodePolicy,
  validateSriovPolicyCreate,
} from '@spiderpool-ts/core';

export interface Admitted {
  admitted: SriovNetworkNodePolicy[];
  refused: RefusedPolicy[];
}

/** Already applied first (they were admitted before), then oldest first, then by name. */
const admissionOrder =
  (applied: ReadonlySet<string>) =>
  (a: SriovNetworkNodePolicy, b: SriovNetworkNodePolicy): number => {
    const ap = applied.has(a.metadata.name) ? 0 : 1;
    const bp = applied.has(b.metadata.name) ? 0 : 1;
    if (ap !== bp) return ap - bp;
    const at = a.metadata.creationTimestamp ?? '';
    const bt = b.metadata.creationTimestamp ?? '';
    if (at !== bt) return at < bt ? -1 : 1;
    return a.metadata.name.localeCompare(b.metadata.name);
  };

/**
 * Policies selecting this node, each validated against the ones admitted before it: the policies already
 * applied (named in the stored spec) first, then oldest first — so a newcomer overlapping an applied
 * partition is the one refused, as the webhook would have refused it.
 */
export const admitPolicies = (
  policies: readonly SriovNetworkNodePolicy[],
  nodeName: string,
  nodeLabels: Readonly<Record<string, string>>,
  appliedPolicies: ReadonlySet<string> = new Set(),
): Admitted => {
  const admitted: SriovNetworkNodePolicy[] = [];
  const refused: RefusedPolicy[] = [];
  const nodes = [{ name: nodeName, labels: nodeLabels }];
  for (const p of [...policies].sort(admissionOrder(appliedPolicies))) {
    if (!policySelectsNode(p, nodeLabels)) continue;
    const errors = validateSriovPolicyCreate(p, { policies: admitted, nodes });
    if (errors.length === 0) admitted.push(p);
    else refused.push({ policy: p.metadata.name, message: formatFieldErrors(errors) });
  }
  return { admitted, refused };
};
