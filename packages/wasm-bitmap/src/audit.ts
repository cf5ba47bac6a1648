// audit(): a full recount of an allocator's bits, checked against its incremental count and its summaries.
// An inconsistency is a finding, not a failure of user input: audit() returns Err(AuditViolation) naming the
// broken invariant, Ok(the recounted used count) otherwise.
import { err, ok, type Result } from 'neverthrow';
import type { BitmapKind } from './errors.ts';

/**
 * Which invariant broke:
 * - count: the kept used count differs from the number of set bits;
 * - summary: a summary bit disagrees with what it summarises (dense "word below is full" levels, sparse leaf
 *   full/any words);
 * - padding: a padding bit past the end of a dense level is 0 (searches could return indices >= size);
 * - structure: the shape is malformed (sparse trie flags vs children, an uncollapsed full or empty subtree;
 *   TS sparse twin: runs out of order, overlapping, adjacent or out of bounds).
 */
export type AuditInvariant = 'count' | 'summary' | 'padding' | 'structure';

/** A broken invariant found by an engine (count is checked by the handle, see toAuditResult). */
export interface AuditFinding<N extends number | bigint> {
  readonly invariant: Exclude<AuditInvariant, 'count'>;
  /** Dense: level of the word (0 = the bits; paged layout: -1 = the "page full" summary, at = the page,
   * and a structure finding at level 0 = an empty page kept). Sparse: trie level of the node (0 = leaf; TS
   * twin: 0). */
  readonly level: number;
  /** Dense: index of the word in its level. Sparse: first index the node (or run) covers. */
  readonly at: N;
}

/** What an engine's audit saw: every counted bit (mod 2^64 for sparse), and the first broken invariant. */
export interface EngineAudit<N extends number | bigint> {
  readonly counted: N;
  readonly finding: AuditFinding<N> | undefined;
}

export interface AuditViolation<N extends number | bigint = number | bigint> {
  readonly _tag: 'AuditViolation';
  readonly kind: BitmapKind;
  readonly invariant: AuditInvariant;
  readonly level: number;
  readonly at: N;
  /** The incrementally kept used count. */
  readonly recorded: N;
  /** The set bits the audit counted (partial when the scan stopped at an earlier finding). */
  readonly counted: N;
  readonly message: string;
}

const describe = (
  kind: BitmapKind,
  invariant: AuditInvariant,
  level: number,
  at: number | bigint,
): string => {
  switch (invariant) {
    case 'count':
      return '';
    case 'summary':
      if (kind === 'dense' && level === -1)
        return `the "page full" summary bit of page ${at} disagrees with the page`;
      return kind === 'dense'
        ? `summary word ${at} of level ${level} disagrees with the words below it`
        : `leaf summary of the leaf at ${at} disagrees with its words`;
    case 'padding':
      return `padding bits of level ${level} (word ${at}) are not all set`;
    case 'structure':
      return `malformed structure at level ${level}, index ${at}`;
  }
};

export const auditViolation = <N extends number | bigint>(
  kind: BitmapKind,
  invariant: AuditInvariant,
  level: number,
  at: N,
  recorded: N,
  counted: N,
): AuditViolation<N> => ({
  _tag: 'AuditViolation',
  kind,
  invariant,
  level,
  at,
  recorded,
  counted,
  message:
    invariant === 'count'
      ? `${kind} bitmap audit: used count is ${recorded} but ${counted} bits are set`
      : `${kind} bitmap audit: ${describe(kind, invariant, level, at)}`,
});

/**
 * The public result of an audit: the engine's finding first, then the count (compared modulo `wrap` when
 * given: a full 2^64 sparse space counts 0 mod 2^64).
 */
export const toAuditResult = <N extends number | bigint>(
  kind: BitmapKind,
  a: EngineAudit<N>,
  recorded: N,
  zero: N,
  same: (recorded: N, counted: N) => boolean,
): Result<N, AuditViolation<N>> => {
  const f = a.finding;
  if (f) return err(auditViolation(kind, f.invariant, f.level, f.at, recorded, a.counted));
  if (!same(recorded, a.counted)) return err(auditViolation(kind, 'count', 0, zero, recorded, a.counted));
  return ok(recorded);
};

/** Test hook corruptions (see testHooks.ts): each breaks one invariant in place, bypassing every check. */
export type Corruption = 'count' | 'summary' | 'padding';
