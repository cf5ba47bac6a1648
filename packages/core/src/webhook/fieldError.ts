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

/** Renders a bad value like Go's `%q` for strings and `%v` for scalars; objects as JSON. */
export function renderFieldValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
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
export const internalError = (field: string, detail: string): FieldError =>
  make('InternalError', field, undefined, detail);
export const alreadyExists = (field: string, value: unknown, detail = ''): FieldError =>
  make('AlreadyExists', field, value, detail);

export function notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const detail =
    supported.length > 0 ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : '';
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
