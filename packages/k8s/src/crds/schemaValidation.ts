// Structural validation of a custom resource against its CRD schema, as the API server does before storing:
// types, enums, required properties, minimum/maximum. Errors are metav1.StatusCauses worded like the API
// server's (`spec.multusName: Invalid value: "string": spec.multusName in body must be of type array:
// "string"`); kubectl prints them under `The SpiderIPPool "x" is invalid`. Unknown fields are neither pruned
// nor refused; `null` values are skipped.
import type { JSONSchemaProps } from './schema.ts';

/** One field error as a metav1.StatusCause. */
export interface FieldCause {
  reason: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueNotSupported';
  field: string;
  /** Without the field prefix, e.g. `Required value`. */
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const goType = (v: unknown): string => {
  if (Array.isArray(v)) return 'array';
  if (isObject(v)) return 'object';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
};

const typeMatches = (type: JSONSchemaProps['type'], v: unknown): boolean =>
  type === undefined || (type === 'number' ? typeof v === 'number' : goType(v) === type);

const shown = (v: unknown): string =>
  isObject(v) || Array.isArray(v) ? `"${goType(v)}"` : JSON.stringify(v);

const cause = (field: string, message: string): FieldCause => ({
  reason: message.startsWith('Required')
    ? 'FieldValueRequired'
    : message.startsWith('Unsupported')
      ? 'FieldValueNotSupported'
      : 'FieldValueInvalid',
  field,
  message,
});

/** The field errors of `value` under `schema` at `path` (empty: valid). */
export const schemaCauses = (schema: JSONSchemaProps, value: unknown, path = ''): FieldCause[] => {
  if (value === null || value === undefined) return [];
  const at = path === '' ? '<root>' : path;
  const type = goType(value);
  if (!typeMatches(schema.type, value)) {
    return [cause(at, `Invalid value: "${type}": ${at} in body must be of type ${schema.type}: "${type}"`)];
  }
  const errors: FieldCause[] = [];
  if (schema.enum && !schema.enum.includes(value as string | number | boolean)) {
    const allowed = schema.enum.map((e) => JSON.stringify(e)).join(', ');
    errors.push(cause(at, `Unsupported value: ${shown(value)}: supported values: ${allowed}`));
  }
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum) {
    errors.push(
      cause(
        at,
        `Invalid value: ${value}: ${at} in body should be greater than or equal to ${schema.minimum}`,
      ),
    );
  }
  if (typeof value === 'number' && schema.maximum !== undefined && value > schema.maximum) {
    errors.push(
      cause(at, `Invalid value: ${value}: ${at} in body should be less than or equal to ${schema.maximum}`),
    );
  }
  const child = (key: string | number): string =>
    typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
  const items = schema.items;
  if (Array.isArray(value) && items) {
    for (const [i, item] of value.entries()) errors.push(...schemaCauses(items, item, child(i)));
  }
  if (isObject(value)) {
    for (const key of schema.required ?? []) {
      if (value[key] === undefined) errors.push(cause(child(key), 'Required value'));
    }
    for (const [key, v] of Object.entries(value)) {
      const prop = schema.properties?.[key] ?? schema.additionalProperties;
      if (prop) errors.push(...schemaCauses(prop, v, child(key)));
    }
  }
  return errors;
};

/** The same errors as `field: message` lines. */
export const validateAgainstSchema = (schema: JSONSchemaProps, value: unknown, path = ''): string[] =>
  schemaCauses(schema, value, path).map((c) => `${c.field}: ${c.message}`);
