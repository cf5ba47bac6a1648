// libcni.ConfFromBytes as the SpiderMultusConfig webhook uses it on each chainCNIJsonData entry: Go's
// json.Unmarshal into `types.NetConf`, then a non-empty `type`. Go matches object keys to struct fields
// case-insensitively, treats `null` as "leave as is", and reports the first value of the wrong JSON kind
// (while still decoding the rest). Unknown keys are ignored.

type Kind = 'string' | 'number' | 'bool' | 'array' | 'object' | 'null';

const kindOf = (v: unknown): Kind => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
};

/** The Go type of a NetConf field, as `reflect.Type.String()` prints it. */
type Shape =
  | { readonly go: 'string' | 'bool' }
  | { readonly go: '[]string'; readonly elem: 'string' }
  | { readonly go: 'map[string]bool'; readonly elem: 'bool' }
  | { readonly go: 'map[string]interface {}' }
  | { readonly go: 'types.IPAM' | 'types.DNS'; readonly struct: string; readonly fields: Fields };

type Fields = Readonly<Record<string, Shape>>;

const STRING: Shape = { go: 'string' };
const STRINGS: Shape = { go: '[]string', elem: 'string' };

const NET_CONF: Fields = {
  cniVersion: STRING,
  name: STRING,
  type: STRING,
  capabilities: { go: 'map[string]bool', elem: 'bool' },
  ipam: { go: 'types.IPAM', struct: 'IPAM', fields: { type: STRING } },
  dns: {
    go: 'types.DNS',
    struct: 'DNS',
    fields: { nameservers: STRINGS, domain: STRING, search: STRINGS, options: STRINGS },
  },
  prevResult: { go: 'map[string]interface {}' },
};

/** The struct field a JSON key decodes into: an exact name first, else a case-insensitive one. */
function fieldFor(fields: Fields, key: string): string | undefined {
  if (Object.hasOwn(fields, key)) return key;
  const folded = key.toLowerCase();
  return Object.keys(fields).find((f) => f.toLowerCase() === folded);
}

const typeError = (kind: Kind, struct: string, path: readonly string[], go: string): string =>
  `json: cannot unmarshal ${kind} into Go struct field ${struct}.${path.join('.')} of type ${go}`;

/** First kind mismatch inside a value of the given shape, or undefined. `null` always fits. */
function check(v: unknown, shape: Shape, struct: string, path: readonly string[]): string | undefined {
  const kind = kindOf(v);
  if (kind === 'null') return undefined;
  switch (shape.go) {
    case 'string':
    case 'bool':
      return kind === shape.go ? undefined : typeError(kind, struct, path, shape.go);
    case '[]string':
      if (kind !== 'array') return typeError(kind, struct, path, shape.go);
      for (const e of v as unknown[]) {
        const k = kindOf(e);
        if (k !== 'null' && k !== shape.elem) return typeError(k, struct, path, shape.elem);
      }
      return undefined;
    case 'map[string]bool':
      if (kind !== 'object') return typeError(kind, struct, path, shape.go);
      // Go's error context names struct fields only, never map keys.
      for (const e of Object.values(v as object)) {
        const k = kindOf(e);
        if (k !== 'null' && k !== shape.elem) return typeError(k, struct, path, shape.elem);
      }
      return undefined;
    case 'map[string]interface {}':
      return kind === 'object' ? undefined : typeError(kind, struct, path, shape.go);
    default: {
      if (kind !== 'object') return typeError(kind, struct, path, shape.go);
      const [first] = structErrors(v as object, shape.fields, shape.struct, path);
      return first;
    }
  }
}

/** Kind mismatches of an object decoded into a struct, in key order (Go reports the first). */
function structErrors(o: object, fields: Fields, struct: string, path: readonly string[]): string[] {
  const errs: string[] = [];
  for (const [key, v] of Object.entries(o)) {
    const f = fieldFor(fields, key);
    const shape = f === undefined ? undefined : fields[f];
    if (f === undefined || shape === undefined) continue;
    const e = check(v, shape, struct, [...path, f]);
    if (e !== undefined) errs.push(e);
  }
  return errs;
}

/** The `type` a Go decode would leave in NetConf: the last non-null value of a key folding to "type". */
function decodedType(o: object): unknown {
  let t: unknown = '';
  for (const [key, v] of Object.entries(o)) {
    if (fieldFor(NET_CONF, key) === 'type' && v !== null) t = v;
  }
  return t;
}

/** Why `libcni.ConfFromBytes` refuses the text (its error message), or undefined when it accepts it. */
export function cniConfError(raw: string): string | undefined {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (e) {
    return `error parsing configuration: ${e instanceof Error ? e.message : String(e)}`;
  }
  const kind = kindOf(v);
  if (kind !== 'object' && kind !== 'null') {
    return `error parsing configuration: json: cannot unmarshal ${kind} into Go value of type types.NetConf`;
  }
  if (kind === 'object') {
    const [first] = structErrors(v as object, NET_CONF, 'NetConf', []);
    if (first !== undefined) return `error parsing configuration: ${first}`;
  }
  const type = kind === 'object' ? decodedType(v as object) : '';
  if (type === '') return "error parsing configuration: missing 'type'";
  return undefined;
}
