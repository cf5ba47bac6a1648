// Pool-name wildcards in annotations and CNI config: Go's `filepath.Match` (Unix): `*` any run of
// non-`/` characters, `?` one non-`/` character, `[...]` a class with `a-z` ranges and `^` negation, `\`
// escapes the next character. A malformed pattern is always `BadPattern` (Go may skip the check when the
// name fails to match early; here the whole pattern is validated first).
import { err, ok, type Result } from 'neverthrow';
import { badPattern, type IPError } from './errors.ts';

type Token =
  | { readonly kind: 'star' }
  | { readonly kind: 'any' }
  | { readonly kind: 'lit'; readonly ch: string }
  | {
      readonly kind: 'class';
      readonly negated: boolean;
      readonly ranges: ReadonlyArray<readonly [number, number]>;
    };

const SEPARATOR = '/';

/** Spiderpool `HasWildcardInStr`: `?`, `*`, or both `[` and `]`. */
export const hasWildcard = (pattern: string): boolean =>
  pattern.includes('?') || pattern.includes('*') || (pattern.includes('[') && pattern.includes(']'));

/** Go's `getEsc`: one class character (maybe escaped) and the index after it, or undefined when malformed. */
const classChar = (cs: readonly string[], i: number): { cp: number; next: number } | undefined => {
  let k = i;
  if (k >= cs.length || cs[k] === '-' || cs[k] === ']') return undefined;
  if (cs[k] === '\\') {
    k++;
    if (k >= cs.length) return undefined;
  }
  const cp = (cs[k] as string).codePointAt(0) as number;
  k++;
  if (k >= cs.length) return undefined; // the class never closes
  return { cp, next: k };
};

const tokenize = (pattern: string): Token[] | undefined => {
  const cs = Array.from(pattern);
  const out: Token[] = [];
  let i = 0;
  while (i < cs.length) {
    const c = cs[i] as string;
    if (c === '*') {
      if (out[out.length - 1]?.kind !== 'star') out.push({ kind: 'star' });
      i++;
    } else if (c === '?') {
      out.push({ kind: 'any' });
      i++;
    } else if (c === '\\') {
      if (i + 1 >= cs.length) return undefined;
      out.push({ kind: 'lit', ch: cs[i + 1] as string });
      i += 2;
    } else if (c === '[') {
      i++;
      const negated = cs[i] === '^';
      if (negated) i++;
      const ranges: Array<readonly [number, number]> = [];
      for (;;) {
        if (cs[i] === ']' && ranges.length > 0) {
          i++;
          break;
        }
        const lo = classChar(cs, i);
        if (lo === undefined) return undefined;
        let hi = lo;
        if (cs[lo.next] === '-') {
          const h = classChar(cs, lo.next + 1);
          if (h === undefined) return undefined;
          hi = h;
        }
        ranges.push([lo.cp, hi.cp]);
        i = hi.next;
      }
      out.push({ kind: 'class', negated, ranges });
    } else {
      out.push({ kind: 'lit', ch: c });
      i++;
    }
  }
  return out;
};

const matchOne = (t: Token, ch: string): boolean => {
  switch (t.kind) {
    case 'any':
      return ch !== SEPARATOR;
    case 'lit':
      return t.ch === ch;
    case 'class': {
      const cp = ch.codePointAt(0) as number;
      const inClass = t.ranges.some(([lo, hi]) => lo <= cp && cp <= hi);
      return inClass !== t.negated;
    }
    case 'star':
      return false;
  }
};

/** Dynamic programming over (token, character) positions: no exponential backtracking. */
const matchTokens = (tokens: readonly Token[], name: readonly string[]): boolean => {
  // can[j] = tokens[0..ti) match name[0..j)
  let can = new Array<boolean>(name.length + 1).fill(false);
  can[0] = true;
  for (const t of tokens) {
    const next = new Array<boolean>(name.length + 1).fill(false);
    if (t.kind === 'star') {
      for (let j = 0; j <= name.length; j++) {
        next[j] = can[j] === true || (j > 0 && next[j - 1] === true && name[j - 1] !== SEPARATOR);
      }
    } else {
      for (let j = 1; j <= name.length; j++) {
        next[j] = can[j - 1] === true && matchOne(t, name[j - 1] as string);
      }
    }
    can = next;
  }
  return can[name.length] === true;
};

/** Go `filepath.Match(pattern, name)`; a malformed pattern is `BadPattern` (Go's `ErrBadPattern`). */
export const matchPoolName = (pattern: string, name: string): Result<boolean, IPError> => {
  const tokens = tokenize(pattern);
  if (tokens === undefined) return err(badPattern(pattern));
  return ok(matchTokens(tokens, Array.from(name)));
};

/** Whether a pattern is well formed for `matchPoolName`. */
export const isValidPoolNamePattern = (pattern: string): boolean => tokenize(pattern) !== undefined;

/**
 * Spiderpool `ParseWildcardPoolNameList`: each entry with a wildcard is replaced by the names (of `known`,
 * in their order) it matches, possibly none; plain names stay as written.
 */
export const expandPoolNames = (
  entries: readonly string[],
  known: readonly string[],
): Result<string[], IPError> => {
  const out: string[] = [];
  for (const entry of entries) {
    if (!hasWildcard(entry)) {
      out.push(entry);
      continue;
    }
    const tokens = tokenize(entry);
    if (tokens === undefined) return err(badPattern(entry));
    for (const name of known) if (matchTokens(tokens, Array.from(name))) out.push(name);
  }
  return ok(out);
};
