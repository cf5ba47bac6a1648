// The operator's `pfNames` item: a PF name, optionally followed by `#first-last`, ONE inclusive VF range
// (sriov-network-operator's ParsePFName; the device plugin's comma lists are not accepted by the operator's
// webhook). Numbers are read like Go's strconv.Atoi: optional sign, decimal digits.
import { err, ok, type Result } from 'neverthrow';

export interface PfNameRange {
  /** The item as written. */
  item: string;
  /** The PF netdev name before `#`. */
  pfName: string;
  /** Inclusive VF index range; absent without `#` (then the policy covers VFs 0..numVfs-1). */
  range?: { first: number; last: number };
}

/** Why a pfNames item is malformed, worded like the operator's webhook. */
export interface PfNameSyntaxError {
  _tag: 'PfNameSyntax';
  item: string;
  message: string;
}

const atoi = (s: string): number | undefined => (/^[+-]?\d+$/.test(s) ? Number.parseInt(s, 10) : undefined);

const bad = (item: string, what: string): Result<PfNameRange, PfNameSyntaxError> =>
  err({ _tag: 'PfNameSyntax', item, message: `failed to parse ${item} PF name in nicSelector, ${what}` });

/** Parses one pfNames item; `numVfs` bounds the range end (it must be < numVfs) as the operator checks. */
export const parsePfName = (item: string, numVfs?: number): Result<PfNameRange, PfNameSyntaxError> => {
  if (!item.includes('#')) return ok({ item, pfName: item });
  const fields = item.split('#');
  if (fields.length !== 2) return bad(item, 'probably incorrect separator character usage');
  const pfName = fields[0] ?? '';
  if (pfName === '') return bad(item, 'the PF name before "#" is empty');
  const rng = (fields[1] ?? '').split('-');
  if (rng.length !== 2) return bad(item, 'probably incorrect range character usage');
  const first = atoi(rng[0] ?? '');
  if (first === undefined || first < 0) return bad(item, 'start range is incorrect');
  const last = atoi(rng[1] ?? '');
  if (last === undefined || last < 0) return bad(item, 'end range is incorrect');
  if (last < first) return bad(item, 'end range shall not be smaller than start range');
  if (numVfs !== undefined && !(last < numVfs)) return bad(item, 'end range exceeds the maximum VF index');
  return ok({ item, pfName, range: { first, last } });
};

/** The PF name of an item without validating its range (the operator's `Selected`). */
export const pfNameOf = (item: string): string => item.split('#')[0] ?? '';

/** `first-last` text of a VF range. */
export const formatVfRange = (first: number, last: number): string => `${first}-${last}`;

/** Parses a `first-last` vfRange; undefined when malformed. */
export const parseVfRange = (text: string): { first: number; last: number } | undefined => {
  const [a, b, ...rest] = text.split('-');
  const first = atoi(a ?? '');
  const last = atoi(b ?? '');
  return first === undefined || last === undefined || rest.length > 0 ? undefined : { first, last };
};

export const vfRangesOverlap = (
  a: { first: number; last: number },
  b: { first: number; last: number },
): boolean => !(a.last < b.first || a.first > b.last);
