// A tiny YAML emitter for JSON values (block style, two-space indent). Strings that could read as another
// type or need escapes are written as JSON double-quoted scalars, which YAML 1.2 reads back unchanged.
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./ ()-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;

const scalarString = (s: string): string =>
  PLAIN.test(s) && !RESERVED.test(s) && !s.endsWith(' ') && !s.includes(' #') ? s : JSON.stringify(s);

const scalar = (v: null | boolean | number | string): string => {
  if (v === null) return 'null';
  if (typeof v === 'string') return scalarString(v);
  return String(v);
};

const isEmptyCollection = (v: Json): boolean =>
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

const inline = (v: Json): string | undefined => {
  if (v === null || typeof v !== 'object') return scalar(v);
  if (isEmptyCollection(v)) return Array.isArray(v) ? '[]' : '{}';
  return undefined;
};

const emit = (v: Json, indent: string, out: string[]): void => {
  if (Array.isArray(v)) {
    for (const item of v) {
      const one = inline(item);
      if (one !== undefined) {
        out.push(`${indent}- ${one}`);
        continue;
      }
      const lines: string[] = [];
      emit(item, `${indent}  `, lines);
      const first = lines[0] ?? '';
      out.push(`${indent}- ${first.slice(indent.length + 2)}`, ...lines.slice(1));
    }
    return;
  }
  if (v !== null && typeof v === 'object') {
    for (const [key, value] of Object.entries(v)) {
      const k = scalarString(key);
      const one = inline(value);
      if (one !== undefined) out.push(`${indent}${k}: ${one}`);
      else {
        out.push(`${indent}${k}:`);
        emit(value, `${indent}  `, out);
      }
    }
  }
};

/** YAML text of a JSON-compatible value (a document, without the leading `---`), ending in a newline. */
export const toYaml = (value: unknown): string => {
  const json = JSON.parse(JSON.stringify(value)) as Json;
  const one = inline(json);
  if (one !== undefined) return `${one}\n`;
  const out: string[] = [];
  emit(json, '', out);
  return `${out.join('\n')}\n`;
};
