// Tiny builders for structural OpenAPI v3 schemas (apiextensions.k8s.io/v1 JSONSchemaProps), so the CRD
// files read like the Go types they mirror. Only the keywords the Spiderpool CRDs use are modelled.

export interface JSONSchemaProps {
  type?: 'object' | 'array' | 'string' | 'integer' | 'boolean' | 'number';
  format?: string;
  description?: string;
  properties?: Record<string, JSONSchemaProps>;
  required?: string[];
  items?: JSONSchemaProps;
  enum?: (string | number | boolean)[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  additionalProperties?: JSONSchemaProps;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
}

interface Extra {
  description?: string;
  default?: unknown;
  enum?: (string | number | boolean)[];
  minimum?: number;
  maximum?: number;
}

const withExtra = (base: JSONSchemaProps, extra: Extra = {}): JSONSchemaProps => ({ ...base, ...extra });

export const str = (extra?: Extra): JSONSchemaProps => withExtra({ type: 'string' }, extra);
export const bool = (extra?: Extra): JSONSchemaProps => withExtra({ type: 'boolean' }, extra);
/** Go int64 / int: `type: integer, format: int64` (int32 where the Go field is int32). */
export const int64 = (extra?: Extra): JSONSchemaProps =>
  withExtra({ type: 'integer', format: 'int64' }, extra);
export const int32 = (extra?: Extra): JSONSchemaProps =>
  withExtra({ type: 'integer', format: 'int32' }, extra);
export const int = (extra?: Extra): JSONSchemaProps => withExtra({ type: 'integer' }, extra);
export const arr = (items: JSONSchemaProps, extra?: Extra): JSONSchemaProps =>
  withExtra({ type: 'array', items }, extra);
export const strings = (extra?: Extra): JSONSchemaProps => arr(str(), extra);
export const obj = (
  properties: Record<string, JSONSchemaProps>,
  required: string[] = [],
  extra?: Extra,
): JSONSchemaProps =>
  withExtra({ type: 'object', properties, ...(required.length > 0 ? { required } : {}) }, extra);
export const stringMap = (): JSONSchemaProps => ({ type: 'object', additionalProperties: str() });
/** An object whose content the API server keeps as sent (not described further here). */
export const preserved = (description: string): JSONSchemaProps => ({
  type: 'object',
  description,
  'x-kubernetes-preserve-unknown-fields': true,
});

const atomicList = (items: JSONSchemaProps): JSONSchemaProps => ({
  ...arr(items),
  'x-kubernetes-list-type': 'atomic',
});

/** metav1.LabelSelector, with the list/map types its Go markers give it (server-side apply replaces it whole). */
export const labelSelector = (): JSONSchemaProps => ({
  ...obj({
    matchLabels: stringMap(),
    matchExpressions: atomicList(
      obj({ key: str(), operator: str(), values: atomicList(str()) }, ['key', 'operator']),
    ),
  }),
  'x-kubernetes-map-type': 'atomic',
});

/** Spiderpool's Route {dst, gw}. */
export const routes = (): JSONSchemaProps => arr(obj({ dst: str(), gw: str() }, ['dst', 'gw']));
