// Parsed `spec.subnet` texts, memoized: candidate selection and every allocation parse the same few pool
// subnets on each ADD (family for the IP-version filter, prefix for the answer, the CIDR for annotation
// routes). The parse is a pure function of the text, so entries never go stale; the CIDRs are frozen, so
// sharing one between callers leaks no mutable state. Bounded: past LIMIT distinct texts it starts over.
import { type CIDR, parseCIDR } from '../ip/index.ts';

const LIMIT = 4096;
/** text -> its frozen CIDR, or null when it does not parse. */
const memo = new Map<string, CIDR | null>();

/** `parseCIDR(text)`'s value (frozen, shared), or undefined when the text is not a CIDR. */
export const cachedCIDR = (text: string): CIDR | undefined => {
  const hit = memo.get(text);
  if (hit !== undefined) return hit ?? undefined;
  const parsed = parseCIDR(text);
  const cidr = parsed.isOk() ? Object.freeze({ ...parsed.value }) : null;
  if (memo.size >= LIMIT) memo.clear();
  memo.set(text, cidr);
  return cidr ?? undefined;
};

/** Entries held (for tests). */
export const cachedCIDRCount = (): number => memo.size;
