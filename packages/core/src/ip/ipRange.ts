// Spiderpool's IP range text: `<ip>` or `<start>-<end>`, both ends of the pool's family, start <= end, no
// spaces (`pkg/ip/iprange.go: IsIPRange`). Parsed straight into intervals: a range is never expanded.
import { err, ok, type Result } from 'neverthrow';
import { formatIPValue, isIPv4MappedValue } from './address.ts';
import { type IPError, type IPRangeProblem, invalidIPRange } from './errors.ts';
import { parseAddressText } from './parseAddress.ts';
import { type IPInterval, type IPRangeSet, rangeSetFromIntervals } from './rangeSet.ts';
import type { IPVersion } from './version.ts';

const endpoint = (version: IPVersion, text: string): bigint | IPRangeProblem => {
  const a = parseAddressText(text);
  if (a === undefined) return text.includes('/') ? 'cidr' : 'syntax';
  if (a.version === 6 && isIPv4MappedValue(a.value)) return 'ipv4Mapped';
  if (a.version !== version) return 'family';
  return a.value;
};

/** One range text as an interval of the given family. */
export const parseIPRange = (version: IPVersion, text: string): Result<IPInterval, IPError> => {
  const dash = text.indexOf('-');
  const first = dash < 0 ? text : text.slice(0, dash);
  const second = dash < 0 ? first : text.slice(dash + 1);
  if (second.includes('-')) return err(invalidIPRange(text, version, 'syntax'));
  const start = endpoint(version, first);
  if (typeof start !== 'bigint') return err(invalidIPRange(text, version, start));
  const end = dash < 0 ? start : endpoint(version, second);
  if (typeof end !== 'bigint') return err(invalidIPRange(text, version, end));
  if (start > end) return err(invalidIPRange(text, version, 'order'));
  return ok({ start, end });
};

/** Spiderpool `IsIPRange(version, r)`: Ok when the text is a valid range of that family. */
export const isIPRange = (version: IPVersion, text: string): Result<void, IPError> =>
  parseIPRange(version, text).map(() => undefined);

/** Parses every range text (first error wins) into one canonical set; overlapping input is merged. */
export const parseIPRanges = (version: IPVersion, texts: readonly string[]): Result<IPRangeSet, IPError> => {
  const intervals: IPInterval[] = [];
  for (const text of texts) {
    const r = parseIPRange(version, text);
    if (r.isErr()) return err(r.error);
    intervals.push(r.value);
  }
  return ok(rangeSetFromIntervals(version, intervals));
};

/** One interval in Spiderpool's form: a single address bare, otherwise `start-end`. */
export const formatIPRange = (version: IPVersion, interval: IPInterval): string =>
  interval.start === interval.end
    ? formatIPValue(version, interval.start)
    : `${formatIPValue(version, interval.start)}-${formatIPValue(version, interval.end)}`;

/** A set as Spiderpool's `ips` list (what `MergeIPRanges` returns). */
export const formatIPRanges = (set: IPRangeSet): string[] =>
  set.intervals.map((iv) => formatIPRange(set.version, iv));
