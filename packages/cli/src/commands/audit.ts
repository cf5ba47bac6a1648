// `spiderpool-ts audit`: lists pools, endpoints, Pods and Nodes and prints every inconsistency
// (src/audit/findings.ts). Exit 0 when clean, 1 with findings, 2 when the cluster cannot be read.
import {
  isBlockPool,
  KIND_POD,
  KIND_SPIDER_ENDPOINT,
  KIND_SPIDER_IP_BLOCK,
  KIND_SPIDER_IPPOOL,
  type Node,
  type Pod,
  type SpiderEndpoint,
  type SpiderIPBlock,
  type SpiderIPPool,
  type Store,
} from '@spiderpool-ts/core';
import { type AuditFinding, auditIpam } from '../audit/findings.ts';
import { renderTable } from '../render/table.ts';
import type { CliIo, Output } from './io.ts';

const subject = (f: AuditFinding): string => {
  switch (f._tag) {
    case 'LeakedIP':
    case 'RecordOutsidePool':
      return `pool ${f.pool} ${f.ip}`;
    case 'DuplicateIP':
      return f.ip;
    case 'EndpointWithoutPoolRecord':
      return `endpoint ${f.endpoint} ${f.ip}`;
    case 'EndpointOnMissingNode':
      return `endpoint ${f.endpoint}`;
    case 'PoolOverCapacity':
    case 'CountMismatch':
    case 'UnreadablePoolStatus':
      return `pool ${f.pool}`;
  }
};

export async function audit(store: Store, output: Output, io: CliIo): Promise<number> {
  const [pools, endpoints, pods, nodes] = await Promise.all([
    store.list<SpiderIPPool>(KIND_SPIDER_IPPOOL),
    store.list<SpiderEndpoint>(KIND_SPIDER_ENDPOINT),
    store.list<Pod>(KIND_POD),
    store.list<Node>('Node'),
  ]);
  for (const [what, r] of [
    ['SpiderIPPools', pools],
    ['SpiderEndpoints', endpoints],
    ['Pods', pods],
    ['Nodes', nodes],
  ] as const) {
    if (r.isErr()) {
      io.err(`cannot list ${what}: ${r.error.message}`);
      return 2;
    }
  }
  // Blocks of pools in the blocks format (ADR 0029), listed only when such a pool exists.
  const blockPools = pools._unsafeUnwrap().items.some(isBlockPool);
  const blocks = blockPools ? await store.list<SpiderIPBlock>(KIND_SPIDER_IP_BLOCK) : undefined;
  if (blocks?.isErr()) {
    io.err(`cannot list SpiderIPBlocks: ${blocks.error.message}`);
    return 2;
  }
  const findings = auditIpam({
    ...(blocks?.isOk() ? { blocks: blocks.value.items } : {}),
    pools: pools._unsafeUnwrap().items,
    endpoints: endpoints._unsafeUnwrap().items,
    pods: pods._unsafeUnwrap().items,
    nodes: nodes._unsafeUnwrap().items,
  });
  if (output === 'json') io.out(JSON.stringify({ findings }, null, 2));
  else if (findings.length === 0) {
    const n = pools._unsafeUnwrap().items.length;
    io.out(`audit: ${n} pools, ${endpoints._unsafeUnwrap().items.length} endpoints checked, no findings`);
  } else {
    io.out(
      renderTable(
        ['FINDING', 'SUBJECT', 'DETAIL'],
        findings.map((f) => [f._tag, subject(f), f.detail]),
      ),
    );
    io.out(`audit: ${findings.length} finding(s)`);
  }
  return findings.length === 0 ? 0 : 1;
}
