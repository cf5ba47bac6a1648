// Label-selector matching with Kubernetes semantics (metav1.LabelSelectorAsSelector + labels.Selector.Matches).

import type { LabelSelector, LabelSelectorRequirement } from './meta.ts';

function matchRequirement(req: LabelSelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, req.key);
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return values.length > 0 && has && values.includes(labels[req.key] ?? '');
    case 'NotIn':
      // Kubernetes rejects an empty value list for NotIn; an invalid selector matches nothing here.
      return values.length > 0 && (!has || !values.includes(labels[req.key] ?? ''));
    case 'Exists':
      return values.length === 0 && has;
    case 'DoesNotExist':
      return values.length === 0 && !has;
    default:
      return false;
  }
}

/**
 * Does `selector` select an object carrying `labels`?
 *
 * - `null` / `undefined` selector (Go nil) selects **nothing**: returns false.
 * - an empty selector `{}` (no matchLabels, no matchExpressions) selects **everything**: returns true.
 * - otherwise every matchLabels pair and every requirement must hold (AND).
 *
 * A requirement Kubernetes would reject (In/NotIn without values, Exists/DoesNotExist with values, unknown
 * operator) makes the selector match nothing, as the Go conversion fails and callers treat that as no match.
 */
export function matchLabelSelector(
  selector: LabelSelector | null | undefined,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  if (selector === null || selector === undefined) return false;
  const ls = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (!Object.hasOwn(ls, k) || ls[k] !== v) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    if (!matchRequirement(req, ls)) return false;
  }
  return true;
}

/** True when the selector has neither matchLabels nor matchExpressions (Kubernetes "everything"). */
export function isEmptyLabelSelector(selector: LabelSelector): boolean {
  return (
    Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0
  );
}
