// Fault injection for tests: a `beforeWrite` hook runs before every write and may fail it with any
// StoreError or delay it (by returning a promise the test controls). The write itself stays atomic: state
// is read, checked and changed in one synchronous step after the hook settles.
import { conflict, type StoreError, unavailable } from './errors.ts';

export type WriteVerb = 'create' | 'update' | 'updateStatus' | 'delete';

export interface WriteOp {
  verb: WriteVerb;
  kind: string;
  namespace?: string;
  name: string;
}

/** Return an error to fail the write, undefined to let it through; a promise delays the write until settled. */
export type BeforeWrite = (op: WriteOp) => StoreError | undefined | PromiseLike<StoreError | undefined>;

const targetOf = (op: WriteOp): { kind: string; name: string; namespace?: string } =>
  op.namespace ? { kind: op.kind, namespace: op.namespace, name: op.name } : { kind: op.kind, name: op.name };

export interface FailNextOptions {
  /** Which error: Conflict (default) or Unavailable. */
  tag?: 'Conflict' | 'Unavailable';
  /** Only writes this predicate accepts are counted and failed (default: all). */
  when?: (op: WriteOp) => boolean;
}

/** A hook failing the next `count` (matching) writes, then letting every write through. */
export const failNextWrites = (count: number, options: FailNextOptions = {}): BeforeWrite => {
  let left = count;
  return (op) => {
    if (left <= 0 || (options.when && !options.when(op))) return undefined;
    left--;
    return options.tag === 'Unavailable'
      ? unavailable(targetOf(op), 'injected fault')
      : conflict(targetOf(op), 'injected conflict');
  };
};

/** Runs hooks in order; the first error wins. */
export const combineBeforeWrite =
  (...hooks: readonly BeforeWrite[]): BeforeWrite =>
  async (op) => {
    for (const hook of hooks) {
      const fault = await hook(op);
      if (fault) return fault;
    }
    return undefined;
  };
