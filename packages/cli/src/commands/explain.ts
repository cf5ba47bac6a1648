// `spiderpool-ts explain <pod>`: why a Pod got which IP, or none. Runs core's `explain` (read-only: it
// writes nothing) on the Pod's node and prints, per NIC and family, the candidate pools in the order
// allocation tries them, the IP each would give now, and every dropped pool with its reason.
import { createIpamEngine, type Explanation, KIND_POD, type Pod, type Store } from '@spiderpool-ts/core';
import { renderTable } from '../render/table.ts';
import type { CliIo, Output } from './io.ts';

export interface ExplainArgs {
  namespace: string;
  pod: string;
  ifName: string;
}

export const renderExplanation = (x: Explanation): string => {
  const lines: string[] = [`Pod ${x.pod}, interface ${x.ifName}`];
  if (x.notAlive !== undefined) lines.push(`  refused outright: ${x.notAlive}`);
  if (x.existing !== undefined) {
    const ips = [x.existing.ipv4, x.existing.ipv6].filter((v) => v !== undefined).join(', ');
    lines.push(`  already has: ${ips} (a repeated ADD answers from the SpiderEndpoint)`);
  }
  if (x.error !== undefined) lines.push(`  no pool was looked at: ${x.error.message}`);
  for (const nic of x.nics) {
    lines.push(`  NIC ${nic.nic}: pools from ${nic.source}${nic.cleanGateway ? ', gateway cleaned' : ''}`);
    for (const v of nic.versions) {
      lines.push(
        `    IPv${v.version}: ${v.chosen ? `would get ${v.chosen.ip} from ${v.chosen.pool}` : 'no IP available'}`,
      );
      const rows = [
        ...v.pools.map((p) => [p.pool, 'candidate', p.nextIP ?? '-', p.free, p.error ?? '']),
        ...v.dropped.map((d) => [d.pool, 'dropped', '-', '-', d.message]),
      ];
      if (rows.length > 0)
        lines.push(
          renderTable(['POOL', 'STATE', 'NEXT-IP', 'FREE', 'REASON'], rows)
            .split('\n')
            .map((l) => `      ${l}`)
            .join('\n'),
        );
    }
  }
  return lines.join('\n');
};

export async function explain(store: Store, a: ExplainArgs, output: Output, io: CliIo): Promise<number> {
  const pod = await store.get<Pod>({ kind: KIND_POD, namespace: a.namespace, name: a.pod });
  if (pod.isErr()) {
    io.err(
      pod.error._tag === 'NotFound'
        ? `Pod ${a.namespace}/${a.pod} not found (use -n for another namespace)`
        : `cannot read Pod ${a.namespace}/${a.pod}: ${pod.error.message}`,
    );
    return 2;
  }
  const engine = createIpamEngine({
    store,
    nodeName: pod.value.spec?.nodeName ?? '',
    sleep: () => Promise.resolve(),
    random: Math.random,
  });
  try {
    const x = await engine.explain(a.namespace, a.pod, a.ifName);
    if (x.isErr()) {
      io.err(`explain failed: ${x.error.message}`);
      return 2;
    }
    io.out(output === 'json' ? JSON.stringify(x.value, null, 2) : renderExplanation(x.value));
    return 0;
  } finally {
    engine.dispose();
  }
}
