// The blocks-format example of packages/core/README.md, kept runnable: each commented result is asserted.
import { describe, expect, it } from 'vitest';
import type { SpiderIPPool } from '../../api/index.ts';
import { convertToBlocks, convertToSpiderpool } from './index.ts';

describe('README: blocks format example', () => {
  it('gives the results the README states', () => {
    const pool: SpiderIPPool = {
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderIPPool',
      metadata: { name: 'big' },
      spec: { subnet: '10.0.0.0/16', ips: ['10.0.0.1-10.0.255.254'] },
      status: {
        allocatedIPs:
          '{"10.0.0.1":{"pod":"default/a","podUid":"u1"},"10.0.1.7":{"pod":"default/b","podUid":"u2"}}',
      },
    };
    const c = convertToBlocks(pool, { blockSize: 256 })._unsafeUnwrap();
    expect(c.blocks.map((b) => [b.metadata.name, b.spec.cidr, b.status?.allocations])).toEqual([
      ['big-0', '10.0.0.0/24', [[1, 'default/a', 'u1', '', '']]],
      ['big-1', '10.0.1.0/24', [[7, 'default/b', 'u2', '', '']]],
    ]);
    expect(c.pool.metadata.annotations).toEqual({
      'spiderpool-ts.io/pool-format': 'blocks',
      'spiderpool-ts.io/block-size': '256',
    });
    expect(convertToSpiderpool(c.pool, c.blocks)._unsafeUnwrap().pool.status?.allocatedIPs).toBe(
      pool.status?.allocatedIPs,
    );
  });
});
