// Structural defaulting as the API server applies a CRD's `default`s: a missing property with a default gets
// it; present objects and array items are walked. Returns a new value.
import type { JSONSchemaProps } from '../crds/schema.ts';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const applySchemaDefaults = (schema: JSONSchemaProps | undefined, value: unknown): unknown => {
  if (!schema) return value;
  if (Array.isArray(value)) return value.map((item) => applySchemaDefaults(schema.items, item));
  if (!isObject(value) || !schema.properties) return value;
  const out: Record<string, unknown> = { ...value };
  for (const [key, prop] of Object.entries(schema.properties)) {
    if (out[key] === undefined && prop.default !== undefined) out[key] = structuredClone(prop.default);
    if (out[key] !== undefined) out[key] = applySchemaDefaults(prop, out[key]);
  }
  return out;
};
