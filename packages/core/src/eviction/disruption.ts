// The API server's eviction check, computed on the spot (there is no disruption controller keeping
// `status.disruptionsAllowed` up to date): among the budgets whose selector matches the Pod,
//   expected = matching Pods not terminal (or status.expectedPods when larger: the workload's scale as a
//              disruption controller records it), healthy = those Running and not being deleted,
//   desired  = minAvailable (integer, or a percentage of expected rounded up)
//            | expected - maxUnavailable (integer, or a percentage of expected rounded up),
// and the eviction is allowed when healthy - desired > 0 (the Pod itself counted). A Pod that is not
// Running (Pending, Succeeded, Failed) or already terminating may always be evicted, as the API server
// lets such Pods go without consuming a disruption. More than one matching budget is refused, as there.
import { compileLabelSelector } from '../api/labelSelector.ts';
import type { Pod } from '../api/nad.ts';
import type { PodDisruptionBudget } from './types.ts';

export type EvictionVerdict = { allowed: true } | { allowed: false; budget: string; reason: string };

const scaled = (v: number | string, total: number): number | undefined => {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : undefined;
  const m = /^(\d+)%$/.exec(v);
  if (m?.[1] !== undefined) return Math.ceil((Number.parseInt(m[1], 10) * total) / 100);
  return /^\d+$/.test(v) ? Number.parseInt(v, 10) : undefined;
};

const running = (p: Pod): boolean =>
  p.status?.phase === 'Running' && p.metadata.deletionTimestamp === undefined;
const terminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

export const evictionVerdict = (
  pod: Pod,
  budgets: readonly PodDisruptionBudget[],
  podsInNamespace: readonly Pod[],
): EvictionVerdict => {
  if (!running(pod)) return { allowed: true };
  const matching = budgets.filter((b) => {
    const m = compileLabelSelector(b.spec?.selector ?? {});
    // An absent or empty selector in policy/v1 selects every Pod of the namespace.
    return m.isOk() && m.value(pod.metadata.labels ?? {});
  });
  if (matching.length === 0) return { allowed: true };
  const [pdb, ...more] = matching;
  if (pdb === undefined) return { allowed: true };
  if (more.length > 0)
    return {
      allowed: false,
      budget: pdb.metadata.name,
      reason:
        'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    };
  const select = compileLabelSelector(pdb.spec?.selector ?? {});
  const covered = podsInNamespace.filter(
    (p) => select.isOk() && select.value(p.metadata.labels ?? {}) && !terminal(p),
  );
  const expected = Math.max(covered.length, pdb.status?.expectedPods ?? 0);
  const healthy = covered.filter(running).length;
  let desired: number | undefined;
  if (pdb.spec?.minAvailable !== undefined) desired = scaled(pdb.spec.minAvailable, expected);
  else if (pdb.spec?.maxUnavailable !== undefined) {
    const maxUnavailable = scaled(pdb.spec.maxUnavailable, expected);
    desired = maxUnavailable === undefined ? undefined : Math.max(0, expected - maxUnavailable);
  } else desired = 0;
  if (desired === undefined)
    return {
      allowed: false,
      budget: pdb.metadata.name,
      reason: `The disruption budget ${pdb.metadata.name} has an invalid minAvailable/maxUnavailable`,
    };
  if (healthy - desired > 0) return { allowed: true };
  return {
    allowed: false,
    budget: pdb.metadata.name,
    reason: `The disruption budget ${pdb.metadata.name} needs ${desired} healthy pods and has ${healthy} currently`,
  };
};
