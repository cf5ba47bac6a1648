import { describe, expect, it } from 'vitest';
import type { SpiderIPPool, SpiderSubnet } from '../api/index.ts';
import { KIND_SPIDER_IP_BLOCK } from '../ipam/blocks/blockObject.ts';
import { createMemoryStore } from '../store/index.ts';
import { createKindRegistry, defaultKindInfos } from '../store/kinds.ts';
import { runControllers } from './runControllers.ts';

const SP = 'spiderpool.spidernet.io/v2beta1';

describe('runControllers', () => {
  it('reconciles pools and their subnet on change, and stops on abort', async () => {
    const store = createMemoryStore({ now: () => new Date(0) });
    const ac = new AbortController();
    const handle = (await runControllers(store, { signal: ac.signal }))._unsafeUnwrap();
    await store.create<SpiderSubnet>({
      apiVersion: SP,
      kind: 'SpiderSubnet',
      metadata: { name: 's1' },
      spec: { subnet: '10.0.0.0/24', ipVersion: 4, ips: ['10.0.0.1-10.0.0.50'] },
    });
    await store.create<SpiderIPPool>({
      apiVersion: SP,
      kind: 'SpiderIPPool',
      metadata: { name: 'p1', labels: { 'ipam.spidernet.io/owner-spider-subnet': 's1' } },
      spec: { subnet: '10.0.0.0/24', ipVersion: 4, ips: ['10.0.0.1-10.0.0.10'] },
    });
    const settle = async () => {
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 1));
        await handle.idle();
      }
    };
    await settle();
    const p = (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'p1' }))._unsafeUnwrap();
    expect(p.status).toEqual({ totalIPCount: 10, allocatedIPCount: 0 });
    const s = (await store.get<SpiderSubnet>({ kind: 'SpiderSubnet', name: 's1' }))._unsafeUnwrap();
    expect(s.status?.totalIPCount).toBe(50);
    expect(s.status?.allocatedIPCount).toBe(10);

    ac.abort();
    await store.create<SpiderIPPool>({
      apiVersion: SP,
      kind: 'SpiderIPPool',
      metadata: { name: 'p2' },
      spec: { subnet: '10.0.1.0/24', ipVersion: 4, ips: ['10.0.1.1'] },
    });
    await settle();
    const p2 = (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'p2' }))._unsafeUnwrap();
    expect(p2.status).toBeUndefined();
  });

  it('runs on a store that does not serve SpiderIPBlock (a cluster without our CRD): pools still reconcile', async () => {
    const kinds = createKindRegistry(defaultKindInfos.filter((k) => k.kind !== KIND_SPIDER_IP_BLOCK));
    const store = createMemoryStore({ now: () => new Date(0), kinds });
    expect((await store.list(KIND_SPIDER_IP_BLOCK)).isErr()).toBe(true);
    const ac = new AbortController();
    const started = await runControllers(store, { signal: ac.signal });
    expect(started.isOk()).toBe(true);
    const handle = started._unsafeUnwrap();
    await store.create<SpiderIPPool>({
      apiVersion: SP,
      kind: 'SpiderIPPool',
      metadata: { name: 'p1' },
      spec: { subnet: '10.0.0.0/24', ipVersion: 4, ips: ['10.0.0.1-10.0.0.4'] },
    });
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 1));
      await handle.idle();
    }
    const p = (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'p1' }))._unsafeUnwrap();
    expect(p.status).toEqual({ totalIPCount: 4, allocatedIPCount: 0 });
    ac.abort();
  });
});
