// 1,000,000 records in one block pool: every stored object (the pool and each SpiderIPBlock) stays under
// 1 MiB, measured as the JSON the store keeps; the worst case (1024-address blocks, every name at its
// Kubernetes maximum) too. An engine then allocates into the 1M-record pool with one block write of a size
// bounded by the block, not the fill.
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../store/index.ts';
import { createIpamEngine } from '../engine.ts';
import { addReq, FIXED_NOW, noSleepRandom, pod } from '../engineTestKit.ts';
import { BlockGeometry } from './blockGeometry.ts';
import { type BlockRecordTuple, newBlockObject, type SpiderIPBlock } from './blockObject.ts';
import { blockPool } from './blocksTestKit.ts';
import { utf8Length } from './conversion.ts';

const MiB = 1024 * 1024;
const uuid = (i: number): string => {
  const h = (i * 2654435761 + 0x9e3779b9).toString(16).padStart(12, '0').slice(-12);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4c7b-a6f5-${h}`;
};

describe('blocks format at 1,000,000 records', () => {
  it('1M records in 64-address blocks: every object < 1 MiB; an allocation then writes one small block', async () => {
    // 10.0.0.0/12: 1,048,576 addresses, 16,384 blocks of 64.
    const pool = blockPool('million', '10.0.0.0/12', { ips: ['10.0.0.1-10.15.255.254'], default: true }, 64);
    const g = BlockGeometry.build(pool, undefined)._unsafeUnwrap();
    const blocks: SpiderIPBlock[] = [];
    let records = 0;
    let largest = 0;
    for (let b = 0n; records < 1_000_000; b++) {
      const tuples: BlockRecordTuple[] = [];
      const first = b === 0n ? 1 : 0; // 10.0.0.0 is not in spec.ips
      for (let o = first; o < 64 && records < 1_000_000; o++, records++)
        tuples.push([
          o,
          `default/app-${records % 700}-6b7c8d9f-${(records % 36 ** 5).toString(36).padStart(5, 'x')}`,
          uuid(records),
          'eth0',
          '',
        ]);
      const blk = newBlockObject(
        { pool: 'million', index: b.toString(), cidr: g.blockCIDR(b), node: `node-${Number(b % 50n)}` },
        tuples,
      );
      largest = Math.max(largest, utf8Length(JSON.stringify(blk)));
      blocks.push(blk);
    }
    expect(records).toBe(1_000_000);
    expect(blocks).toHaveLength(15_626);
    expect(largest).toBeLessThan(MiB);
    // ~5.6 KB per full block object: 190x below the limit.
    expect(largest).toBeLessThan(8 * 1024);
    const store = createMemoryStore({ now: FIXED_NOW, historyLimit: 16 });
    store.seed([pool, ...blocks, pod('default', 'newcomer', { node: 'node-7' })])._unsafeUnwrap();
    const poolBytes = utf8Length(JSON.stringify(pool));
    expect(poolBytes).toBeLessThan(MiB);
    const e = createIpamEngine({ store, nodeName: 'node-7', ...noSleepRandom(1) });
    const r = (await e.allocate(addReq('default', 'newcomer')))._unsafeUnwrap();
    const ip = r.ips[0]?.address.split('/')[0] ?? '';
    const pos = g.positionOf(ip);
    expect(pos?.index).toBeGreaterThanOrEqual(15_625n);
    // One block written: a fresh block for node-7 (its own blocks are full). Its hashed starting point lies
    // among the 15,626 claimed blocks (95 % of the subnet), so it found a few taken and listed the pool once.
    const st = e.stats().blocks;
    expect(st.blockWrites).toBe(1);
    expect(st.claims).toBe(1);
    expect(st.fullLists).toBeLessThanOrEqual(1);
    const written = (
      await store.get<SpiderIPBlock>({ kind: 'SpiderIPBlock', name: `million-${pos?.index}` })
    )._unsafeUnwrap();
    expect(utf8Length(JSON.stringify(written))).toBeLessThan(1024);
    e.dispose();
  }, 120_000);

  it('worst case: a 1024-address block with every name at its maximum length is < 1 MiB', () => {
    const pool = blockPool('w', '10.0.0.0/8', { ips: ['10.0.0.0-10.255.255.255'] }, 1024);
    const g = BlockGeometry.build(pool, undefined)._unsafeUnwrap();
    const ns = 'n'.repeat(63);
    const tuples: BlockRecordTuple[] = Array.from({ length: 1024 }, (_, o) => [
      o,
      `${ns}/${'p'.repeat(249)}${String(o).padStart(4, '0')}`,
      uuid(o),
      'i'.repeat(15),
      'h'.repeat(253),
    ]);
    const blk = newBlockObject(
      { pool: 'x'.repeat(63), index: '16383', cidr: g.blockCIDR(16383n), node: 'h'.repeat(252) },
      tuples,
    );
    const bytes = utf8Length(JSON.stringify(blk));
    expect(bytes).toBeGreaterThan(600 * 1024);
    expect(bytes).toBeLessThan(MiB);
  });
});
