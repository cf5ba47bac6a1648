// Two controllers on one subnet: the subnet CAS makes the loser re-plan, so no address is reserved twice.
import { describe, expect, it } from 'vitest';
import type { SpiderIPPool } from '../api/index.ts';
import { parseIPRanges, rangeSetSize, rangeSetsOverlap, unionRangeSets } from '../ip/index.ts';
import type { WriteOp } from '../store/index.ts';
import { runAutoPoolController } from './autoPoolController.ts';
import { reconcileApplicationPools } from './autoPoolReconcile.ts';
import { autoPoolWorld, SUBNET_ANNO, subnetObject, workload } from './autoPoolTestKit.ts';

const anno = { [SUBNET_ANNO]: '{"ipv4":["s4"]}' };
const setOf = (p: SpiderIPPool) => parseIPRanges(4, p.spec.ips ?? [])._unsafeUnwrap();

const expectDisjoint = (pools: readonly SpiderIPPool[]) => {
  for (const [i, a] of pools.entries()) {
    for (const b of pools.slice(i + 1)) expect(rangeSetsOverlap(setOf(a), setOf(b))).toBe(false);
  }
};

describe('auto-pool controller: concurrency-safe subnet CAS', () => {
  it('the loser of a subnet write re-reads and plans around the winner', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let subnetWrites = 0;
    const beforeWrite = (op: WriteOp) => {
      if (op.kind !== 'SpiderSubnet' || op.verb !== 'updateStatus') return undefined;
      subnetWrites++;
      // hold the first subnet write until the other controller has finished
      return subnetWrites === 1 ? gate.then(() => undefined) : undefined;
    };
    const w = autoPoolWorld({ beforeWrite });
    await w.create(subnetObject('s4', '10.1.0.0/24', ['10.1.0.10-10.1.0.50']));
    await w.create(workload('Deployment', 'default', 'a', { replicas: 2, annotations: anno }));
    await w.create(workload('Deployment', 'default', 'b', { replicas: 4, annotations: anno }));
    const first = reconcileApplicationPools(w.store, { kind: 'Deployment', namespace: 'default', name: 'a' });
    const second = await reconcileApplicationPools(w.store, {
      kind: 'Deployment',
      namespace: 'default',
      name: 'b',
    });
    expect(second._unsafeUnwrap().pools[0]?.ips).toEqual(['10.1.0.10-10.1.0.14']);
    release();
    const a = (await first)._unsafeUnwrap();
    expect(a.pools[0]?.ips).toEqual(['10.1.0.15-10.1.0.17']);
    expect(subnetWrites).toBe(3); // a (conflict), b, a again
    const pools = await w.pools();
    expect(pools).toHaveLength(2);
    expectDisjoint(pools);
    expect((await w.subnet('s4')).status?.allocatedIPCount).toBe(8);
  });

  it('two controllers over 8 Deployments: one pool per app, right sizes, disjoint, subnet status = pools', async () => {
    const w = autoPoolWorld();
    await w.create(subnetObject('s4', '10.1.0.0/24', ['10.1.0.1-10.1.0.254']));
    const acs = [new AbortController(), new AbortController()];
    const handles = await Promise.all(
      acs.map(async (ac) => (await runAutoPoolController(w.store, { signal: ac.signal }))._unsafeUnwrap()),
    );
    for (let i = 0; i < 8; i++) {
      await w.create(workload('Deployment', 'default', `app${i}`, { replicas: i, annotations: anno }));
    }
    for (let i = 0; i < 8; i += 2) await w.scale('Deployment', 'default', `app${i}`, i + 3);
    const settle = async () => {
      for (let i = 0; i < 30; i++) {
        await new Promise((r) => setTimeout(r, 1));
        await Promise.all(handles.map((h) => h.idle()));
      }
    };
    await settle();
    const pools = await w.pools();
    expect(pools).toHaveLength(8);
    for (const p of pools) {
      const i = Number(p.metadata.labels?.['ipam.spidernet.io/owner-application-name']?.slice(3));
      const replicas = i % 2 === 0 ? i + 3 : i;
      expect(rangeSetSize(setOf(p))).toBe(BigInt(replicas + 1));
    }
    expectDisjoint(pools);
    const controlled = await w.controlled('s4');
    expect([...controlled.keys()].sort()).toEqual(pools.map((p) => p.metadata.name).sort());
    for (const p of pools) expect(controlled.get(p.metadata.name)?.ips).toEqual(p.spec.ips);
    const union = pools.reduce(
      (acc, p) => unionRangeSets(acc, setOf(p)),
      parseIPRanges(4, [])._unsafeUnwrap(),
    );
    expect((await w.subnet('s4')).status?.allocatedIPCount).toBe(Number(rangeSetSize(union)));

    // deleting every app through both controllers empties the subnet
    for (let i = 0; i < 8; i++)
      (await w.store.delete({ kind: 'Deployment', namespace: 'default', name: `app${i}` }))._unsafeUnwrap();
    await settle();
    expect(await w.pools()).toEqual([]);
    expect((await w.subnet('s4')).status?.controlledIPPools).toBeUndefined();
    for (const ac of acs) ac.abort();
  });
});
