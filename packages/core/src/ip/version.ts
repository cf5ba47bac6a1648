// IP families: 4 and 6, their widths and the largest value of each, as bigint.
import { err, ok, type Result } from 'neverthrow';
import type { IPVersion } from '../api/pools.ts';
import { type IPError, invalidIPVersion } from './errors.ts';

// One declaration of `4 | 6` for the whole package (the CRD types own it); re-exported so both barrels
// export the same symbol.
export type { IPVersion };

export const IPV4_MAX = 0xffff_ffffn;
export const IPV6_MAX = (1n << 128n) - 1n;

/** Number of bits in an address of this family. */
export const ipBits = (version: IPVersion): 32 | 128 => (version === 4 ? 32 : 128);

/** Largest address value of this family (255.255.255.255, ffff:...:ffff). */
export const ipMaxValue = (version: IPVersion): bigint => (version === 4 ? IPV4_MAX : IPV6_MAX);

export const isIPVersion = (value: unknown): value is IPVersion => value === 4 || value === 6;

/** Spiderpool `IsIPVersion`: 4 or 6, anything else is `InvalidIPVersion`. */
export const checkIPVersion = (value: unknown): Result<IPVersion, IPError> =>
  isIPVersion(value) ? ok(value) : err(invalidIPVersion(value));
