// Label selectors with Kubernetes semantics (metav1.LabelSelectorAsSelector + labels.Selector.Matches): one
// compiler, used by the Store for list/watch (a malformed selector is an error there, as the API server answers
// 400) and by `matchLabelSelector` for pool affinities (a malformed selector matches nothing there).
import { err, ok, type Result } from 'neverthrow';
import type { LabelSelector, LabelSelectorRequirement } from './meta.ts';

type Labels = Readonly<Record<string, string>> | undefined;

/** Own keys only: a label named "constructor" must not find Object.prototype's. */
const labelOf = (labels: Labels, key: string): string | undefined =>
  labels !== undefined && Object.hasOwn(labels, key) ? labels[key] : undefined;

export type LabelMatcher = (labels: Readonly<Record<string, string>> | undefined) => boolean;

const matchAll: LabelMatcher = () => true;

const compileRequirement = (r: LabelSelectorRequirement): Result<LabelMatcher, string> => {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
    case 'NotIn': {
      if (values.length === 0) return err(`${r.key}: operator ${r.operator} needs at least one value`);
      const set = new Set(values);
      const wantIn = r.operator === 'In';
      return ok((labels) => {
        const v = labelOf(labels, r.key);
        // NotIn also matches objects without the key, as Kubernetes does.
        return v === undefined ? !wantIn : set.has(v) === wantIn;
      });
    }
    case 'Exists':
    case 'DoesNotExist': {
      if (values.length > 0) return err(`${r.key}: operator ${r.operator} takes no values`);
      const wantExists = r.operator === 'Exists';
      return ok((labels) => (labelOf(labels, r.key) !== undefined) === wantExists);
    }
    default:
      return err(
        `${(r as { key: string }).key}: unknown operator ${String((r as { operator: unknown }).operator)}`,
      );
  }
};

/**
 * Compiles a selector into a predicate over an object's labels; Err(reason) for a malformed selector.
 * `undefined` (no selector in a list/watch request) matches everything; requirements are ANDed.
 */
export const compileLabelSelector = (selector: LabelSelector | undefined): Result<LabelMatcher, string> => {
  if (!selector) return ok(matchAll);
  const parts: LabelMatcher[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    parts.push((labels) => labelOf(labels, key) === value);
  }
  for (const r of selector.matchExpressions ?? []) {
    const compiled = compileRequirement(r);
    if (compiled.isErr()) return err(compiled.error);
    parts.push(compiled.value);
  }
  if (parts.length === 0) return ok(matchAll);
  return ok((labels) => parts.every((p) => p(labels)));
};

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
  const compiled = compileLabelSelector(selector);
  return compiled.isOk() && compiled.value(labels);
}

/** True when the selector has neither matchLabels nor matchExpressions (Kubernetes "everything"). */
export function isEmptyLabelSelector(selector: LabelSelector): boolean {
  return (
    Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0
  );
}
