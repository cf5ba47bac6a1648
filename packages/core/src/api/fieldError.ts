// Kubernetes-style field errors (apimachinery pkg/util/validation/field), shared by every webhook of core.
// A validator returns `FieldError[]`; an empty list means the object is admitted.

export type FieldErrorType =
  | 'Invalid'
  | 'Forbidden'
  | 'NotSupported'
  | 'AlreadyExists'
  | 'Required'
  | 'Duplicate'
  | 'NotFound'
  | 'TooLong'
  | 'TooMany'
  | 'InternalError';

export interface FieldError {
  readonly _tag: 'FieldError';
  readonly type: FieldErrorType;
  /** Dotted path with `[i]` indices and `[key]` map keys, e.g. `spec.policyRoutes[0].dst`. */
  readonly field: string;
  /** The offending value; `undefined` when the error type carries none (Required, Forbidden). */
  readonly value: unknown;
  readonly detail: string;
  /** Only for NotSupported. */
  readonly supported?: readonly string[];
  /** `field: body`, exactly as apimachinery's `(*field.Error).Error()`. */
  readonly message: string;
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  Invalid: 'Invalid value',
  Forbidden: 'Forbidden',
  NotSupported: 'Unsupported value',
  AlreadyExists: 'Already exists',
  Required: 'Required value',
  Duplicate: 'Duplicate value',
  NotFound: 'Not found',
  TooLong: 'Too long',
  TooMany: 'Too many',
  InternalError: 'Internal error',
};

const VALUELESS: ReadonlySet<FieldErrorType> = new Set(['Required', 'Forbidden', 'TooLong', 'InternalError']);

const GO_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

/** Go `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's `%q` (`strconv.Quote`): printable runes as is, the rest as `\xHH`, `\uHHHH` or `\UHHHHHHHH`. */
export function goQuoteVerb(s: string): string {
  let out = '"';
  for (const ch of s) {
    const esc = GO_ESCAPES[ch];
    if (esc !== undefined) {
      out += esc;
      continue;
    }
    if (GO_PRINTABLE.test(ch)) {
      out += ch;
      continue;
    }
    const cp = ch.codePointAt(0) ?? 0;
    // A lone surrogate reaches Go as U+FFFD, which is printable.
    if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd';
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/**
 * Renders a bad value like apimachinery's `ErrorBody`: strings with Go's `%q`, scalars with `%v`, a nil value
 * as the string "null" (so it prints quoted, `Invalid value: "null"`); objects as JSON (Go prints `%#v`).
 */
export function renderFieldValue(value: unknown): string {
  if (value === undefined || value === null) return '"null"';
  if (typeof value === 'string') return goQuoteVerb(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function errorBody(type: FieldErrorType, value: unknown, detail: string): string {
  let s = TYPE_TEXT[type];
  if (!VALUELESS.has(type)) s = `${s}: ${renderFieldValue(value)}`;
  return detail.length > 0 ? `${s}: ${detail}` : s;
}

function make(type: FieldErrorType, field: string, value: unknown, detail: string): FieldError {
  return {
    _tag: 'FieldError',
    type,
    field,
    value,
    detail,
    message: `${field}: ${errorBody(type, value, detail)}`,
  };
}

export const invalid = (field: string, value: unknown, detail: string): FieldError =>
  make('Invalid', field, value, detail);
export const forbidden = (field: string, detail: string): FieldError =>
  make('Forbidden', field, undefined, detail);
export const required = (field: string, detail: string): FieldError =>
  make('Required', field, undefined, detail);
export const duplicate = (field: string, value: unknown): FieldError => make('Duplicate', field, value, '');
export const notFound = (field: string, value: unknown): FieldError => make('NotFound', field, value, '');
export const tooLong = (field: string, detail: string): FieldError =>
  make('TooLong', field, undefined, detail);
/** apimachinery `field.TooMany(field, actual, max)`: `Too many: 1000000: must have at most 65536 items`. */
export const tooMany = (field: string, actual: number, max: number): FieldError =>
  make('TooMany', field, actual, `must have at most ${max} items`);
export const internalError = (field: string, detail: string): FieldError =>
  make('InternalError', field, undefined, detail);
export const alreadyExists = (field: string, value: unknown, detail = ''): FieldError =>
  make('AlreadyExists', field, value, detail);

export function notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const detail = supported.length > 0 ? `supported values: ${supported.map(goQuoteVerb).join(', ')}` : '';
  return { ...make('NotSupported', field, value, detail), supported };
}

/** Field path helpers: `child('spec', 'ips')` -> `spec.ips`, `index('spec.ips', 2)` -> `spec.ips[2]`. */
export const child = (path: string, ...names: string[]): string =>
  [path, ...names].filter((p) => p.length > 0).join('.');
export const index = (path: string, i: number): string => `${path}[${i}]`;
export const key = (path: string, k: string): string => `${path}[${k}]`;

/**
 * Aggregate message like apimachinery's `ErrorList.ToAggregate().Error()`: one error prints alone, several
 * print as `[e1, e2]`; duplicates are dropped. Returns "" for an empty list.
 */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  const msgs = [...new Set(errors.map((e) => e.message))];
  if (msgs.length === 0) return '';
  if (msgs.length === 1) return msgs[0] ?? '';
  return `[${msgs.join(', ')}]`;
}
