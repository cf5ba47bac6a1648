// Test kit: a reference copy of the status encoding as it was before ADR 0023's fast paths, kept to prove
// the fast paths byte-identical. Quoting walks one UTF-16 unit at a time, Go key order compares code points
// by iterating them, the map is sorted and marshalled entry by entry. Not used outside tests.
import type { PoolIPAllocation } from '../api/index.ts';

const hex4 = (code: number): string => `\\u${code.toString(16).padStart(4, '0')}`;

/** Go's `encodeState.string` with escapeHTML = true, one unit at a time. */
export function referenceGoQuote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += s.slice(i, i + 2);
        i++;
      } else {
        out += '\\ufffd';
      }
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      out += '\\ufffd';
      continue;
    }
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029 || c < 0x20)
      out += hex4(c);
    else out += s[i] ?? '';
  }
  return `${out}"`;
}

/** Code point order, by iterating code points (a lone surrogate counts as its own value). */
export function referenceCompareGoStrings(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done === true) return y.done === true ? 0 : -1;
    if (y.done === true) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** `json.Marshal(map[string]{Pod, PodUid})` the slow way. */
export function referenceEncodeAllocatedIPs(
  records: ReadonlyMap<string, PoolIPAllocation>,
): string | undefined {
  if (records.size === 0) return undefined;
  const keys = [...records.keys()].sort(referenceCompareGoStrings);
  const parts = keys.map((ip) => {
    const r = records.get(ip) as PoolIPAllocation;
    return `${referenceGoQuote(ip)}:{${referenceGoQuote('pod')}:${referenceGoQuote(r.pod)},${referenceGoQuote('podUid')}:${referenceGoQuote(r.podUid)}}`;
  });
  return `{${parts.join(',')}}`;
}
