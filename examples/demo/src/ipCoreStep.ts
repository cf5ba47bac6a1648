// Demo step 1: the IP core at work on the seed's pool (10.20.168.190-10.20.168.199 in 10.20.0.0/16,
// gateway 10.20.0.1): canonical subnet, merged ranges, exact count, gateway outside the range.
import {
  checkFormatCIDR,
  cidrContains,
  formatIPRanges,
  formatIPValue,
  mergeIPRanges,
  parseIP,
  parsePoolRanges,
  rangeSetAt,
  rangeSetContains,
  saturateInt64,
} from '@spiderpool-ts/core';
import type { Printer } from './printer.ts';

export interface SeedPool {
  subnet: string;
  ips: string[];
  gateway: string;
}

export const SEED_POOL: SeedPool = {
  subnet: '10.20.0.0/16',
  ips: ['10.20.168.190-10.20.168.199'],
  gateway: '10.20.0.1',
};

/** Runs the checks a webhook would run on the seed pool's addresses; returns false on any failure. */
export const ipCoreStep = (p: Printer, pool: SeedPool = SEED_POOL): boolean => {
  p.step('IP core on the seed pool');
  const cidr = checkFormatCIDR(pool.subnet);
  if (cidr.isErr()) return p.fail(`subnet ${pool.subnet}: ${cidr.error.message}`);
  p.ok(`subnet ${pool.subnet} is a canonical IPv${cidr.value.version} CIDR (/${cidr.value.prefix})`);

  const merged = mergeIPRanges(cidr.value.version, pool.ips);
  if (merged.isErr()) return p.fail(`ips: ${merged.error.message}`);
  p.ok(`ips ${JSON.stringify(pool.ips)} merged -> ${JSON.stringify(merged.value)}`);

  const ranges = parsePoolRanges(pool.subnet, merged.value, []);
  if (ranges.isErr()) return p.fail(`ranges: ${ranges.error.message}`);
  const { available, total } = ranges.value;
  const first = rangeSetAt(available, 0n);
  const last = rangeSetAt(available, total - 1n);
  p.ok(
    `${total} addresses (totalIPCount ${saturateInt64(total)}), first ${first === undefined ? '-' : formatIPValue(4, first)}, last ${last === undefined ? '-' : formatIPValue(4, last)}`,
  );
  p.ok(`available as Spiderpool ranges: ${JSON.stringify(formatIPRanges(available))}`);

  const gw = parseIP(pool.gateway);
  if (gw.isErr()) return p.fail(`gateway: ${gw.error.message}`);
  if (!cidrContains(cidr.value, gw.value.value))
    return p.fail(`gateway ${pool.gateway} is outside ${pool.subnet}`);
  if (rangeSetContains(available, gw.value.value)) {
    return p.fail(`gateway ${pool.gateway} lies inside ips: it must be listed in excludeIPs`);
  }
  p.ok(`gateway ${pool.gateway} is inside the subnet and outside the allocatable range`);

  const bad = checkFormatCIDR('10.20.5.0/16');
  p.info(`a non-canonical subnet is refused: ${bad.isErr() ? bad.error.message : 'accepted (unexpected)'}`);
  return bad.isErr();
};
