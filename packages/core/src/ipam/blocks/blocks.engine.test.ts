// The blocks format through the engine on the MemoryStore: allocations land in blocks claimed by the
// agent's node, release gives the IP back, a repeated ADD is idempotent, excluded/reserved IPs are skipped,
// a full pool moves on to the next pool, and nodes borrow from each other's blocks once all are claimed.
import { describe, expect, it } from 'vitest';
import { createIpamEngine, type IpamEngine } from '../engine.ts';
import { addReq, engineWorld, ipPool, noSleepRandom, pod, reservedIP } from '../engineTestKit.ts';
import { KIND_SPIDER_IP_BLOCK, type SpiderIPBlock } from './blockObject.ts';
import { blockPool } from './blocksTestKit.ts';
import { listBlockPoolRecords } from './records.ts';

const engineOn = (w: ReturnType<typeof engineWorld>, node: string, seed = 1): IpamEngine =>
  createIpamEngine({ store: w.store, nodeName: node, ...noSleepRandom(seed) });

const blocksOf = async (w: ReturnType<typeof engineWorld>): Promise<SpiderIPBlock[]> =>
  (await w.store.list<SpiderIPBlock>(KIND_SPIDER_IP_BLOCK))._unsafeUnwrap().items;

const ipOf = (r: { ips: { address: string }[] }): string => (r.ips[0]?.address ?? '').split('/')[0] ?? '';

describe('blocks format through the engine', () => {
  it('allocates from blocks claimed by the node, records owners, and leaves the pool status without records', async () => {
    const w = engineWorld();
    await w.create(blockPool('big', '10.20.0.0/16', { ips: ['10.20.0.1-10.20.3.254'], default: true }));
    const a = engineOn(w, 'node-a');
    const b = engineOn(w, 'node-b', 2);
    const ips = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const node = i % 2 === 0 ? 'node-a' : 'node-b';
      await w.create(pod('default', `p${i}`, { uid: `uid-${i}`, node }));
      const r = (await (i % 2 === 0 ? a : b).allocate(addReq('default', `p${i}`)))._unsafeUnwrap();
      ips.add(ipOf(r));
    }
    expect(ips.size).toBe(40);
    const blocks = await blocksOf(w);
    // 20 records per node in blocks of 16: two blocks each, each owned by one node.
    expect(blocks.map((x) => x.spec.node).sort()).toEqual(['node-a', 'node-a', 'node-b', 'node-b']);
    for (const blk of blocks) for (const t of blk.status?.allocations ?? []) expect(t[4]).toBe('');
    const pool = await w.getPool('big');
    expect(pool.status?.allocatedIPs).toBeUndefined();
    const recs = (await listBlockPoolRecords(w.store, pool))._unsafeUnwrap();
    expect(recs).toHaveLength(40);
    const p3 = recs.find((r) => r.pod === 'default/p3');
    expect(p3).toMatchObject({ pod: 'default/p3', nic: 'eth0', node: 'node-b' });
    // Blocks are aligned /28s of the subnet; no IP is in two blocks.
    for (const blk of blocks) expect(blk.spec.cidr).toMatch(/\/28$/);
    a.dispose();
    b.dispose();
  });

  it('release gives the IP back (the next ADD gets it), and a repeated ADD answers from the record', async () => {
    const w = engineWorld();
    await w.create(blockPool('p', '10.30.0.0/24', { ips: ['10.30.0.10-10.30.0.40'], default: true }));
    const e = engineOn(w, 'n1');
    const px = await w.create(pod('default', 'x', { node: 'n1' }));
    const first = ipOf((await e.allocate(addReq('default', 'x')))._unsafeUnwrap());
    const again = ipOf((await e.allocate(addReq('default', 'x')))._unsafeUnwrap());
    expect(again).toBe(first);
    expect(e.stats().blocks.blockWrites).toBe(1);
    await w.deletePod('default', 'x');
    (await e.release({ ...addReq('default', 'x'), podUid: px.metadata.uid ?? '' }))._unsafeUnwrap();
    const recs = (await listBlockPoolRecords(w.store, await w.getPool('p')))._unsafeUnwrap();
    expect(recs).toEqual([]);
    await w.create(pod('default', 'y', { uid: 'uy', node: 'n1' }));
    expect(ipOf((await e.allocate(addReq('default', 'y')))._unsafeUnwrap())).toBe(first);
    e.dispose();
  });

  it('skips excluded and reserved IPs, and a full block pool moves on to the next pool', async () => {
    const w = engineWorld();
    await w.create(reservedIP('r', ['10.40.0.3']));
    await w.create(
      blockPool('small', '10.40.0.0/24', { ips: ['10.40.0.1-10.40.0.6'], excludeIPs: ['10.40.0.2'] }, 4),
    );
    await w.create(ipPool('next', '10.41.0.0/24', { ips: ['10.41.0.1-10.41.0.9'] }));
    const e = engineOn(w, 'n1');
    const got: string[] = [];
    for (let i = 0; i < 5; i++) {
      await w.create(pod('default', `q${i}`, { uid: `q${i}`, node: 'n1' }));
      const r = await e.allocate(
        addReq('default', `q${i}`, 'eth0', { default_ipv4_ippool: ['small', 'next'] }),
      );
      if (r.isErr()) throw new Error(r.error.message);
      got.push(ipOf(r.value));
    }
    // Lowest free inside a block; which block a node claims first depends on its name's hash.
    expect(got.slice(0, 4).sort()).toEqual(['10.40.0.1', '10.40.0.4', '10.40.0.5', '10.40.0.6']);
    expect(got[4]).toBe('10.41.0.1');
    e.dispose();
  });

  it('once every block is claimed, a node borrows room in another node’s block', async () => {
    const w = engineWorld();
    // 8 usable addresses in two blocks of 4.
    await w.create(blockPool('tiny', '10.50.0.0/24', { ips: ['10.50.0.0-10.50.0.7'], default: true }, 4));
    const a = engineOn(w, 'a');
    const b = engineOn(w, 'b', 2);
    const all: string[] = [];
    for (let i = 0; i < 5; i++) {
      await w.create(pod('default', `a${i}`, { uid: `a${i}`, node: 'a' }));
      all.push(ipOf((await a.allocate(addReq('default', `a${i}`)))._unsafeUnwrap()));
    }
    for (let i = 0; i < 3; i++) {
      await w.create(pod('default', `b${i}`, { uid: `b${i}`, node: 'b' }));
      all.push(ipOf((await b.allocate(addReq('default', `b${i}`)))._unsafeUnwrap()));
    }
    expect(new Set(all).size).toBe(8);
    await w.create(pod('default', 'late', { uid: 'late', node: 'b' }));
    const full = await b.allocate(addReq('default', 'late'));
    expect(full._unsafeUnwrapErr()._tag).toBe('AllPoolsExhausted');
    const recs = (await listBlockPoolRecords(w.store, await w.getPool('tiny')))._unsafeUnwrap();
    expect(recs).toHaveLength(8);
    // Whoever borrowed wrote its own node into the record.
    const borrowed = recs.filter((r) => r.node !== (r.pod.startsWith('default/a') ? 'a' : 'b'));
    expect(borrowed).toEqual([]);
    a.dispose();
    b.dispose();
  });
});
