// `spiderpool-ts get pools`: every SpiderIPPool with its usage, as `kubectl get spiderippool` plus a bar.
import {
  KIND_SPIDER_IPPOOL,
  type SpiderIPPool,
  type Store,
  saturateInt64,
  totalIPCount,
} from '@spiderpool-ts/core';
import { renderTable, usageBar } from '../render/table.ts';
import type { CliIo, Output } from './io.ts';

export interface PoolUsage {
  name: string;
  version: number | undefined;
  subnet: string;
  allocated: number;
  total: number;
  default: boolean;
}

/** Counts from the status; a pool no status controller has seen yet gets its total computed from the spec. */
export const poolUsage = (p: SpiderIPPool): PoolUsage => {
  const computed = totalIPCount(p.spec.subnet, p.spec.ips ?? [], p.spec.excludeIPs ?? []);
  return {
    name: p.metadata.name,
    version: p.spec.ipVersion,
    subnet: p.spec.subnet,
    allocated: p.status?.allocatedIPCount ?? 0,
    total: p.status?.totalIPCount ?? (computed.isOk() ? Number(saturateInt64(computed.value)) : 0),
    default: p.spec.default === true,
  };
};

export async function getPools(store: Store, output: Output, io: CliIo): Promise<number> {
  const listed = await store.list<SpiderIPPool>(KIND_SPIDER_IPPOOL);
  if (listed.isErr()) {
    io.err(`cannot list SpiderIPPools: ${listed.error.message}`);
    return 1;
  }
  const pools = listed.value.items.map(poolUsage);
  if (output === 'json') {
    io.out(JSON.stringify(pools, null, 2));
    return 0;
  }
  if (pools.length === 0) {
    io.out('No SpiderIPPools found.');
    return 0;
  }
  io.out(
    renderTable(
      ['NAME', 'VERSION', 'SUBNET', 'ALLOCATED-IP-COUNT', 'TOTAL-IP-COUNT', 'DEFAULT', 'USAGE'],
      pools.map((p) => [
        p.name,
        String(p.version ?? ''),
        p.subnet,
        String(p.allocated),
        String(p.total),
        String(p.default),
        usageBar(p.allocated, p.total),
      ]),
    ),
  );
  return 0;
}
