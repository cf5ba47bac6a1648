// IPv4 text <-> bitmap index in plain numbers (ADR 0028): the cold build places every record, and the UID
// index stores records by index, so the bigint path (parse to bigint, range-set search in bigints) would
// dominate both. Only canonical dotted quads take this path; anything else (leading zeros, IPv6 text) answers
// NOT_CANONICAL and the caller uses the general parser.
import type { IPRangeSet } from '../ip/index.ts';

/** The text is not a canonical dotted quad: use the general parser. */
export const NOT_CANONICAL = -2;
/** A canonical address outside the index space. */
export const OUTSIDE = -1;

/** The value of a canonical dotted quad in `text[from, to)`, or NOT_CANONICAL. */
export const parseCanonicalIPv4 = (text: string, from: number, to: number): number => {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || dots === 3) return NOT_CANONICAL;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits > 0 && part === 0) return NOT_CANONICAL; // a leading zero
      part = part * 10 + (c - 0x30);
      if (part > 255) return NOT_CANONICAL;
      digits++;
    } else return NOT_CANONICAL;
  }
  if (digits === 0 || dots !== 3) return NOT_CANONICAL;
  return value * 256 + part;
};

export const formatIPv4Number = (v: number): string =>
  `${Math.floor(v / 16777216)}.${Math.floor(v / 65536) % 256}.${Math.floor(v / 256) % 256}.${v % 256}`;

export class IPv4Index {
  readonly #starts: number[];
  readonly #ends: number[];
  /** Index of each interval's first address. */
  readonly #bases: number[];
  readonly #size: number;

  /** `ips` of version 4; `size`: the index space (at most the range set's size). */
  constructor(ips: IPRangeSet, size: number) {
    this.#starts = ips.intervals.map((iv) => Number(iv.start));
    this.#ends = ips.intervals.map((iv) => Number(iv.end));
    this.#bases = [];
    let base = 0;
    for (let k = 0; k < this.#starts.length; k++) {
      this.#bases.push(base);
      base += (this.#ends[k] as number) - (this.#starts[k] as number) + 1;
    }
    this.#size = size;
  }

  /** Index of the address `text[from, to)`: >= 0, OUTSIDE, or NOT_CANONICAL. */
  indexOf(text: string, from = 0, to = text.length): number {
    const v = parseCanonicalIPv4(text, from, to);
    if (v < 0) return v;
    const starts = this.#starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((starts[mid] as number) <= v) lo = mid;
      else hi = mid - 1;
    }
    if (starts.length === 0 || v < (starts[lo] as number) || v > (this.#ends[lo] as number)) return OUTSIDE;
    const i = (this.#bases[lo] as number) + v - (starts[lo] as number);
    return i < this.#size ? i : OUTSIDE;
  }

  /** The address text at index i (0 <= i < size). */
  at(i: number): string {
    const bases = this.#bases;
    let lo = 0;
    let hi = bases.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((bases[mid] as number) <= i) lo = mid;
      else hi = mid - 1;
    }
    return formatIPv4Number((this.#starts[lo] as number) + i - (bases[lo] as number));
  }
}
