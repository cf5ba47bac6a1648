// `audit` over a pool in the blocks format (core ADR 0029): its records come from its SpiderIPBlocks, so a
// consistent block pool has no findings (no CountMismatch against an empty status), and a record whose Pod
// is gone is a LeakedIP named by the block's address.
import { convertToBlocks, type Pod, type SpiderIPPool } from '@spiderpool-ts/core';
import { describe, expect, it } from 'vitest';
import { auditIpam } from '../src/audit/findings.ts';

const spiderpoolPool: SpiderIPPool = {
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: { name: 'bp' },
  spec: { subnet: '10.1.0.0/16', ips: ['10.1.0.1-10.1.3.254'] },
  status: {
    allocatedIPCount: 2,
    allocatedIPs:
      '{"10.1.0.5":{"pod":"default/a","podUid":"ua"},"10.1.2.9":{"pod":"default/b","podUid":"ub"}}',
  },
};
const pod = (name: string, uid: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: 'default', name, uid },
  spec: { nodeName: 'n1' },
});

describe('audit: block pools', () => {
  it('reads the records from the blocks', () => {
    const { pool, blocks } = convertToBlocks(spiderpoolPool, { blockSize: 64 })._unsafeUnwrap();
    const findings = auditIpam({
      pools: [pool],
      blocks,
      endpoints: [],
      pods: [pod('a', 'ua'), pod('b', 'ub')],
      nodes: [],
    });
    expect(findings).toEqual([]);
    const leaked = auditIpam({ pools: [pool], blocks, endpoints: [], pods: [pod('a', 'ua')], nodes: [] });
    expect(
      leaked.filter((f) => f._tag === 'LeakedIP').map((f) => (f._tag === 'LeakedIP' ? f.ip : '')),
    ).toEqual(['10.1.2.9']);
    // Without its blocks the same pool shows its count mismatch (0 records found, 2 counted).
    const blind = auditIpam({ pools: [pool], endpoints: [], pods: [], nodes: [] });
    expect(blind.map((f) => f._tag)).toContain('CountMismatch');
  });
});
