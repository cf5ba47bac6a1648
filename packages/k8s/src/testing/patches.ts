// The two patch formats the emulator accepts, over plain JSON values: JSON merge patch (RFC 7386, what
// kubectl sends for custom resources) and JSON patch (RFC 6902, including `test`). Inputs are not mutated.
import { err, ok, type Result } from 'neverthrow';

type Json = unknown;
type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** RFC 7386: objects merge key by key, `null` deletes, everything else replaces. */
export const applyMergePatch = (target: Json, patch: Json): Json => {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
};

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

/** Why a JSON patch was refused: malformed (`BadRequest`) or it did not apply, e.g. a failed test (`Unprocessable`). */
export interface PatchFailure {
  code: 400 | 422;
  message: string;
}

const pointer = (path: string): string[] | undefined => {
  if (path === '') return [];
  if (!path.startsWith('/')) return undefined;
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
};

const equal = (a: unknown, b: unknown): boolean => {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
  }
  return a === b;
};

const get = (doc: Json, tokens: string[]): { found: boolean; value?: unknown } => {
  let cur: unknown = doc;
  for (const t of tokens) {
    if (Array.isArray(cur) && /^\d+$/.test(t) && Number(t) < cur.length) cur = cur[Number(t)];
    else if (isObject(cur) && Object.hasOwn(cur, t)) cur = cur[t];
    else return { found: false };
  }
  return { found: true, value: cur };
};

/** Parent container and last token; undefined when the parent does not exist. */
const parentOf = (doc: Json, tokens: string[]): { parent: unknown; key: string } | undefined => {
  const key = tokens[tokens.length - 1];
  const parent = get(doc, tokens.slice(0, -1));
  if (key === undefined || !parent.found) return undefined;
  return { parent: parent.value, key };
};

const add = (doc: Json, tokens: string[], value: unknown): Result<Json, PatchFailure> => {
  if (tokens.length === 0) return ok(clone(value));
  const at = parentOf(doc, tokens);
  const fail = err<Json, PatchFailure>({
    code: 422,
    message: `add: path /${tokens.join('/')} does not exist`,
  });
  if (!at) return fail;
  if (Array.isArray(at.parent)) {
    const i = at.key === '-' ? at.parent.length : Number(at.key);
    if (!/^(\d+|-)$/.test(at.key) || i > at.parent.length) return fail;
    at.parent.splice(i, 0, clone(value));
  } else if (isObject(at.parent)) at.parent[at.key] = clone(value);
  else return fail;
  return ok(doc);
};

const remove = (doc: Json, tokens: string[]): Result<Json, PatchFailure> => {
  const at = parentOf(doc, tokens);
  const fail = err<Json, PatchFailure>({
    code: 422,
    message: `remove: path /${tokens.join('/')} does not exist`,
  });
  if (!at || !get(doc, tokens).found) return fail;
  if (Array.isArray(at.parent)) at.parent.splice(Number(at.key), 1);
  else if (isObject(at.parent)) delete at.parent[at.key];
  return ok(doc);
};

const step = (doc: Json, op: JsonPatchOp): Result<Json, PatchFailure> => {
  const tokens = pointer(op.path);
  if (!tokens) return err({ code: 400, message: `invalid JSON pointer "${op.path}"` });
  switch (op.op) {
    case 'add':
      return add(doc, tokens, op.value);
    case 'remove':
      return remove(doc, tokens);
    case 'replace':
      return remove(doc, tokens).andThen((d) => add(d, tokens, op.value));
    case 'test': {
      const cur = get(doc, tokens);
      return cur.found && equal(cur.value, op.value)
        ? ok(doc)
        : err({ code: 422, message: `testing value ${op.path} failed: test failed` });
    }
    case 'move':
    case 'copy': {
      const from = pointer(op.from ?? '');
      if (!from) return err({ code: 400, message: `invalid JSON pointer "${String(op.from)}"` });
      const src = get(doc, from);
      if (!src.found) return err({ code: 422, message: `${op.op}: from ${String(op.from)} does not exist` });
      const base = op.op === 'move' ? remove(doc, from) : ok<Json, PatchFailure>(doc);
      return base.andThen((d) => add(d, tokens, src.value));
    }
    default:
      return err({ code: 400, message: `unknown JSON patch op "${String((op as { op: unknown }).op)}"` });
  }
};

/** RFC 6902 over a copy of `doc`: every op applies, or none (the first failure is returned). */
export const applyJsonPatch = (doc: Json, ops: unknown): Result<Json, PatchFailure> => {
  if (!Array.isArray(ops)) return err({ code: 400, message: 'a JSON patch must be an array of operations' });
  let cur: Result<Json, PatchFailure> = ok(clone(doc));
  for (const op of ops as JsonPatchOp[]) cur = cur.andThen((d) => step(d, op));
  return cur;
};
