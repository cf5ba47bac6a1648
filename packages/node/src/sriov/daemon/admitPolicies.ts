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

const byName = (a: SriovNetworkNodePolicy, b: SriovNetworkNodePolicy): number =>
  a.metadata.name.localeCompare(b.metadata.name);

/**
 * Policies selecting this node, each validated against the ones admitted before it (in name order, so
 * of two overlapping partitions the later-named one is refused, whichever was written first).
 */
export const admitPolicies = (
  policies: readonly SriovNetworkNodePolicy[],
  nodeName: string,
  nodeLabels: Readonly<Record<string, string>>,
): Admitted => {
  const admitted: SriovNetworkNodePolicy[] = [];
  const refused: RefusedPolicy[] = [];
  const nodes = [{ name: nodeName, labels: nodeLabels }];
  for (const p of [...policies].sort(byName)) {
    if (!policySelectsNode(p, nodeLabels)) continue;
    const errors = validateSriovPolicyCreate(p, { policies: admitted, nodes });
    if (errors.length === 0) admitted.push(p);
    else refused.push({ policy: p.metadata.name, message: formatFieldErrors(errors) });
  }
  return { admitted, refused };
};
