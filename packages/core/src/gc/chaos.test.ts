// The concurrency test: 10 engine instances (agents) on one MemoryStore, thousands of random
// allocations and releases (Deployment and StatefulSet Pods), injected write conflicts, one agent that dies
// between the pool write and the endpoint write (Spiderpool #2517), Pods deleted without CNI DEL, and GC
// passes running concurrently with everything. Asserts: no IP is ever held by two live Pods, GC never frees a
// live Pod's record, valid StatefulSet Pods keep their IP, and after all Pods are gone and GC has run every
// pool is empty and no SpiderEndpoint is left.
import type { Result } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import type { Pod, SpiderEndpoint, SpiderIPPool } from '../api/index.ts';
import { decodeAllocatedIPs } from '../api/index.ts';
import { createIpamEngine, type IpamEngine } from '../ipam/engine.ts';
import { addReq, ipPool, pod, seededRandom } from '../ipam/engineTestKit.ts';
import { createMemoryStore, type StoreError, storeConflict } from '../store/index.ts';
import { runGcPass } from './gcPass.ts';

const NS = 'default';
const NET = { 'v1.multus-cni.io/default-network': 'kube-system/macvlan' };
const RS = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f' };
const STS = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' };
const STS_REPLICAS = 4;
const STS_NAMES = Array.from({ length: 6 }, (_, i) => `db-${i}`);
const AGENTS = 10;
const CRASHING_AGENT = 9;
const OPS = 3000;
const BATCH = 24;

const unwrap = <T>(r: Result<T, { message: string }>): T => {
  if (r.isErr()) throw new Error(r.error.message);
  return r.value;
};

interface Live {
  name: string;
  uid: string;
  ip?: string;
}

describe('chaos: 10 agents + GC on one MemoryStore', () => {
  it('never hands out an IP twice and ends with every pool empty', { timeout: 120_000 }, async () => {
    const rnd = seededRandom(20240501);
    const faultRnd = seededRandom(7);
    const clock = { t: Date.parse('2026-01-01T00:00:00Z') };
    const store = createMemoryStore({
      now: () => new Date(clock.t),
      historyLimit: 64,
      // ~4% of pool status writes fail with Conflict on top of the real ones; a quarter of all writes are
      // delayed by a macrotask, which widens every read-to-write window (GC's included).
      beforeWrite: (op): StoreError | undefined | Promise<StoreError | undefined> => {
        const fault =
          op.kind === 'SpiderIPPool' && op.verb === 'updateStatus' && faultRnd() < 0.04
            ? storeConflict({ kind: op.kind, name: op.name }, 'injected conflict')
            : undefined;
        if (faultRnd() < 0.25) return new Promise((resolve) => setTimeout(() => resolve(fault), 0));
        return fault;
      },
    });
    await store.create(ipPool('chaos-v4', '10.30.0.0/16', { ips: ['10.30.0.1-10.30.1.244'], default: true }));
    await store.create({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: NS },
      spec: { replicas: STS_REPLICAS },
    } as never);

    let crashes = 0;
    const engines: IpamEngine[] = Array.from({ length: AGENTS }, (_, i) =>
      createIpamEngine({
        store,
        nodeName: `node-${i}`,
        sleep: () => Promise.resolve(),
        random: seededRandom(100 + i),
        ...(i === CRASHING_AGENT
          ? {
              hooks: {
                afterPoolWrite: () => {
                  const die = rnd() < 0.5;
                  if (die) crashes++;
                  return die;
                },
              },
            }
          : {}),
      }),
    );
    const engine = () => engines[Math.floor(rnd() * AGENTS)] as IpamEngine;

    const live = new Map<string, Live>(); // pod name -> live pod
    const holder = new Map<string, string>(); // ip -> uid of the live Pod holding it
    const stsIP = new Map<string, string>(); // valid StatefulSet pod name -> its fixed IP
    const violations: string[] = [];
    const stats = {
      allocated: 0,
      failed: 0,
      delWithCni: 0,
      delWithoutCni: 0,
      repeat: 0,
      gcReleased: 0,
      gcChanged: 0,
    };
    let seq = 0;

    const createPod = async (name: string, sts: boolean): Promise<Live> => {
      const created = unwrap(
        await store.create<Pod>(
          pod(NS, name, { annotations: NET, owner: sts ? STS : RS, node: `node-${seq % AGENTS}` }),
        ),
      );
      const l = { name, uid: created.metadata.uid as string };
      live.set(name, l);
      return l;
    };

    const allocate = async (l: Live, e: IpamEngine): Promise<boolean> => {
      const r = await e.allocate(addReq(NS, l.name));
      if (r.isErr()) {
        stats.failed++;
        return false;
      }
      const ip = r.value.ips[0]?.address.split('/')[0] as string;
      const other = holder.get(ip);
      if (other !== undefined && other !== l.uid)
        violations.push(`${ip} handed to ${l.uid} while held by ${other}`);
      if (l.ip !== undefined && l.ip !== ip)
        violations.push(`${l.name} repeat ADD changed IP ${l.ip} -> ${ip}`);
      const ordinal = Number(l.name.slice(3));
      if (l.name.startsWith('db-') && ordinal < STS_REPLICAS) {
        const fixed = stsIP.get(l.name);
        if (fixed !== undefined && fixed !== ip)
          violations.push(`${l.name} lost its fixed IP ${fixed} -> ${ip}`);
        stsIP.set(l.name, ip);
      }
      holder.set(ip, l.uid);
      l.ip = ip;
      stats.allocated++;
      // kubelet reports the Pod Running with its IP (the store keeps Pods' status apart from create).
      const current = unwrap(await store.get<Pod>({ kind: 'Pod', namespace: NS, name: l.name }));
      if (current.metadata.uid === l.uid) {
        const { resourceVersion: _rv, ...metadata } = current.metadata;
        unwrap(
          await store.updateStatus<Pod>({
            ...current,
            metadata,
            status: { phase: 'Running', podIPs: [{ ip }] },
          }),
        );
      }
      return true;
    };

    const removePod = async (l: Live, withCni: boolean): Promise<void> => {
      live.delete(l.name);
      if (l.ip !== undefined && holder.get(l.ip) === l.uid) holder.delete(l.ip);
      unwrap(await store.delete({ kind: 'Pod', namespace: NS, name: l.name }));
      if (withCni) {
        stats.delWithCni++;
        const r = await engine().release({ ...addReq(NS, l.name), podUid: l.uid });
        if (r.isErr()) violations.push(`DEL of ${l.name} failed: ${r.error.message}`);
      } else {
        stats.delWithoutCni++;
      }
    };

    const gc = async (): Promise<void> => {
      const r = await runGcPass(store, { now: () => new Date(clock.t) });
      const report = unwrap(r);
      stats.gcReleased += report.released;
      stats.gcChanged += report.changed;
      if (report.failed > 0)
        violations.push(`GC write failures: ${report.errors.map((e) => e.message).join('; ')}`);
    };

    // Names with an operation in flight: one operation per Pod name at a time (as kubelet serialises a Pod).
    const busy = new Set<string>();
    const withName = async (name: string, f: () => Promise<void>): Promise<void> => {
      busy.add(name);
      try {
        await f();
      } finally {
        busy.delete(name);
      }
    };

    const randomOp = async (): Promise<void> => {
      const x = rnd();
      const lives = [...live.values()].filter((l) => !busy.has(l.name));
      if (x < 0.45 || lives.length < 20) {
        const stsName = STS_NAMES[Math.floor(rnd() * STS_NAMES.length)] as string;
        if (rnd() < 0.15 && !live.has(stsName) && !busy.has(stsName)) {
          return withName(stsName, async () => {
            await allocate(await createPod(stsName, true), engine());
          });
        }
        const name = `web-5d8f-${(seq++).toString(36)}`;
        return withName(name, async () => {
          const l = await createPod(name, false);
          const ok = await allocate(l, engine());
          // kubelet retries a failed ADD (e.g. the agent died) on the node's agent.
          if (!ok) await allocate(l, engines[0] as IpamEngine);
        });
      }
      const l = lives[Math.floor(rnd() * lives.length)] as Live;
      if (x < 0.55) {
        stats.repeat++;
        if (l.ip !== undefined) return withName(l.name, async () => void (await allocate(l, engine())));
        return;
      }
      return withName(l.name, () => removePod(l, x < 0.85));
    };

    for (let done = 0; done < OPS; done += BATCH) {
      clock.t += 1000;
      const batch: Promise<void>[] = [];
      for (let i = 0; i < BATCH; i++) batch.push(randomOp());
      if ((done / BATCH) % 6 === 0) batch.push(gc());
      await Promise.all(batch);
      // GC must never have freed a live Pod's record (it would be re-allocated: a duplicate).
      const pool = unwrap(await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'chaos-v4' }));
      const records = decodeAllocatedIPs(pool.status?.allocatedIPs)._unsafeUnwrap();
      expect(pool.status?.allocatedIPCount).toBe(records.size);
      for (const l of live.values()) {
        if (l.ip !== undefined && records.get(l.ip)?.podUid !== l.uid) {
          violations.push(`live ${l.name} lost record ${l.ip} (now ${JSON.stringify(records.get(l.ip))})`);
        }
      }
      expect(violations).toEqual([]);
    }

    // Teardown: every Pod goes (a third without CNI DEL), the StatefulSet is deleted, GC runs.
    for (const l of [...live.values()]) await removePod(l, rnd() < 0.66);
    unwrap(await store.delete({ kind: 'StatefulSet', namespace: NS, name: 'db' }));
    clock.t += 1000;
    await gc();

    const pool = unwrap(await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'chaos-v4' }));
    expect(pool.status?.allocatedIPs).toBeUndefined();
    expect(pool.status?.allocatedIPCount).toBe(0);
    const eps = unwrap(await store.list<SpiderEndpoint>('SpiderEndpoint'));
    expect(eps.items.map((e) => e.metadata.name)).toEqual([]);
    expect(violations).toEqual([]);
    // The run exercised what it claims to.
    expect(stats.allocated).toBeGreaterThan(1000);
    expect(crashes).toBeGreaterThan(10);
    expect(stats.delWithoutCni).toBeGreaterThan(200);
    expect(stats.gcReleased).toBeGreaterThan(200);
    for (const e of engines) e.dispose();
  });
});
