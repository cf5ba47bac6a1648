// The `<pf>#<vf ranges>` syntax of sriov-network-device-plugin's pfNames / rootDevices selectors, parsed
// the way its `isSelected` does: split on `#` (exactly two fields), then on `,`, then a `-` entry on `-`
// (exactly two inclusive bounds); numbers as Go's strconv.Atoi reads them (optional sign, decimal digits).
// Entries are evaluated left to right and the first match wins, so a malformed entry only rejects VFs that
// no earlier entry matched ("pf#0,x" selects VF 0 and nothing else): `vfIndexMatches` keeps that quirk,
// `parseVfIndexSelector` reports the first malformed entry as a typed error for up-front validation.
import { err, ok, type Result } from 'neverthrow';
import { invalidSelector, type SriovError } from './errors.ts';

export type VfIndexEntry =
  | { kind: 'index'; index: number }
  | { kind: 'range'; from: number; to: number }
  | { kind: 'invalid'; entry: string; detail: string };

export interface PfSelectorItem {
  /** The whole item as written. */
  item: string;
  /** Text before the first `#`: a PF name / PCI address, or a regular expression. */
  pattern: string;
  /** `undefined`: no `#`, every VF of the PF. `[invalid]` when the `#` split is not two fields. */
  entries?: VfIndexEntry[];
}

const atoi = (s: string): number | undefined => (/^[+-]?\d+$/.test(s) ? Number.parseInt(s, 10) : undefined);

const parseEntry = (entry: string): VfIndexEntry => {
  if (entry.includes('-')) {
    const parts = entry.split('-');
    if (parts.length !== 2) return { kind: 'invalid', entry, detail: 'a range has exactly one "-"' };
    const from = atoi(parts[0] ?? '');
    if (from === undefined) return { kind: 'invalid', entry, detail: 'range start is not an integer' };
    const to = atoi(parts[1] ?? '');
    if (to === undefined) return { kind: 'invalid', entry, detail: 'range end is not an integer' };
    return { kind: 'range', from, to };
  }
  const index = atoi(entry);
  return index === undefined
    ? { kind: 'invalid', entry, detail: 'VF index is not an integer' }
    : { kind: 'index', index };
};

/** Splits one pfNames / rootDevices item; never fails (malformed parts become `invalid` entries). */
export const splitPfSelectorItem = (item: string): PfSelectorItem => {
  const pattern = item.split('#')[0] ?? '';
  if (!item.includes('#')) return { item, pattern };
  const fields = item.split('#');
  if (fields.length !== 2)
    return { item, pattern, entries: [{ kind: 'invalid', entry: item, detail: 'more than one "#"' }] };
  return { item, pattern, entries: (fields[1] ?? '').split(',').map(parseEntry) };
};

/** The first malformed entry of an item, if any. */
export const firstInvalidEntry = (p: PfSelectorItem): SriovError | undefined => {
  const bad = p.entries?.find((e) => e.kind === 'invalid');
  return bad?.kind === 'invalid' ? invalidSelector(p.item, bad.entry, bad.detail) : undefined;
};

/** Strict parse: the item, or the first malformed entry as an `InvalidSelector` error. */
export const parseVfIndexSelector = (item: string): Result<PfSelectorItem, SriovError> => {
  const p = splitPfSelectorItem(item);
  const bad = firstInvalidEntry(p);
  return bad === undefined ? ok(p) : err(bad);
};

/** Device-plugin `isSelected`: does this item select VF `vfIndex`? */
export const vfIndexMatches = (p: PfSelectorItem, vfIndex: number): boolean => {
  if (p.entries === undefined) return true;
  for (const e of p.entries) {
    if (e.kind === 'invalid') return false;
    if (e.kind === 'index' && e.index === vfIndex) return true;
    if (e.kind === 'range' && vfIndex >= e.from && vfIndex <= e.to) return true;
  }
  return false;
};

/** Expands an item's valid entries into sorted VF indices below `limit` (for display and tests). */
export const selectedIndices = (p: PfSelectorItem, limit: number): number[] =>
  Array.from({ length: limit }, (_, i) => i).filter((i) => vfIndexMatches(p, i));
