// The blocks pool format (ADR 0029): opt-in per pool by annotation, records in SpiderIPBlock objects.
export type { BlockBatchStats } from './blockBatch.ts';
export { BlockGeometry, type BlockPosition } from './blockGeometry.ts';
export {
  BLOCK_NODE_LABEL,
  BLOCK_POOL_LABEL,
  type BlockRecordTuple,
  blockAllocations,
  blockName,
  KIND_SPIDER_IP_BLOCK,
  newBlockObject,
  SPIDER_IP_BLOCK_API_VERSION,
  SPIDERPOOL_TS_GROUP,
  type SpiderIPBlock,
  type SpiderIPBlockSpec,
  type SpiderIPBlockStatus,
} from './blockObject.ts';
export { BlockPool } from './blockPool.ts';
export { BlockPools, type BlockPoolsDeps } from './blockPools.ts';
export {
  type BlocksConversion,
  type ConversionError,
  convertToBlocks,
  convertToSpiderpool,
  ETCD_OBJECT_LIMIT_BYTES,
  type SpiderpoolConversion,
  utf8Length,
} from './conversion.ts';
export {
  BLOCK_SIZE_ANNOTATION,
  blockSizeOf,
  DEFAULT_BLOCK_SIZE,
  isBlockPool,
  MAX_BLOCK_POOL_NAME,
  MAX_BLOCK_SIZE,
  MIN_BLOCK_SIZE,
  POOL_FORMAT_ANNOTATION,
  POOL_FORMAT_BLOCKS,
  POOL_FORMAT_SPIDERPOOL,
  type PoolFormat,
  validatePoolFormat,
  validatePoolFormatUpdate,
} from './format.ts';
export {
  type BlockPoolRecord,
  type BlockReleaseOutcome,
  blockPoolHolds,
  countBlockRecords,
  listBlockPoolRecords,
  listPoolBlocks,
  recordsOfBlocks,
  releaseBlockRecordsIfOwned,
} from './records.ts';
