// JSON values as the runner passes them through (network configs, results): parsed from outside, checked
// with `isJsonObject` before a field is read, never cast.
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const isJsonObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON.parse without throwing: undefined when the text is not JSON. */
export const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** A deep copy that keeps only JSON (drops undefined, functions); also how a caller's object is adopted. */
export const toJsonObject = (v: unknown): JsonObject | undefined => {
  const text = JSON.stringify(v);
  if (text === undefined) return undefined;
  const back = parseJson(text);
  return isJsonObject(back) ? back : undefined;
};
