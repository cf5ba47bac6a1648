// Address blocks a Pod can never be given, refused in `spec.subnet` of SpiderIPPool and SpiderSubnet. This is
// a deliberate divergence from Spiderpool, which admits them (ADR 0021): a pool over 0.0.0.0/0 made the engine
// hand out `0.0.0.0/0`, and a loopback, multicast or link-local "pod IP" breaks the Pod silently.

import type { IPVersion } from '../api/pools.ts';
import { type CIDR, cidrsOverlap, parseCIDROfVersion } from '../ip/index.ts';
import type { FieldError } from './fieldError.ts';
import { invalid } from './fieldError.ts';
import { SUBNET_FIELD } from './ippoolSpecRules.ts';

/** One refused block: its CIDR and why a Pod cannot use an address in it. */
export interface UnusableBlock {
  readonly cidr: string;
  readonly why: string;
}

/** Every refused block, per family (RFC 1122, 3927, 5771, 919; RFC 4291). */
export const UNUSABLE_BLOCKS: Readonly<Record<IPVersion, readonly UnusableBlock[]>> = {
  4: [
    { cidr: '0.0.0.0/8', why: '"this network" (RFC 1122), holds the unspecified address 0.0.0.0' },
    { cidr: '127.0.0.0/8', why: 'loopback (RFC 1122)' },
    { cidr: '169.254.0.0/16', why: 'link-local (RFC 3927)' },
    { cidr: '224.0.0.0/4', why: 'multicast (RFC 5771)' },
    { cidr: '255.255.255.255/32', why: 'limited broadcast (RFC 919)' },
  ],
  6: [
    { cidr: '::/128', why: 'the unspecified address (RFC 4291)' },
    { cidr: '::1/128', why: 'loopback (RFC 4291)' },
    { cidr: 'fe80::/10', why: 'link-local (RFC 4291)' },
    { cidr: 'ff00::/8', why: 'multicast (RFC 4291)' },
  ],
};

const parsedBlocks = new Map<IPVersion, readonly (UnusableBlock & { parsed: CIDR })[]>();
const blocksOf = (version: IPVersion): readonly (UnusableBlock & { parsed: CIDR })[] => {
  let cached = parsedBlocks.get(version);
  if (cached === undefined) {
    cached = UNUSABLE_BLOCKS[version].map((b) => ({
      ...b,
      parsed: parseCIDROfVersion(version, b.cidr)._unsafeUnwrap(),
    }));
    parsedBlocks.set(version, cached);
  }
  return cached;
};

/**
 * `spec.subnet` must be able to serve Pods: not a /0, and sharing no address with a block of
 * `UNUSABLE_BLOCKS`. Undefined when the subnet is usable or does not parse (the CIDR rules report that).
 */
export function validateUsableSubnet(version: IPVersion, subnet: string): FieldError | undefined {
  const cidr = parseCIDROfVersion(version, subnet);
  if (cidr.isErr()) return undefined;
  if (cidr.value.prefix === 0) {
    return invalid(
      SUBNET_FIELD,
      subnet,
      'a /0 subnet cannot serve Pods: it holds every address of the family',
    );
  }
  const hit = blocksOf(version).find((b) => cidrsOverlap(cidr.value, b.parsed));
  if (hit === undefined) return undefined;
  return invalid(SUBNET_FIELD, subnet, `overlaps ${hit.cidr}, ${hit.why}: its addresses cannot be Pod IPs`);
}
