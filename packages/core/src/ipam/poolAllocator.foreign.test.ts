import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAllocatedIPs, encodeAllocatedIPs, type PoolIPAllocation } from '../api/index.ts';
import { ipPool } from './engineTestKit.ts';
import { PoolAllocator } from './poolAllocator.ts';

// 10.1.0.0 .. 10.1.7.255: 2048 addresses, several encoder blocks once ~1000 are recorded.
const ipOf = (n: number): string => `10.1.${n >> 8}.${n & 255}`;
const poolWith = (text: string | undefined) => {
  const p = ipPool('p', '10.1.0.0/16', { ips: ['10.1.0.0-10.1.7.255'] });
  if (text !== undefined) p.status = { allocatedIPs: text };
  return p;
};
const start = (): Map<string, PoolIPAllocation> => {
  const m = new Map<string, PoolIPAllocation>();
  for (let n = 0; n < 1200; n++) m.set(ipOf(n), { pod: `ns/p${n}`, podUid: `u${n}` });
  return m;
};

/** A foreign writer's change: clustered (lowest-free style) or scattered adds, drops and re-binds. */
const change = fc.record({
  at: fc.nat(2047),
  span: fc.integer({ min: 1, max: 300 }),
  kind: fc.constantFrom('add', 'drop', 'rebind', 'scatter'),
});
/** Damage to the text: none, or one character inserted / deleted somewhere. */
const damage = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  fc.record({ at: fc.nat(), insert: fc.constantFrom(' ', ',', '}', '{', '"', 'x', '') }),
);

describe('PoolAllocator.replaceRecords (foreign writes, cut diff)', () => {
  it('ends with exactly the records a full decode gives, and the same error verdict', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(change, damage), { minLength: 1, maxLength: 5 }), (rounds) => {
        let truth = start();
        let alloc = PoolAllocator.build(poolWith(encodeAllocatedIPs(truth)), undefined)._unsafeUnwrap();
        alloc.encodeStatus();
        rounds.forEach(([c, d], r) => {
          truth = new Map(truth);
          for (let k = 0; k < c.span; k++) {
            const n = c.kind === 'scatter' ? (c.at + k * 97) % 2048 : (c.at + k) % 2048;
            if (c.kind === 'drop') truth.delete(ipOf(n));
            else if (c.kind === 'rebind' && truth.has(ipOf(n)))
              truth.set(ipOf(n), { pod: `ns/p${n}`, podUid: `r${r}` });
            else if (c.kind !== 'rebind') truth.set(ipOf(n), { pod: `ns/f${r}`, podUid: `f${r}-${n}` });
          }
          let text = encodeAllocatedIPs(truth);
          if (d !== undefined && text !== undefined) {
            const at = d.at % (text.length + 1);
            text =
              d.insert === ''
                ? text.slice(0, at) + text.slice(at + 1)
                : text.slice(0, at) + d.insert + text.slice(at);
          }
          const expected = decodeAllocatedIPs(text);
          const got = alloc.replaceRecords(text);
          expect(got.isOk()).toBe(expected.isOk());
          if (expected.isErr()) {
            // The cache drops an allocator whose status is unreadable; start again from the truth.
            alloc.dispose();
            alloc = PoolAllocator.build(poolWith(encodeAllocatedIPs(truth)), undefined)._unsafeUnwrap();
            return;
          }
          truth = new Map(expected.value);
          expect(new Map(alloc.records)).toEqual(truth);
          expect(alloc.encodeStatus()).toBe(encodeAllocatedIPs(truth));
          const fresh = PoolAllocator.build(poolWith(encodeAllocatedIPs(truth)), undefined)._unsafeUnwrap();
          expect(alloc.freeCount).toBe(fresh.freeCount);
          expect(alloc.peek()).toBe(fresh.peek());
          fresh.dispose();
        });
        alloc.dispose();
      }),
      { numRuns: 120 },
    );
  });

  it('a foreign batch of new neighbouring records is applied without a full re-parse and reads back exactly', () => {
    const truth = start();
    const alloc = PoolAllocator.build(poolWith(encodeAllocatedIPs(truth)), undefined)._unsafeUnwrap();
    alloc.encodeStatus();
    for (let n = 1200; n < 1300; n++) truth.set(ipOf(n), { pod: `ns/o${n}`, podUid: `o${n}` });
    truth.delete(ipOf(5));
    expect(alloc.replaceRecords(encodeAllocatedIPs(truth)).isOk()).toBe(true);
    expect(new Map(alloc.records)).toEqual(truth);
    expect(alloc.peek()).toBe(ipOf(5));
    alloc.dispose();
  });

  it('a member repeating an unchanged key (JSON: the last one wins) is read as a full decode reads it', () => {
    const truth = start();
    const text = encodeAllocatedIPs(truth) as string;
    const dup = `${text.slice(0, -1)},"10.1.0.0":{"pod":"ns/dup","podUid":"d"}}`;
    const alloc = PoolAllocator.build(poolWith(text), undefined)._unsafeUnwrap();
    alloc.encodeStatus();
    expect(alloc.replaceRecords(dup).isOk()).toBe(true);
    expect(alloc.records.get('10.1.0.0')).toEqual({ pod: 'ns/dup', podUid: 'd' });
    expect(new Map(alloc.records)).toEqual(new Map(decodeAllocatedIPs(dup)._unsafeUnwrap()));
    alloc.dispose();
  });

  it('separators with nothing between them are malformed JSON, not an empty change', () => {
    const truth = start();
    const text = encodeAllocatedIPs(truth) as string;
    const alloc = PoolAllocator.build(poolWith(text), undefined)._unsafeUnwrap();
    alloc.encodeStatus();
    expect(alloc.replaceRecords(`${text.slice(0, -1)},}`)._unsafeUnwrapErr()._tag).toBe('CorruptPoolStatus');
    const cut = text.indexOf(',"10.1.2.');
    const doubled = `${text.slice(0, cut)},${text.slice(cut)}`;
    expect(alloc.replaceRecords(doubled).isErr()).toBe(true);
    alloc.dispose();
  });
});
