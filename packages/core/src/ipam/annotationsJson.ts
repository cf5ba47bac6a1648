// Reading annotation JSON the way Go's encoding/json fills Spiderpool's structs: `null` is the zero value,
// object keys match struct fields case-insensitively (the last matching key wins), unknown keys are ignored,
// and a value of the wrong JSON type is an error. Each reader returns the value or a detail string.

export type Decoded<T> = { ok: true; value: T } | { ok: false; detail: string };

export const decoded = <T>(value: T): Decoded<T> => ({ ok: true, value });
export const failed = <T>(detail: string): Decoded<T> => ({ ok: false, detail });

const typeName = (v: unknown): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
};

/** JSON.parse without throwing. */
export const parseJson = (text: string): Decoded<unknown> => {
  try {
    return decoded(JSON.parse(text) as unknown);
  } catch (e) {
    return failed(e instanceof Error ? e.message : 'invalid JSON');
  }
};

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value of struct field `name` in a JSON object: exact or case-folded key, last occurrence wins. */
export const field = (obj: Record<string, unknown>, name: string): unknown => {
  let found: unknown;
  const lower = name.toLowerCase();
  for (const key of Object.keys(obj)) if (key.toLowerCase() === lower) found = obj[key];
  return found;
};

/** `[]string`: null or absent -> [], else an array of strings. */
export const stringList = (v: unknown, what: string): Decoded<string[]> => {
  if (v === null || v === undefined) return decoded([]);
  if (!Array.isArray(v)) return failed(`${what}: cannot unmarshal ${typeName(v)} into []string`);
  const out: string[] = [];
  for (const [i, item] of v.entries()) {
    if (typeof item !== 'string')
      return failed(`${what}[${i}]: cannot unmarshal ${typeName(item)} into string`);
    out.push(item);
  }
  return decoded(out);
};

/** `string`: null or absent -> "". */
export const stringField = (v: unknown, what: string): Decoded<string> => {
  if (v === null || v === undefined) return decoded('');
  if (typeof v !== 'string') return failed(`${what}: cannot unmarshal ${typeName(v)} into string`);
  return decoded(v);
};

/** `bool`: null or absent -> false. */
export const boolField = (v: unknown, what: string): Decoded<boolean> => {
  if (v === null || v === undefined) return decoded(false);
  if (typeof v !== 'boolean') return failed(`${what}: cannot unmarshal ${typeName(v)} into bool`);
  return decoded(v);
};

/** A struct: null -> undefined (zero value), an object, or an error for any other JSON type. */
export const objectOrNull = (v: unknown, what: string): Decoded<Record<string, unknown> | undefined> => {
  if (v === null) return decoded(undefined);
  if (!isObject(v)) return failed(`${what}: cannot unmarshal ${typeName(v)} into object`);
  return decoded(v);
};

/** A slice: null -> [], an array, or an error. */
export const arrayOrNull = (v: unknown, what: string): Decoded<unknown[]> => {
  if (v === null) return decoded([]);
  if (!Array.isArray(v)) return failed(`${what}: cannot unmarshal ${typeName(v)} into array`);
  return decoded(v);
};
