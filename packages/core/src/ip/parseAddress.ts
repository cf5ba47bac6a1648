// Text -> number for IPv4 and IPv6 with Go's `netip.ParseAddr` grammar (which `net.ParseIP` uses since Go
// 1.22): IPv4 is exactly four decimal octets without leading zeros; IPv6 has 1-4 hex digits per field, at most
// one `::`, which must stand for at least one zero field, and an optional trailing dotted IPv4 in the last 32
// bits. Zones (`%eth0`) are rejected, as `net.ParseIP` does. Returns undefined on any syntax error.

const DOT = 0x2e;
const COLON = 0x3a;

const decimal = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : -1);

const hexDigit = (c: number): number => {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
};

/** Dotted-quad IPv4 (from `from` to the end of `s`) as an unsigned 32-bit number, or undefined. */
export const parseIPv4Number = (s: string, from = 0): number | undefined => {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const d = decimal(c);
    if (d >= 0) {
      if (digits === 1 && octet === 0) return undefined; // leading zero
      octet = octet * 10 + d;
      if (octet > 255) return undefined;
      digits++;
    } else if (c === DOT) {
      if (digits === 0 || dots === 3) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + octet;
};

/** IPv6 text as eight 16-bit fields, or undefined. */
const parseIPv6Fields = (s: string): number[] | undefined => {
  const fields: number[] = [];
  let ellipsis = -1; // index in `fields` where `::` stands
  let i = 0;
  if (s.length >= 2 && s.charCodeAt(0) === COLON && s.charCodeAt(1) === COLON) {
    ellipsis = 0;
    i = 2;
    if (i === s.length) return [0, 0, 0, 0, 0, 0, 0, 0];
  }
  while (fields.length < 8) {
    let acc = 0;
    let off = 0;
    while (i + off < s.length) {
      const h = hexDigit(s.charCodeAt(i + off));
      if (h < 0) break;
      acc = acc * 16 + h;
      off++;
      if (off > 4) return undefined;
    }
    if (off === 0) return undefined;
    if (i + off < s.length && s.charCodeAt(i + off) === DOT) {
      // Trailing IPv4: replaces the last two fields (or sits right before an elided run).
      if (ellipsis < 0 && fields.length !== 6) return undefined;
      if (fields.length + 2 > 8) return undefined;
      const v4 = parseIPv4Number(s, i);
      if (v4 === undefined) return undefined;
      fields.push(Math.floor(v4 / 0x10000), v4 % 0x10000);
      i = s.length;
      break;
    }
    fields.push(acc);
    i += off;
    if (i === s.length) break;
    if (s.charCodeAt(i) !== COLON || i + 1 === s.length) return undefined;
    i++;
    if (s.charCodeAt(i) === COLON) {
      if (ellipsis >= 0) return undefined;
      ellipsis = fields.length;
      i++;
      if (i === s.length) break;
    }
  }
  if (i !== s.length) return undefined;
  if (fields.length < 8) {
    if (ellipsis < 0) return undefined;
    const zeros = new Array<number>(8 - fields.length).fill(0);
    fields.splice(ellipsis, 0, ...zeros);
  } else if (ellipsis >= 0) {
    return undefined; // `::` must stand for at least one zero field
  }
  return fields;
};

/** IPv6 text as a 128-bit bigint, or undefined. */
export const parseIPv6Value = (s: string): bigint | undefined => {
  const f = parseIPv6Fields(s);
  if (f === undefined) return undefined;
  let v = 0n;
  for (let k = 0; k < 8; k += 2) v = (v << 32n) | BigInt((f[k] ?? 0) * 0x10000 + (f[k + 1] ?? 0));
  return v;
};

/** Family and value of an address text, the family decided as Go does: the first `.` or `:` wins. */
export const parseAddressText = (s: string): { version: 4 | 6; value: bigint } | undefined => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === DOT) {
      const n = parseIPv4Number(s);
      return n === undefined ? undefined : { version: 4, value: BigInt(n) };
    }
    if (c === COLON) {
      const v = parseIPv6Value(s);
      return v === undefined ? undefined : { version: 6, value: v };
    }
  }
  return undefined;
};
