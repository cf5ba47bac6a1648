// Properties of the blocks format: (1) engines on several nodes allocating and releasing at once from one
// block pool, with Conflicts and lost creates injected on block writes, never hand out an IP twice and the
// blocks always hold exactly the live Pods' records; (2) conversion Spiderpool -> blocks -> Spiderpool gives
// the same status bytes, and blocks -> Spiderpool -> blocks (with the endpoints) the same records.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeAllocatedIPs,
  type PoolIPAllocation,
  type SpiderEndpoint,
  type SpiderIPPool,
} from '../../api/index.ts';
import { formatIPValue } from '../../ip/index.ts';
import { storeConflict } from '../../store/index.ts';
import { createIpamEngine, type IpamEngine } from '../engine.ts';
import { addReq, engineWorld, ipPool, pod, seededRandom, tickSleep } from '../engineTestKit.ts';
import { newBlockObject, type SpiderIPBlock } from './blockObject.ts';
import { blockPool } from './blocksTestKit.ts';
import { convertToBlocks, convertToSpiderpool, ETCD_OBJECT_LIMIT_BYTES } from './conversion.ts';
import { listBlockPoolRecords } from './records.ts';

describe('blocks format (property)', () => {
  it('concurrent engines with injected conflicts: no duplicates, records = live Pods, empty at the end', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom(4, 8, 16),
        async (seed, size) => {
          const rnd = seededRandom(seed);
          const w = engineWorld({
            beforeWrite: (op) => {
              if (op.kind === 'SpiderIPBlock' && rnd() < 0.2)
                return storeConflict({ kind: op.kind, name: op.name }, 'injected');
              return undefined;
            },
          });
          await w.create(
            blockPool(
              'storm',
              '10.9.0.0/24',
              { ips: ['10.9.0.1-10.9.0.90'], excludeIPs: ['10.9.0.33'], default: true },
              size,
            ),
          );
          const nodes = ['n0', 'n1', 'n2', 'n3'];
          const engines: IpamEngine[] = nodes.map((n, i) =>
            createIpamEngine({
              store: w.store,
              nodeName: n,
              sleep: tickSleep,
              random: seededRandom(seed + i),
            }),
          );
          const live = new Map<string, { uid: string; ip: string }>();
          let seq = 0;
          for (let wave = 0; wave < 6; wave++) {
            const tasks: Promise<void>[] = [];
            const names = [...live.keys()];
            for (let k = 0; k < 20; k++) {
              if (names.length > 0 && rnd() < 0.4) {
                const name = names.splice(Math.floor(rnd() * names.length), 1)[0] as string;
                const rec = live.get(name) as { uid: string };
                live.delete(name);
                tasks.push(
                  (async () => {
                    await w.deletePod('default', name);
                    const e = engines[Math.floor(rnd() * engines.length)] as IpamEngine;
                    (await e.release({ ...addReq('default', name), podUid: rec.uid }))._unsafeUnwrap();
                  })(),
                );
              } else {
                const name = `p${seq++}`;
                const n = Math.floor(rnd() * nodes.length);
                tasks.push(
                  (async () => {
                    const p = await w.create(pod('default', name, { node: nodes[n] as string }));
                    const r = await (engines[n] as IpamEngine).allocate(addReq('default', name));
                    if (r.isErr()) throw new Error(r.error.message);
                    live.set(name, {
                      uid: p.metadata.uid ?? '',
                      ip: r.value.ips[0]?.address.split('/')[0] ?? '',
                    });
                  })(),
                );
              }
            }
            await Promise.all(tasks);
            const ips = [...live.values()].map((v) => v.ip);
            expect(new Set(ips).size).toBe(ips.length);
            expect(ips).not.toContain('10.9.0.33');
            const recs = (await listBlockPoolRecords(w.store, await w.getPool('storm')))._unsafeUnwrap();
            expect(new Set(recs.map((r) => r.ip)).size).toBe(recs.length);
            expect(new Map(recs.map((r) => [r.ip, r.podUid]))).toEqual(
              new Map([...live.values()].map((v) => [v.ip, v.uid])),
            );
          }
          for (const [name, rec] of live) {
            await w.deletePod('default', name);
            (
              await (engines[0] as IpamEngine).release({ ...addReq('default', name), podUid: rec.uid })
            )._unsafeUnwrap();
          }
          const left = (await listBlockPoolRecords(w.store, await w.getPool('storm')))._unsafeUnwrap();
          expect(left).toEqual([]);
          for (const e of engines) e.dispose();
        },
      ),
      { numRuns: 8 },
    );
  }, 120_000);

  const recordsArb = fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { maxLength: 120 }).map((offsets) => {
    const m = new Map<string, PoolIPAllocation>();
    for (const o of offsets)
      m.set(formatIPValue(4, 0x0a000000n + BigInt(o)), { pod: `ns-${o % 7}/pod-${o}`, podUid: `uid-${o}` });
    return m;
  });

  const spiderpoolPool = (records: Map<string, PoolIPAllocation>): SpiderIPPool => {
    const p = ipPool('conv', '10.0.0.0/22', { ips: ['10.0.0.1-10.0.3.254'] });
    const text = encodeAllocatedIPs(records);
    p.status = { allocatedIPCount: records.size, ...(text === undefined ? {} : { allocatedIPs: text }) };
    return p;
  };

  const endpointsFor = (records: Map<string, PoolIPAllocation>): SpiderEndpoint[] =>
    [...records].map(([ip, r], i) => ({
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderEndpoint',
      metadata: { namespace: r.pod.split('/')[0] ?? '', name: r.pod.split('/')[1] ?? '' },
      status: {
        current: {
          uid: r.podUid,
          node: `node-${i % 3}`,
          ips: [{ interface: i % 2 ? 'net1' : 'eth0', ipv4: `${ip}/22`, ipv4Pool: 'conv' }],
        },
        ownerControllerType: 'Pod',
        ownerControllerName: r.pod,
      },
    })) as SpiderEndpoint[];

  it('Spiderpool -> blocks -> Spiderpool keeps the status bytes; blocks -> Spiderpool -> blocks keeps the records', () => {
    fc.assert(
      fc.property(recordsArb, fc.constantFrom(4, 16, 64, 256), (records, size) => {
        const original = spiderpoolPool(records);
        const eps = endpointsFor(records);
        const toBlocks = convertToBlocks(original, { endpoints: eps, blockSize: size })._unsafeUnwrap();
        expect(toBlocks.pool.status?.allocatedIPs).toBeUndefined();
        const n = toBlocks.blocks.reduce((s, b) => s + (b.status?.allocations.length ?? 0), 0);
        expect(n).toBe(records.size);
        const back = convertToSpiderpool(toBlocks.pool, toBlocks.blocks)._unsafeUnwrap();
        expect(back.pool.status?.allocatedIPs).toBe(original.status?.allocatedIPs);
        expect(back.pool.metadata).toEqual(original.metadata);
        expect(back.pool.spec).toEqual(original.spec);
        const again = convertToBlocks(back.pool, { endpoints: eps, blockSize: size })._unsafeUnwrap();
        expect(again.blocks).toEqual(toBlocks.blocks);
        // Every record kept its interface and node from the endpoints.
        for (const b of toBlocks.blocks)
          for (const t of b.status?.allocations ?? []) {
            expect(t[3]).toMatch(/^(eth0|net1)$/);
            expect(t[4] === '' ? b.spec.node : t[4]).toMatch(/^node-[012]$/);
          }
      }),
      { numRuns: 60 },
    );
  });

  it('blocks -> Spiderpool is refused with RecordsExceedObjectLimit when the status would not fit in one object', () => {
    const p = blockPool('huge', '10.0.0.0/8', { ips: ['10.0.0.1-10.255.255.254'] }, 1024);
    const blocks: SpiderIPBlock[] = [];
    // 20k records (more than the ~14k Spiderpool's format fits in 1.5 MiB).
    for (let b = 0; b < 20; b++)
      blocks.push(
        newBlockObject(
          { pool: 'huge', index: String(b), cidr: `10.0.${b * 4}.0/22`, node: 'n' },
          Array.from({ length: 1000 }, (_, o) => [
            o + 1,
            `default/app-6b7c8d9f-${b}x${o}`,
            `0f0e0d0c-0b0a-4c7b-a6f5-${String(b * 1000 + o).padStart(12, '0')}`,
            'eth0',
            '',
          ]),
        ),
      );
    const r = convertToSpiderpool(p, blocks);
    expect(r.isErr()).toBe(true);
    const e = r._unsafeUnwrapErr();
    expect(e._tag).toBe('RecordsExceedObjectLimit');
    if (e._tag === 'RecordsExceedObjectLimit') {
      expect(e.records).toBe(20_000);
      expect(e.bytes).toBeGreaterThan(ETCD_OBJECT_LIMIT_BYTES);
    }
    // The same blocks convert with a limit that admits them.
    expect(convertToSpiderpool(p, blocks, 64 * 1024 * 1024).isOk()).toBe(true);
  });
});
