// The opt-in per pool: annotations on the SpiderIPPool choose the compact (blocks) format and its block size.
// An annotation, not a spec field: Spiderpool's CRD schema prunes unknown spec fields, so a field would vanish
// on a cluster running Spiderpool's CRDs, while annotations survive any schema (ADR 0029).

import { type FieldError, forbidden, invalid, notSupported } from '../../api/fieldError.ts';
import type { SpiderIPPool } from '../../api/index.ts';

/** `spiderpool-ts.io/pool-format`: `spiderpool` (default: records in `status.allocatedIPs`) or `blocks`. */
export const POOL_FORMAT_ANNOTATION = 'spiderpool-ts.io/pool-format';
/** `spiderpool-ts.io/block-size`: addresses per block, a power of two in [MIN_BLOCK_SIZE, MAX_BLOCK_SIZE]. */
export const BLOCK_SIZE_ANNOTATION = 'spiderpool-ts.io/block-size';
export const POOL_FORMAT_SPIDERPOOL = 'spiderpool';
export const POOL_FORMAT_BLOCKS = 'blocks';
export const DEFAULT_BLOCK_SIZE = 64;
export const MIN_BLOCK_SIZE = 4;
/** 1024 records of the longest names (~330 B each as a JSON tuple) stay far below 1 MiB per block object. */
export const MAX_BLOCK_SIZE = 1024;
/** Block objects are labelled with the pool name: a label value holds at most 63 characters. */
export const MAX_BLOCK_POOL_NAME = 63;

export type PoolFormat = typeof POOL_FORMAT_SPIDERPOOL | typeof POOL_FORMAT_BLOCKS;

/** Whether the pool's records live in SpiderIPBlock objects (an unknown value reads as the default format). */
export const isBlockPool = (pool: SpiderIPPool): boolean =>
  pool.metadata.annotations?.[POOL_FORMAT_ANNOTATION] === POOL_FORMAT_BLOCKS;

/** The block size of a block pool; an absent or malformed annotation gives the default (the webhook refuses it). */
export const blockSizeOf = (pool: SpiderIPPool): number => {
  const raw = pool.metadata.annotations?.[BLOCK_SIZE_ANNOTATION];
  const n = raw === undefined ? DEFAULT_BLOCK_SIZE : Number(raw);
  return isValidBlockSize(n) ? n : DEFAULT_BLOCK_SIZE;
};

const isValidBlockSize = (n: number): boolean =>
  Number.isInteger(n) && n >= MIN_BLOCK_SIZE && n <= MAX_BLOCK_SIZE && (n & (n - 1)) === 0;

const annotationPath = (key: string): string => `metadata.annotations[${key}]`;

/** Syntax of the two annotations and the pool-name bound of the blocks format (create and update). */
export const validatePoolFormat = (pool: SpiderIPPool): FieldError | undefined => {
  const ann = pool.metadata.annotations ?? {};
  const format = ann[POOL_FORMAT_ANNOTATION];
  if (format !== undefined && format !== POOL_FORMAT_SPIDERPOOL && format !== POOL_FORMAT_BLOCKS)
    return notSupported(annotationPath(POOL_FORMAT_ANNOTATION), format, [
      POOL_FORMAT_SPIDERPOOL,
      POOL_FORMAT_BLOCKS,
    ]);
  const size = ann[BLOCK_SIZE_ANNOTATION];
  if (size !== undefined) {
    if (format !== POOL_FORMAT_BLOCKS)
      return invalid(
        annotationPath(BLOCK_SIZE_ANNOTATION),
        size,
        `only valid with ${POOL_FORMAT_ANNOTATION}=blocks`,
      );
    if (!/^[0-9]+$/.test(size) || !isValidBlockSize(Number(size)))
      return invalid(
        annotationPath(BLOCK_SIZE_ANNOTATION),
        size,
        `must be a power of two in [${MIN_BLOCK_SIZE}, ${MAX_BLOCK_SIZE}]`,
      );
  }
  if (format === POOL_FORMAT_BLOCKS && pool.metadata.name.length > MAX_BLOCK_POOL_NAME)
    return invalid(
      'metadata.name',
      pool.metadata.name,
      `a pool in the blocks format has a name of at most ${MAX_BLOCK_POOL_NAME} characters`,
    );
  return undefined;
};

const recordCount = (pool: SpiderIPPool): number =>
  Math.max(pool.status?.allocatedIPCount ?? 0, pool.status?.allocatedIPs === undefined ? 0 : 1);

/**
 * UPDATE: the format and the block size are fixed while the pool holds records (block boundaries and where
 * records live would move under the agents); convert with `convertToBlocks` / `convertToSpiderpool` instead.
 */
export const validatePoolFormatUpdate = (old: SpiderIPPool, pool: SpiderIPPool): FieldError | undefined => {
  const syntax = validatePoolFormat(pool);
  if (syntax !== undefined) return syntax;
  if (recordCount(old) === 0) return undefined;
  const was = old.metadata.annotations ?? {};
  const now = pool.metadata.annotations ?? {};
  if (isBlockPool(old) !== isBlockPool(pool))
    return forbidden(
      annotationPath(POOL_FORMAT_ANNOTATION),
      'cannot change the format of an IPPool that has allocated IPs',
    );
  if (
    isBlockPool(pool) &&
    was[BLOCK_SIZE_ANNOTATION] !== now[BLOCK_SIZE_ANNOTATION] &&
    blockSizeOf(old) !== blockSizeOf(pool)
  )
    return forbidden(
      annotationPath(BLOCK_SIZE_ANNOTATION),
      'cannot change the block size of an IPPool that has allocated IPs',
    );
  return undefined;
};
