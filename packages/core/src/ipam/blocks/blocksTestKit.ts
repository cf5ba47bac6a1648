// Test-only fixtures for the blocks format (not exported by the barrel): a SpiderIPPool in the blocks format.
import type { SpiderIPPool } from '../../api/index.ts';
import { ipPool } from '../engineTestKit.ts';
import { BLOCK_SIZE_ANNOTATION, POOL_FORMAT_ANNOTATION } from './format.ts';

export const blockPool = (
  name: string,
  subnet: string,
  spec: Partial<SpiderIPPool['spec']>,
  blockSize = 16,
): SpiderIPPool => {
  const p = ipPool(name, subnet, spec);
  p.metadata.annotations = { [POOL_FORMAT_ANNOTATION]: 'blocks', [BLOCK_SIZE_ANNOTATION]: String(blockSize) };
  return p;
};
