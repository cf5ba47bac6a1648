import { describe, expect, it } from 'vitest';
import type { SpiderIPPool } from '../api/index.ts';
import { encodeAllocatedIPs, SPIDER_FINALIZER } from '../api/index.ts';
import { createMemoryStore, type Store } from '../store/index.ts';
import { computePoolStatus, reconcilePool } from './poolStatus.ts';

const SP = 'spiderpool.spidernet.io/v2beta1';
const pool = (spec: Partial<SpiderIPPool['spec']>, allocatedIPs?: string): SpiderIPPool => ({
  apiVersion: SP,
  kind: 'SpiderIPPool',
  metadata: { name: 'p', finalizers: [SPIDER_FINALIZER] },
  spec: { subnet: '10.20.0.0/16', ...spec },
  ...(allocatedIPs === undefined ? {} : { status: { allocatedIPs } }),
});
const recs = (...ips: string[]) =>
  encodeAllocatedIPs(new Map(ips.map((ip, i) => [ip, { pod: `default/p${i}`, podUid: `u${i}` }]))) as string;

describe('computePoolStatus', () => {
  it('counts ips minus excludeIPs (NewCIDR rules) and the records', () => {
    const p = pool(
      { ips: ['10.20.168.190-10.20.168.199'], excludeIPs: ['10.20.168.199'] },
      recs('10.20.168.190', '10.20.168.191'),
    );
    const c = computePoolStatus(p)._unsafeUnwrap();
    expect(c.totalIPCount).toBe(9);
    expect(c.allocatedIPCount).toBe(2);
  });
  it('an empty pool counts 0; a huge IPv6 pool saturates at 2^63-1', () => {
    expect(computePoolStatus(pool({}))._unsafeUnwrap().totalIPCount).toBe(0);
    const v6 = computePoolStatus(
      pool({ subnet: 'fd00::/8', ips: ['fd00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'] }),
    );
    expect(v6._unsafeUnwrap().totalIPCountExact).toBe((1n << 63n) - 1n);
  });
  it('reports an invalid spec and an unreadable status', () => {
    expect(computePoolStatus(pool({ ips: ['10.21.0.1'] }))._unsafeUnwrapErr()._tag).toBe('InvalidPoolSpec');
    expect(computePoolStatus(pool({}, '[1]'))._unsafeUnwrapErr()._tag).toBe('UnreadableStatus');
  });
});

const seed = async (store: Store, records?: string) => {
  const created = (await store.create(pool({ ips: ['10.20.168.190-10.20.168.199'] })))._unsafeUnwrap();
  if (records !== undefined) {
    await store.updateStatus<SpiderIPPool>({
      ...created,
      status: { allocatedIPs: records, allocatedIPCount: 7 },
    });
  }
};
const get = async (store: Store) =>
  (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'p' }))._unsafeUnwrap();

describe('reconcilePool', () => {
  it('writes the counts once, then is a no-op', async () => {
    const store = createMemoryStore({ now: () => new Date(0) });
    await seed(store, recs('10.20.168.190'));
    expect((await reconcilePool(store, 'p'))._unsafeUnwrap()).toBe('statusUpdated');
    const p = await get(store);
    expect(p.status?.totalIPCount).toBe(10);
    expect(p.status?.allocatedIPCount).toBe(1);
    expect((await reconcilePool(store, 'p'))._unsafeUnwrap()).toBe('unchanged');
    expect((await reconcilePool(store, 'nope'))._unsafeUnwrap()).toBe('absent');
  });
  it('keeps a terminating pool with records, completes its deletion once empty', async () => {
    const store = createMemoryStore({ now: () => new Date(0) });
    await seed(store, recs('10.20.168.190'));
    await store.delete({ kind: 'SpiderIPPool', name: 'p' });
    expect((await reconcilePool(store, 'p'))._unsafeUnwrap()).toBe('statusUpdated');
    expect((await get(store)).metadata.finalizers).toEqual([SPIDER_FINALIZER]);
    const p = await get(store);
    await store.updateStatus<SpiderIPPool>({ ...p, status: { allocatedIPCount: 0 } });
    expect((await reconcilePool(store, 'p'))._unsafeUnwrap()).toBe('finalizerRemoved');
    expect((await store.get({ kind: 'SpiderIPPool', name: 'p' })).isErr()).toBe(true);
  });
});
