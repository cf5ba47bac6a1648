// The readers of a block pool besides the agents: the GC pass sees its records (from the blocks) and frees
// the orphans by CAS on their blocks; the pool status controller counts the records in the blocks and keeps
// the finalizer of a terminating pool while any block holds a record.
import { describe, expect, it } from 'vitest';
import { SPIDER_FINALIZER, type SpiderIPPool } from '../../api/index.ts';
import { reconcilePool } from '../../controllers/poolStatus.ts';
import { runGcPass } from '../../gc/gcPass.ts';
import { createIpamEngine } from '../engine.ts';
import { addReq, engineWorld, FIXED_NOW, noSleepRandom, pod } from '../engineTestKit.ts';
import { blockPool } from './blocksTestKit.ts';
import { listBlockPoolRecords } from './records.ts';

describe('blocks format: GC and the pool status controller', () => {
  it('GC frees the records of deleted Pods from their blocks; the controller counts block records', async () => {
    const w = engineWorld();
    const p = blockPool('bp', '10.60.0.0/24', { ips: ['10.60.0.1-10.60.0.200'], default: true }, 8);
    p.metadata.finalizers = [SPIDER_FINALIZER];
    await w.create(p);
    const e = createIpamEngine({ store: w.store, nodeName: 'n1', ...noSleepRandom(3) });
    for (let i = 0; i < 12; i++) {
      await w.create(pod('default', `g${i}`, { node: 'n1' }));
      (await e.allocate(addReq('default', `g${i}`)))._unsafeUnwrap();
    }
    expect((await reconcilePool(w.store, 'bp'))._unsafeUnwrap()).toBe('statusUpdated');
    const counted = (await w.getPool('bp')).status;
    expect(counted?.allocatedIPCount).toBe(12);
    expect(counted?.totalIPCount).toBe(200);
    // Three Pods vanish without a CNI DEL.
    for (const i of [2, 5, 9]) await w.deletePod('default', `g${i}`);
    const report = (
      await runGcPass(w.store, { now: () => new Date(FIXED_NOW().getTime() + 3600_000) })
    )._unsafeUnwrap();
    expect(report.scanned).toBe(12);
    expect(report.released).toBe(3);
    const left = (await listBlockPoolRecords(w.store, await w.getPool('bp')))._unsafeUnwrap();
    expect(left.map((r) => r.pod).sort()).toEqual(
      [0, 1, 3, 4, 6, 7, 8, 10, 11].map((i) => `default/g${i}`).sort(),
    );
    expect((await reconcilePool(w.store, 'bp'))._unsafeUnwrap()).toBe('statusUpdated');
    expect((await w.getPool('bp')).status?.allocatedIPCount).toBe(9);
    // Deleting the pool: the finalizer stays while blocks hold records.
    (await w.store.delete({ kind: 'SpiderIPPool', name: 'bp' }))._unsafeUnwrap();
    expect((await reconcilePool(w.store, 'bp'))._unsafeUnwrap()).not.toBe('finalizerRemoved');
    const pool = await w.getPool('bp');
    expect((pool as SpiderIPPool).metadata.finalizers).toEqual([SPIDER_FINALIZER]);
    e.dispose();
  });
});
