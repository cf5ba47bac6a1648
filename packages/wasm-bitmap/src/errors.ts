// Errors of the bitmap allocators: one tagged union, one constructor per variant, `message` derived from the
// fields. Indices and sizes keep their type (number for dense, bigint for sparse) so callers can match on them.

/** Which allocator kind an error came from. */
export type BitmapKind = 'dense' | 'sparse';

/** Why an index argument was rejected. */
export type IndexProblem = 'notInteger' | 'negative' | 'outOfRange';

/** Why exported bytes could not be imported. */
export type CorruptProblem =
  | 'truncated'
  | 'magic'
  | 'version'
  | 'kind'
  | 'encoding'
  | 'length'
  | 'checksum'
  | 'size'
  | 'payload'
  | 'count';

export type BitmapError =
  | {
      readonly _tag: 'InvalidIndex';
      readonly kind: BitmapKind;
      readonly index: unknown;
      readonly size: number | bigint;
      readonly problem: IndexProblem;
      readonly message: string;
    }
  | {
      readonly _tag: 'InvalidRange';
      readonly kind: BitmapKind;
      readonly start: number | bigint;
      readonly end: number | bigint;
      readonly message: string;
    }
  | {
      readonly _tag: 'InvalidSize';
      readonly kind: BitmapKind;
      readonly size: unknown;
      readonly max: number | bigint;
      readonly message: string;
    }
  | {
      readonly _tag: 'CorruptBitmapBytes';
      readonly problem: CorruptProblem;
      /** Byte offset where the problem was found (0 for header-level problems). */
      readonly offset: number;
      readonly detail: string;
      readonly message: string;
    }
  | { readonly _tag: 'WasmUnavailable'; readonly cause: unknown; readonly message: string }
  | {
      readonly _tag: 'OutOfMemory';
      readonly kind: BitmapKind;
      readonly requestedBytes: number;
      readonly message: string;
    };

export type BitmapErrorTag = BitmapError['_tag'];

const show = (v: unknown): string =>
  typeof v === 'bigint' ? `${v}n` : typeof v === 'string' ? `'${v}'` : String(v);

export const invalidIndex = (
  kind: BitmapKind,
  index: unknown,
  size: number | bigint,
  problem: IndexProblem,
): BitmapError => ({
  _tag: 'InvalidIndex',
  kind,
  index,
  size,
  problem,
  message:
    problem === 'notInteger'
      ? `${kind} bitmap: index ${show(index)} is not ${kind === 'dense' ? 'an integer number' : 'a bigint'}`
      : problem === 'negative'
        ? `${kind} bitmap: index ${show(index)} is negative`
        : `${kind} bitmap: index ${show(index)} is out of range [0, ${String(size)})`,
});

export const invalidRange = (
  kind: BitmapKind,
  start: number | bigint,
  end: number | bigint,
): BitmapError => ({
  _tag: 'InvalidRange',
  kind,
  start,
  end,
  message: `${kind} bitmap: range start ${String(start)} is after its end ${String(end)}`,
});

export const invalidSize = (kind: BitmapKind, size: unknown, max: number | bigint): BitmapError => ({
  _tag: 'InvalidSize',
  kind,
  size,
  max,
  message: `${kind} bitmap: size ${show(size)} is not an integer in [1, ${String(max)}]`,
});

export const corruptBytes = (problem: CorruptProblem, offset: number, detail: string): BitmapError => ({
  _tag: 'CorruptBitmapBytes',
  problem,
  offset,
  detail,
  message: `bitmap bytes are corrupt (${problem} at byte ${offset}): ${detail}`,
});

export const wasmUnavailable = (cause: unknown): BitmapError => ({
  _tag: 'WasmUnavailable',
  cause,
  message: `the WebAssembly bitmap could not be instantiated: ${cause instanceof Error ? cause.message : String(cause)}`,
});

export const outOfMemory = (kind: BitmapKind, requestedBytes: number): BitmapError => ({
  _tag: 'OutOfMemory',
  kind,
  requestedBytes,
  message: `${kind} bitmap: WebAssembly memory could not grow to hold ${requestedBytes} more bytes`,
});
