// Foreign writes taken by the entry-granular cut (ADR 0032) against a full rebuild from the same text: after
// any sequence of other agents' writes the kept-in-step allocator must hold exactly what PoolAllocator.build
// of that text holds (records, encoded bytes, bitmap, UID index), and a text the build rejects must give the
// same typed error and leave the allocator as it was.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { encodeAllocatedIPs, type PoolIPAllocation } from '../api/index.ts';
import { ipPool } from './engineTestKit.ts';
import { PoolAllocator } from './poolAllocator.ts';

// 10.1.0.0 .. 10.1.7.255 (2048 addresses, 10.1.0.7 excluded): up to 16 encoder blocks.
const ipOf = (n: number): string => `10.1.${n >> 8}.${n & 255}`;
const poolWith = (text: string | undefined) => {
  const p = ipPool('p', '10.1.0.0/16', { ips: ['10.1.0.0-10.1.7.255'], excludeIPs: ['10.1.0.7'] });
  if (text !== undefined) p.status = { allocatedIPs: text };
  return p;
};

/** Pod names: plain mostly; some that Go escapes (or that hold non-ASCII) take the general path. */
const podName = fc.oneof(
  { weight: 6, arbitrary: fc.nat(999).map((n) => `ns/p${n}`) },
  { weight: 1, arbitrary: fc.constantFrom('ns/<x>', 'ns/a&b', 'ns/é', 'ns/\u2028', 'ns/q"q', 'ns/\ud800') },
);
const uid = fc.oneof(
  fc.nat(40).map((n) => `u${n}`),
  fc.uuid(),
);
/** Keys: the pool's own addresses mostly; some outside it or not IPs at all. */
const key = fc.oneof(
  { weight: 12, arbitrary: fc.nat(2047).map(ipOf) },
  { weight: 1, arbitrary: fc.constantFrom('192.168.0.1', '10.1.0.07', 'fd00::1', 'zz', '', '<k>') },
);

/** One other agent's write, applied to the truth. */
const write = fc.oneof(
  // A batch of neighbouring addresses (lowest-free allocation keeps them together), anywhere in the pool.
  fc.record({
    kind: fc.constantFrom('add', 'drop', 'rebind'),
    at: fc.oneof(fc.constant(0), fc.constant(2047), fc.nat(2047)),
    span: fc.integer({ min: 1, max: 40 }),
    pod: podName,
    uid,
  }),
  // Changes scattered over the whole pool, including its two ends.
  fc.record({
    kind: fc.constant('scatter' as const),
    keys: fc.array(fc.tuple(key, fc.boolean(), podName, uid), { minLength: 1, maxLength: 8 }),
  }),
  // Another status altogether.
  fc.record({
    kind: fc.constant('replace' as const),
    size: fc.nat(400),
    pod: podName,
  }),
);
/** Damage to the written text: none, or one character inserted or deleted somewhere. */
const damage = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  fc.record({ at: fc.nat(), insert: fc.constantFrom(' ', ',', '}', '{', '"', ':', 'x', '\\', '') }),
);

type Truth = Map<string, PoolIPAllocation>;

type WriteOf = typeof write extends fc.Arbitrary<infer T> ? T : never;

const apply = (truth: Truth, w: WriteOf, r: number): Truth => {
  const next = new Map(truth);
  if (w.kind === 'scatter') {
    for (const [k, drop, pod, u] of w.keys) {
      if (drop) next.delete(k);
      else next.set(k, { pod, podUid: u });
    }
  } else if (w.kind === 'replace') {
    next.clear();
    for (let n = 0; n < w.size; n++) next.set(ipOf((n * 7 + r) % 2048), { pod: w.pod, podUid: `x${n}` });
  } else {
    for (let k = 0; k < w.span; k++) {
      const ip = ipOf((w.at + k) % 2048);
      if (w.kind === 'drop') next.delete(ip);
      else if (w.kind === 'add') next.set(ip, { pod: w.pod, podUid: `${w.uid}-${k}` });
      else if (next.has(ip)) next.set(ip, { pod: w.pod, podUid: w.uid });
    }
  }
  return next;
};

const damaged = (text: string | undefined, d: { at: number; insert: string } | undefined) => {
  if (d === undefined || text === undefined) return text;
  const at = d.at % (text.length + 1);
  return d.insert === ''
    ? text.slice(0, at) + text.slice(at + 1)
    : text.slice(0, at) + d.insert + text.slice(at);
};

/** Everything observable about an allocator's records, bitmap and UID index (without changing it). */
const state = (a: PoolAllocator, uids: Iterable<string>) => ({
  records: [...a.records],
  size: a.records.size,
  encoded: a.encodeStatus(),
  free: a.freeCount,
  next: a.peek(),
  owners: [...new Set(uids)].sort().map((u) => [u, a.ipsOfUid(u)]),
  taken: [ipOf(0), ipOf(7), ipOf(2047), '192.168.0.1'].map((ip) => a.isFree(ip)),
});

const uidsOf = (...ms: Truth[]): string[] => ms.flatMap((m) => [...m.values()].map((r) => r.podUid));

/** Takes every free address in order (consumes the allocator). */
const drain = (a: PoolAllocator): string[] => {
  const out: string[] = [];
  for (let ip = a.take(); ip !== undefined; ip = a.take()) out.push(ip);
  return out;
};

describe('PoolAllocator.replaceRecords: the entry-granular cut against a full rebuild (property)', () => {
  it('any sequence of other agents’ writes (damaged or not) leaves the state a fresh build of the text has', () => {
    const start = fc
      .array(fc.tuple(fc.nat(2047), podName, uid), { maxLength: 1500 })
      .map((rs) => new Map(rs.map(([n, pod, u]) => [ipOf(n), { pod, podUid: u }])));
    fc.assert(
      fc.property(
        start,
        fc.array(fc.tuple(write, damage), { minLength: 1, maxLength: 6 }),
        (initial, writes) => {
          let truth: Truth = initial;
          const alloc = PoolAllocator.build(poolWith(encodeAllocatedIPs(truth)), undefined)._unsafeUnwrap();
          writes.forEach(([w, d], r) => {
            const next = apply(truth, w, r);
            const text = damaged(encodeAllocatedIPs(next), d);
            const fresh = PoolAllocator.build(poolWith(text), undefined);
            const uids = uidsOf(truth, next);
            const before = state(alloc, uids);
            const got = alloc.replaceRecords(text);
            if (fresh.isErr()) {
              // The same typed error as the build, and nothing changed.
              expect(got.isErr()).toBe(true);
              expect(got._unsafeUnwrapErr()).toEqual(fresh.error);
              expect(state(alloc, uids)).toEqual(before);
              return;
            }
            expect(got.isOk()).toBe(true);
            expect(state(alloc, uids)).toEqual(state(fresh.value, uids));
            fresh.value.dispose();
            truth = new Map(alloc.records);
          });
          const fresh = PoolAllocator.build(poolWith(alloc.encodeStatus()), undefined)._unsafeUnwrap();
          expect(drain(alloc)).toEqual(drain(fresh));
          fresh.dispose();
          alloc.dispose();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a canonical write is taken without parsing: only the changed records are read', () => {
    const truth: Truth = new Map();
    for (let n = 0; n < 1500; n++) truth.set(ipOf(n), { pod: `ns/p${n}`, podUid: `u${n}` });
    const alloc = PoolAllocator.build(poolWith(encodeAllocatedIPs(truth)), undefined)._unsafeUnwrap();
    const parse = vi.spyOn(JSON, 'parse');
    for (const n of [0, 1, 700, 1498, 1499]) {
      truth.set(ipOf(n), { pod: `ns/new${n}`, podUid: `n${n}` });
      expect(alloc.replaceRecords(encodeAllocatedIPs(truth)).isOk()).toBe(true);
      expect(alloc.records.get(ipOf(n))).toEqual({ pod: `ns/new${n}`, podUid: `n${n}` });
      expect(alloc.ipsOfUid(`n${n}`)).toEqual([ipOf(n)]);
      expect(alloc.ipsOfUid(`u${n}`)).toEqual([]);
    }
    truth.delete(ipOf(0));
    truth.delete(ipOf(1499));
    expect(alloc.replaceRecords(encodeAllocatedIPs(truth)).isOk()).toBe(true);
    expect(alloc.encodeStatus()).toBe(encodeAllocatedIPs(truth));
    expect(alloc.peek()).toBe(ipOf(0));
    // Neither a full decode nor one of the changed blocks: no JSON.parse at all.
    expect(parse).not.toHaveBeenCalled();
    parse.mockRestore();
    expect(alloc.replaceRecords(undefined).isOk()).toBe(true);
    expect(alloc.records.size).toBe(0);
    expect(alloc.encodeStatus()).toBeUndefined();
    alloc.dispose();
  });
});
