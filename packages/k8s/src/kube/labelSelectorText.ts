// metav1.LabelSelector <-> the `labelSelector=` query text of the API server
// (`a=b,tier in (x,y),!legacy`), both ways: the store formats, the emulator parses.
import type { LabelSelector, LabelSelectorRequirement } from '@spiderpool-ts/core';
import { err, ok, type Result } from 'neverthrow';

const requirementText = (r: LabelSelectorRequirement): string => {
  const values = (r.values ?? []).join(',');
  switch (r.operator) {
    case 'In':
      return `${r.key} in (${values})`;
    case 'NotIn':
      return `${r.key} notin (${values})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
    default:
      return `${r.key} ${r.operator} (${values})`;
  }
};

/** The query text of a selector (validate it first: a malformed one formats to something the server refuses). */
export const formatLabelSelector = (sel: LabelSelector | undefined): string | undefined => {
  if (!sel) return undefined;
  const parts = [
    ...Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(sel.matchExpressions ?? []).map(requirementText),
  ];
  return parts.length === 0 ? undefined : parts.join(',');
};

/** Splits on commas that are not inside a `( ... )` value list. */
const splitTop = (text: string): string[] => {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '');
};

const KEY = '[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?';
const SET_RE = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^)]*)\\)$`);
const EQ_RE = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*([-A-Za-z0-9_.]*)$`);
const EXISTS_RE = new RegExp(`^(!?)\\s*(${KEY})$`);

/** Parses the query text into a LabelSelector (`a!=b` becomes NotIn [b]). Err: the reason it is malformed. */
export const parseLabelSelector = (text: string): Result<LabelSelector, string> => {
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const part of splitTop(text)) {
    const set = SET_RE.exec(part);
    if (set) {
      const values = (set[4] ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      if (values.length === 0) return err(`"${part}": a value list must not be empty`);
      matchExpressions.push({ key: set[1] ?? '', operator: set[3] === 'in' ? 'In' : 'NotIn', values });
      continue;
    }
    const eq = EQ_RE.exec(part);
    if (eq) {
      const operator = eq[3] === '!=' ? 'NotIn' : 'In';
      matchExpressions.push({ key: eq[1] ?? '', operator, values: [eq[4] ?? ''] });
      continue;
    }
    const ex = EXISTS_RE.exec(part);
    if (ex) {
      matchExpressions.push({ key: ex[2] ?? '', operator: ex[1] === '!' ? 'DoesNotExist' : 'Exists' });
      continue;
    }
    return err(`unable to parse requirement "${part}"`);
  }
  return ok(matchExpressions.length === 0 ? {} : { matchExpressions });
};
