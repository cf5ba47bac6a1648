// Reading records back out of encoded `status.allocatedIPs` text (ADR 0028): the pool allocator keeps its
// records only as the Go-encoded entries `"ip":{"pod":"..","podUid":".."}`, so a lookup decodes the one entry
// it needs. Also the check that a whole status text is already in our canonical form, which lets a cold build
// take the text as is instead of parsing it into objects and encoding them again.
import type { PoolIPAllocation } from '../api/index.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Between a key's closing quote and the pod's opening quote: `:{"pod":` (then `"`). */
const AFTER_KEY = ':{"pod":"';
/** Between the pod's closing quote and the UID's opening quote: `,"podUid":` (then `"`). */
const AFTER_POD = ',"podUid":"';

/**
 * Index of the closing quote of a Go-quoted string whose content starts at `from` (escapes skipped).
 * The text is our own encoding, so a closing quote always exists.
 */
export const quotedEnd = (text: string, from: number): number => {
  // Bounded scans only: an unbounded indexOf('\\') would run to the end of a 13 KB block on every key.
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i;
    i += c === BACKSLASH ? 2 : 1;
  }
};

/** Whether `text[from, to)` holds a backslash. */
const hasEscape = (text: string, from: number, to: number): boolean => {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === BACKSLASH) return true;
  return false;
};

/** The string a Go-quoted content `text[from, to)` stands for (a slice when it holds no escape). */
export const unquoteRange = (text: string, from: number, to: number): string =>
  hasEscape(text, from, to) ? (JSON.parse(`"${text.slice(from, to)}"`) as string) : text.slice(from, to);

/** The key of the entry starting at `start` (its opening quote). */
export const entryKey = (text: string, start: number): string =>
  unquoteRange(text, start + 1, quotedEnd(text, start + 1));

/** Where the UID's content of the entry starting at `start` lies: [from, to). */
export const entryUidRange = (text: string, start: number): [number, number] => {
  const keyEnd = quotedEnd(text, start + 1);
  const podFrom = keyEnd + 1 + AFTER_KEY.length;
  const podEnd = quotedEnd(text, podFrom);
  const uidFrom = podEnd + 1 + AFTER_POD.length;
  return [uidFrom, quotedEnd(text, uidFrom)];
};

/** The record of the entry starting at `start`. */
export const entryRecord = (text: string, start: number): PoolIPAllocation => {
  const keyEnd = quotedEnd(text, start + 1);
  const podFrom = keyEnd + 1 + AFTER_KEY.length;
  const podEnd = quotedEnd(text, podFrom);
  const uidFrom = podEnd + 1 + AFTER_POD.length;
  return {
    pod: unquoteRange(text, podFrom, podEnd),
    podUid: unquoteRange(text, uidFrom, quotedEnd(text, uidFrom)),
  };
};

/**
 * 32-bit FNV-1a over `text[from, to)` taken two UTF-16 units at a time (one 32-bit word per step: half the
 * steps of a per-unit hash, and a cold build hashes every UID), as a small integer (an Smi in V8): hashes a
 * UID in place, without slicing it out of the status text.
 */
export const hashRange = (text: string, from: number, to: number): number => {
  let h = 0x811c9dc5;
  let i = from;
  for (; i + 1 < to; i += 2)
    h = Math.imul(h ^ (text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16)), 0x01000193);
  if (i < to) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
};

export const hashString = (s: string): number => hashRange(s, 0, s.length);

/** A flat copy of `s` that shares no bytes with the string it was sliced from (V8 slices keep their parent). */
export const ownCopy = (s: string): string => (s.length < 13 ? s : ` ${s}`.slice(1));

/** Where a canonical status text's entries lie (see `canonicalEntries`); entry i: [starts(i), ends[i]). */
export interface CanonicalEntries {
  count: number;
  /** Where entry i ends (exclusive, at its ',' or the end); entry i starts at ends[i-1] + 1 (or at `from`). */
  ends: Int32Array;
  /** Where entry i's key ends (its closing quote); the key's content starts one after the entry start. */
  keyEnds: Int32Array;
  /** Where entry i's UID content starts; it ends 2 before the entry end (`"}`). */
  uidFroms: Int32Array;
}

/** Highest code unit a plain key may hold: from U+D800 on, JS order and Go's byte order may disagree. */
const KEY_MAX = 0xd7ff;
const ANY_MAX = 0xffff;

/**
 * Scans a plain string's content from `i` (just after its opening quote) to its closing quote before `end`:
 * the quote's index, or -1 when a unit Go would escape (or a surrogate, whose escaping and order need the slow
 * paths, or for a key any unit above `max`) comes first. A string without those reads back as its raw slice.
 */
const plainEnd = (text: string, i: number, end: number, max: number): number => {
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i;
    if (c < 0x20 || c === BACKSLASH || c === 0x3c || c === 0x3e || c === 0x26 || c > max) return -1;
    if (c >= 0x2028 && (c <= 0x2029 || (c >= 0xd800 && c <= 0xdfff))) return -1;
  }
  return -1;
};

/** Units Go escapes that a one-byte text may hold: the controls, the backslash and the HTML three. */
const ONE_BYTE_ESCAPED: readonly string[] = [
  ...Array.from({ length: 0x20 }, (_, c) => String.fromCharCode(c)),
  '\\',
  '<',
  '>',
  '&',
];
/** Any unit above U+00FF; V8 answers at once for a one-byte string, which cannot hold one. */
const WIDE = /[\u0100-\uffff]/;

/**
 * Whether `text` holds no unit that a plain string may not (native scans only: a regex V8 answers from the
 * string's representation, and one indexOf per escaped unit). Then every quote in it is a string delimiter
 * and every string in it is plain, so a scan may jump from quote to quote.
 */
export const plainText = (text: string): boolean => {
  if (WIDE.test(text)) return false;
  for (const u of ONE_BYTE_ESCAPED) if (text.includes(u)) return false;
  return true;
};

/** Whether `text` holds `lit` at `at`. */
const literalAt = (text: string, at: number, lit: string): boolean => text.startsWith(lit, at);

/** JS order of two plain ranges (no surrogate in either: JS order is Go order). */
const compareRanges = (text: string, a: number, aEnd: number, b: number, bEnd: number): number => {
  const n = Math.min(aEnd - a, bEnd - b);
  for (let k = 0; k < n; k++) {
    const d = text.charCodeAt(a + k) - text.charCodeAt(b + k);
    if (d !== 0) return d;
  }
  return aEnd - a - (bEnd - b);
};

const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
};

/**
 * The members in `text[from, to)` when they are exactly our encoding: entries joined by `,`, each
 * `"key":{"pod":"..","podUid":".."}` with plain strings, keys strictly ascending (and below U+D800 in each
 * unit). Undefined for anything else (other spacing, field order, extra fields, escapes, duplicate or unsorted
 * keys, no entry): the caller decodes it in full then. `plain`: the caller checked the range with `plainText`,
 * so strings end at the next quote (found natively); otherwise each unit is checked. No allocation per entry.
 */
export const scanEntries = (
  text: string,
  from: number,
  to: number,
  plain: boolean,
): CanonicalEntries | undefined => {
  if (from >= to) return undefined;
  let cap = Math.max(16, Math.ceil((to - from) / 96));
  let ends = new Int32Array(cap);
  let keyEnds = new Int32Array(cap);
  let uidFroms = new Int32Array(cap);
  let count = 0;
  let pos = from;
  let prevFrom = -1;
  let prevEnd = -1;
  for (;;) {
    if (text.charCodeAt(pos) !== QUOTE) return undefined;
    const keyEnd = plain ? text.indexOf('"', pos + 1) : plainEnd(text, pos + 1, to, KEY_MAX);
    if (keyEnd === -1 || keyEnd >= to || !literalAt(text, keyEnd + 1, AFTER_KEY)) return undefined;
    if (prevFrom !== -1 && compareRanges(text, prevFrom, prevEnd, pos + 1, keyEnd) >= 0) return undefined;
    prevFrom = pos + 1;
    prevEnd = keyEnd;
    const podFrom = keyEnd + 1 + AFTER_KEY.length;
    const podEnd = plain ? text.indexOf('"', podFrom) : plainEnd(text, podFrom, to, ANY_MAX);
    if (podEnd === -1 || podEnd >= to || !literalAt(text, podEnd + 1, AFTER_POD)) return undefined;
    const uidFrom = podEnd + 1 + AFTER_POD.length;
    const uidEnd = plain ? text.indexOf('"', uidFrom) : plainEnd(text, uidFrom, to, ANY_MAX);
    if (uidEnd === -1 || uidEnd + 1 >= to || text.charCodeAt(uidEnd + 1) !== 0x7d) return undefined;
    const end = uidEnd + 2;
    if (count === cap) {
      cap *= 2;
      ends = grow(ends);
      keyEnds = grow(keyEnds);
      uidFroms = grow(uidFroms);
    }
    ends[count] = end;
    keyEnds[count] = keyEnd;
    uidFroms[count] = uidFrom;
    count++;
    if (end === to) return { count, ends, keyEnds, uidFroms };
    if (text.charCodeAt(end) !== 0x2c) return undefined;
    pos = end + 1;
  }
};

/**
 * The entries of a whole status text that is exactly our encoding of its records: `{` entries `}` (see
 * `scanEntries`; `{}` has no entry and is not taken). A text `plainText` accepts (what Go writes for IP keys,
 * Pod names and UIDs) is scanned from quote to quote with native searches; any other is checked unit by unit.
 */
export const canonicalEntries = (text: string): CanonicalEntries | undefined => {
  const close = text.length - 1;
  if (close < 1 || text.charCodeAt(0) !== 0x7b || text.charCodeAt(close) !== 0x7d) return undefined;
  return scanEntries(text, 1, close, plainText(text));
};
