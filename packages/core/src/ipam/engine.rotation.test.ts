// ADR 0030 through the engine: agents on different nodes fill different cluster default pools first, and a
// full pool falls through to the next one in the node's rotated order until every pool is full.
import { describe, expect, it } from 'vitest';
import { createIpamEngine } from './engine.ts';
import { addReq, engineWorld, ipPool, noSleepRandom, pod } from './engineTestKit.ts';
import { stableHash } from './order.ts';

const POOLS = ['pa', 'pb', 'pc'];

const world = async () => {
  const w = engineWorld();
  for (const [i, name] of POOLS.entries())
    await w.create(ipPool(name, `10.${i + 1}.0.0/24`, { ips: [`10.${i + 1}.0.1`], default: true }));
  return w;
};

/** The rotated order of POOLS for a node, as ADR 0030 defines it. */
const expected = (node: string): string[] => {
  const at = stableHash(node) % POOLS.length;
  return [...POOLS.slice(at), ...POOLS.slice(0, at)];
};

describe('IpamEngine: cluster default pools rotated per node', () => {
  it('a full pool falls through to the next in the node order, then the ADD fails', async () => {
    const w = await world();
    // a node whose rotation does not start at the first name, so name order would fail the test
    const node =
      ['node-0', 'node-1', 'node-2', 'node-3', 'node-4'].find((n) => expected(n)[0] !== 'pa') ?? '';
    const engine = createIpamEngine({ store: w.store, nodeName: node, ...noSleepRandom(1) });
    const got: string[] = [];
    const failed: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) {
      await w.create(pod('default', name, { node }));
      const r = await engine.allocate(addReq('default', name));
      if (r.isOk()) got.push(r.value.ips[0]?.pool ?? '');
      else failed.push(r.error._tag);
    }
    expect(got).toEqual(expected(node));
    expect(failed).toEqual(['AllPoolsExhausted']);
    engine.dispose();
  });

  it('nodes with different rotations start on different pools', async () => {
    const w = await world();
    const nodes = Array.from({ length: 20 }, (_, i) => `node-${i}`);
    const [n1, n2] = [
      nodes[0] ?? '',
      nodes.find((n) => expected(n)[0] !== expected(nodes[0] ?? '')[0]) ?? '',
    ];
    const firsts: string[] = [];
    for (const node of [n1, n2]) {
      const engine = createIpamEngine({ store: w.store, nodeName: node, ...noSleepRandom(2) });
      await w.create(pod('default', `on-${node}`, { node }));
      firsts.push(
        (await engine.allocate(addReq('default', `on-${node}`)))._unsafeUnwrap().ips[0]?.pool ?? '',
      );
      engine.dispose();
    }
    expect(firsts).toEqual([expected(n1)[0], expected(n2)[0]]);
    expect(firsts[0]).not.toBe(firsts[1]);
  });
});
