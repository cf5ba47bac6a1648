// The JSON Patch (RFC 6902) that turns one JSON document into another, as a mutating webhook answers
// (controller-runtime computes it from the request object and the defaulted one the same way). Objects are
// diffed key by key; an array that changed is replaced whole (simple, and always correct for `add` at the
// end, reordering or removal, which element-wise diffs get subtle with).
import type { JsonPatchOp } from '../testing/patches.ts';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 6901 escaping of one reference token. */
export const escapePointerToken = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

const sameJson = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
  }
  return false;
};

const walk = (from: unknown, to: unknown, path: string, out: JsonPatchOp[]): void => {
  if (sameJson(from, to)) return;
  if (!isPlainObject(from) || !isPlainObject(to)) {
    out.push({ op: 'replace', path, value: to });
    return;
  }
  for (const k of Object.keys(from)) {
    if (from[k] !== undefined && (!Object.hasOwn(to, k) || to[k] === undefined)) {
      out.push({ op: 'remove', path: `${path}/${escapePointerToken(k)}` });
    }
  }
  for (const k of Object.keys(to)) {
    const v = to[k];
    if (v === undefined) continue;
    const p = `${path}/${escapePointerToken(k)}`;
    if (!Object.hasOwn(from, k) || from[k] === undefined) out.push({ op: 'add', path: p, value: v });
    else walk(from[k], v, p, out);
  }
};

/** Operations turning `from` into `to` (both JSON objects); empty when they are equal. */
export const jsonPatchDiff = (from: Record<string, unknown>, to: Record<string, unknown>): JsonPatchOp[] => {
  const out: JsonPatchOp[] = [];
  walk(from, to, '', out);
  return out;
};
