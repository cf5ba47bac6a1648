// A JSON encoder that reproduces Go's encoding/json.Marshal byte for byte (Go >= 1.22):
// - structs keep their declared field order: build them with `goStruct([...])`, omitting a field by giving
//   `undefined` (that is how callers express `omitempty` on a nil pointer / "" / empty slice);
// - plain objects are Go maps: keys sorted by byte-wise (UTF-8, i.e. code point) order;
// - strings use Go's escaping, HTML-safe: <, >, & become \u003c, \u003e, \u0026, U+2028/9 are escaped, other
//   control characters are \n \r \t \b \f or \u00XX, lone surrogates become U+FFFD.

export type GoJsonValue =
  | null
  | boolean
  | number
  | string
  | readonly GoJsonValue[]
  | GoStruct
  | { readonly [key: string]: GoJsonValue };

/** An ordered struct: fields are written in the given order; `undefined` values are skipped (omitempty). */
export class GoStruct {
  readonly fields: ReadonlyArray<readonly [string, GoJsonValue]>;
  constructor(fields: ReadonlyArray<readonly [string, GoJsonValue | undefined]>) {
    this.fields = fields.filter((f): f is readonly [string, GoJsonValue] => f[1] !== undefined);
  }
}

export const goStruct = (fields: ReadonlyArray<readonly [string, GoJsonValue | undefined]>): GoStruct =>
  new GoStruct(fields);

/** omitempty for a Go `string`: "" is dropped. */
export const omitEmptyString = (s: string | undefined): string | undefined =>
  s === undefined || s === '' ? undefined : s;

/** omitempty for a Go slice: nil or empty is dropped. */
export const omitEmptySlice = <T extends GoJsonValue>(
  a: readonly T[] | undefined,
): readonly T[] | undefined => (a === undefined || a.length === 0 ? undefined : a);

/** omitempty for a Go value number (int, not pointer): 0 is dropped. */
export const omitZero = (n: number | undefined): number | undefined =>
  n === undefined || n === 0 ? undefined : n;

const hex4 = (code: number): string => `\\u${code.toString(16).padStart(4, '0')}`;

/**
 * Any UTF-16 unit Go's encoder does not copy as is: '"', '\\', '<', '>', '&', C0 controls, U+2028/9 and
 * every surrogate (a well-formed pair is copied, but telling it from a lone one takes the slow path).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: C0 controls are exactly what must be escaped.
const NEEDS_ESCAPE = /["\\<>&\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

/** The escape for one unit that is not a surrogate, or undefined when it is copied as is. */
function escapeUnit(c: number): string | undefined {
  switch (c) {
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x3c:
    case 0x3e:
    case 0x26:
    case 0x2028:
    case 0x2029:
      return hex4(c);
    default:
      return c < 0x20 ? hex4(c) : undefined;
  }
}

/**
 * Go's `encodeState.string` with escapeHTML = true. Strings with nothing to escape (IPs, names, UIDs: the
 * common case) cost one regex test and a concatenation; the others copy the runs between escapes as slices.
 */
export function goQuote(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      esc = '\\ufffd';
    } else {
      esc = escapeUnit(c);
      if (esc === undefined) continue;
    }
    out += s.slice(run, i) + esc;
    run = i + 1;
  }
  return `${out}${s.slice(run)}"`;
}

/** Code point order by iterating code points: the general case behind `compareGoStrings`. */
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done === true) return y.done === true ? 0 : -1;
    if (y.done === true) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/**
 * Byte-wise comparison of the UTF-8 encodings (= code point order), as Go sorts map keys. At the first
 * differing UTF-16 unit, when both units are below U+D800 the code points differ exactly as the units do
 * (whatever precedes them), so only strings that differ at a surrogate or a unit >= U+E000 take the slow path.
 * A unit prefix is ordered first in both orders.
 */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
  const x = a.charCodeAt(i);
  const y = b.charCodeAt(i);
  if (x < 0xd800 && y < 0xd800) return x < y ? -1 : 1;
  return compareCodePoints(a, b);
}

function goNumber(n: number): string {
  if (!Number.isFinite(n)) throw new TypeError(`json: unsupported value: ${n}`);
  // JS and Go both print the shortest round-tripping form and switch to exponents at the same bounds
  // (< 1e-6 or >= 1e21), with the same "e+21" / "e-7" spelling; only negative zero differs.
  return Object.is(n, -0) ? '-0' : JSON.stringify(n);
}

/** `json.Marshal(v)` as Go would print it. Throws only for non-finite numbers (a programmer error). */
export function goMarshal(v: GoJsonValue): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return goNumber(v);
    case 'string':
      return goQuote(v);
  }
  if (Array.isArray(v)) return `[${(v as readonly GoJsonValue[]).map(goMarshal).join(',')}]`;
  if (v instanceof GoStruct) {
    return `{${v.fields.map(([k, x]) => `${goQuote(k)}:${goMarshal(x)}`).join(',')}}`;
  }
  const map = v as { readonly [key: string]: GoJsonValue };
  const keys = Object.keys(map).sort(compareGoStrings);
  return `{${keys.map((k) => `${goQuote(k)}:${goMarshal(map[k] ?? null)}`).join(',')}}`;
}

/** Converts `JSON.parse` output into a GoJsonValue (objects become maps). Returns undefined for non-JSON. */
export function fromParsedJson(x: unknown): GoJsonValue | undefined {
  if (x === null || typeof x === 'boolean' || typeof x === 'number' || typeof x === 'string') return x;
  if (Array.isArray(x)) {
    const out: GoJsonValue[] = [];
    for (const e of x) {
      const c = fromParsedJson(e);
      if (c === undefined) return undefined;
      out.push(c);
    }
    return out;
  }
  if (typeof x === 'object') {
    const out: Record<string, GoJsonValue> = Object.create(null);
    for (const [k, e] of Object.entries(x)) {
      const c = fromParsedJson(e);
      if (c === undefined) return undefined;
      out[k] = c;
    }
    return out;
  }
  return undefined;
}
