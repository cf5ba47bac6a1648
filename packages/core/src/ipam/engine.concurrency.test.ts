// Ten engines (agents) on one MemoryStore, allocating from one pool at once with injected Conflicts: thousands
// of random ADDs and DELs, never the same IP twice, pool records and endpoints consistent at every step, and
// every pool empty once all Pods are gone.
import { describe, expect, it } from 'vitest';
import type { SpiderEndpoint } from '../api/index.ts';
import { storeConflict } from '../store/index.ts';
import { createIpamEngine, type IpamEngine } from './engine.ts';
import { addReq, engineWorld, ipPool, pod, seededRandom, tickSleep } from './engineTestKit.ts';

describe('IpamEngine concurrency', () => {
  it('10 engines, 3000 random ADD/DEL with injected conflicts: no duplicates, consistent, empty at the end', async () => {
    const rnd = seededRandom(2026);
    let injected = 0;
    const w = engineWorld({
      beforeWrite: (op) => {
        if (op.verb === 'updateStatus' && op.kind === 'SpiderIPPool' && rnd() < 0.15) {
          injected++;
          return storeConflict({ kind: op.kind, name: op.name }, 'injected');
        }
        return undefined;
      },
    });
    await w.create(
      ipPool('storm', '10.8.0.0/16', {
        ips: ['10.8.0.1-10.8.0.200', '10.8.1.1-10.8.1.100'],
        excludeIPs: ['10.8.0.50'],
        default: true,
      }),
    );
    const engines: IpamEngine[] = Array.from({ length: 10 }, (_, i) =>
      createIpamEngine({
        store: w.store,
        nodeName: `node-${i}`,
        sleep: tickSleep,
        random: seededRandom(100 + i),
      }),
    );
    const live = new Map<string, { uid: string; ip: string; engine: number }>();
    let seq = 0;
    let ops = 0;
    let exhausted = 0;
    while (ops < 3000) {
      const wave = 30 + Math.floor(rnd() * 30);
      const names = [...live.keys()];
      const releasing = new Set<string>();
      const tasks: Promise<{ name: string; ip?: string }>[] = [];
      for (let k = 0; k < wave; k++, ops++) {
        if (names.length > 0 && (live.size >= 260 || rnd() < 0.45)) {
          const name = names.splice(Math.floor(rnd() * names.length), 1)[0] as string;
          const rec = live.get(name) as { uid: string; engine: number };
          releasing.add(name);
          tasks.push(
            (async () => {
              await w.deletePod('default', name);
              const e = engines[Math.floor(rnd() * 10)] as IpamEngine;
              (await e.release({ ...addReq('default', name), podUid: rec.uid }))._unsafeUnwrap();
              return { name };
            })(),
          );
        } else {
          const name = `p-${seq++}`;
          const engine = Math.floor(rnd() * 10);
          tasks.push(
            (async () => {
              const p = await w.create(pod('default', name, { node: `node-${engine}` }));
              const r = await (engines[engine] as IpamEngine).allocate(addReq('default', name));
              if (r.isErr()) {
                expect(r.error._tag).toBe('AllPoolsExhausted');
                exhausted++;
                await w.deletePod('default', name);
                return { name };
              }
              const ip = r.value.ips[0]?.address.split('/')[0] as string;
              live.set(name, { uid: p.metadata.uid as string, ip, engine });
              return { name, ip };
            })(),
          );
        }
      }
      const results = await Promise.all(tasks);
      for (const name of releasing) live.delete(name);
      const fresh = results.flatMap((r) => (r.ip ? [r.ip] : []));
      expect(new Set(fresh).size).toBe(fresh.length);
      // Never the same IP twice: the live map holds distinct IPs.
      const held = [...live.values()].map((v) => v.ip);
      expect(new Set(held).size).toBe(held.length);
      expect(held).not.toContain('10.8.0.50');
    }
    // Records and endpoints agree.
    const recs = await w.records('storm');
    expect(recs.size).toBe(live.size);
    for (const [name, v] of live) expect(recs.get(v.ip)).toEqual({ pod: `default/${name}`, podUid: v.uid });
    const eps = (await w.store.list<SpiderEndpoint>('SpiderEndpoint'))._unsafeUnwrap().items;
    expect(eps.length).toBe(live.size);
    expect((await w.getPool('storm')).status?.allocatedIPCount).toBe(live.size);
    // Everyone leaves.
    await Promise.all(
      [...live].map(async ([name, v], i) => {
        await w.deletePod('default', name);
        (
          await (engines[i % 10] as IpamEngine).release({ ...addReq('default', name), podUid: v.uid })
        )._unsafeUnwrap();
      }),
    );
    expect((await w.records('storm')).size).toBe(0);
    expect((await w.store.list('SpiderEndpoint'))._unsafeUnwrap().items).toEqual([]);
    expect(injected).toBeGreaterThan(50);
    const conflicts = engines.reduce((s, e) => s + e.stats().writer.conflicts, 0);
    expect(conflicts).toBeGreaterThanOrEqual(injected);
    // 299 usable IPs, at most ~260 + one wave alive: nobody ran out.
    expect(exhausted).toBe(0);
    for (const e of engines) e.dispose();
  });
});
