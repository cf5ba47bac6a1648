// The compact record store behind PoolAllocator (ADR 0028): records held only as encoded text, a UID index of
// 32-bit hashes, numeric IPv4 indices and the cold build that takes a canonical status as is. Each is checked
// against the slow, general path it replaces.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAllocatedIPs, type PoolIPAllocation } from '../api/index.ts';
import { formatIPValue, parseIPOfVersion, parseIPRanges, rangeSetAt, rangeSetIndexOf } from '../ip/index.ts';
import { ipPool } from './engineTestKit.ts';
import { PoolAllocator } from './poolAllocator.ts';
import { IPv4Index, NOT_CANONICAL, OUTSIDE, parseCanonicalIPv4 } from './poolIPv4Index.ts';
import { hashString } from './poolStatusText.ts';
import { UidIndex } from './poolUidIndex.ts';

const v4Pool = (text: string | undefined, ips = ['10.1.0.1-10.1.3.254']) => {
  const pool = ipPool('p', '10.1.0.0/22', { ips });
  if (text !== undefined) pool.status = { allocatedIPs: text, allocatedIPCount: 0 };
  return PoolAllocator.build(pool, undefined)._unsafeUnwrap();
};

/** Everything a caller can observe of an allocator. */
const observe = (a: PoolAllocator, uids: readonly string[]) => ({
  records: new Map(a.records),
  encoded: a.encodeStatus(),
  byUid: uids.map((u) => a.ipsOfUid(u)),
  free: a.freeCount,
  next: a.peek(),
});

const recordSets = fc
  .uniqueArray(fc.integer({ min: 1, max: 1000 }), { maxLength: 200 })
  .chain((idx) =>
    fc.tuple(
      fc.constant(idx),
      fc.array(
        fc.record({
          pod: fc.constantFrom('ns/a', 'ns/b', 'x/<y>'),
          podUid: fc.constantFrom('u1', 'u2', 'u3', 'u4'),
        }),
        {
          minLength: idx.length,
          maxLength: idx.length,
        },
      ),
    ),
  )
  .map(([idx, recs]) => {
    const m = new Map<string, PoolIPAllocation>();
    idx.forEach((i, k) => {
      m.set(formatIPValue(4, 0x0a010000n + BigInt(i)), recs[k] as PoolIPAllocation);
    });
    return m;
  });

describe('PoolAllocator compact records', () => {
  it('a canonical status (fast load) and the same records in another spelling (full decode) build alike', () => {
    fc.assert(
      fc.property(recordSets, (records) => {
        const text = encodeAllocatedIPs(records);
        const spaced = text === undefined ? undefined : JSON.stringify(JSON.parse(text), null, 1);
        const fast = v4Pool(text);
        const slow = v4Pool(spaced);
        const uids = ['u1', 'u2', 'u3', 'u4', 'none'];
        expect(observe(fast, uids)).toEqual(observe(slow, uids));
        expect(new Map(fast.records)).toEqual(records);
        expect(fast.encodeStatus()).toBe(text);
        // Same answers after the same changes.
        for (const a of [fast, slow]) {
          const ip = a.take() as string;
          a.addRecord(ip, { pod: 'ns/new', podUid: 'u1' });
          a.removeRecord(records.keys().next().value ?? ip);
        }
        expect(observe(fast, uids)).toEqual(observe(slow, uids));
        fast.dispose();
        slow.dispose();
      }),
      { numRuns: 100 },
    );
  });

  it('UIDs whose hashes collide still answer only their own IPs', () => {
    // Two UUID-shaped UIDs with the same 32-bit hash (hashString; found by a search over random UUIDs).
    const pair = ['07423fc7-7d8e-4c7b-a6f5-ba8f19047cc7', '7e6ada76-381b-4c7b-a6f5-10f895fa890b'];
    const [u1, u2] = pair as [string, string];
    expect(u1).not.toBe(u2);
    expect(hashString(u1)).toBe(hashString(u2));
    const a = v4Pool(undefined);
    a.addRecord('10.1.0.5', { pod: 'ns/a', podUid: u1 });
    a.addRecord('10.1.0.9', { pod: 'ns/b', podUid: u2 });
    a.addRecord('10.1.0.7', { pod: 'ns/a', podUid: u1 });
    expect(a.ipsOfUid(u1)).toEqual(['10.1.0.5', '10.1.0.7']);
    expect(a.ipsOfUid(u2)).toEqual(['10.1.0.9']);
    a.removeRecord('10.1.0.5');
    expect(a.ipsOfUid(u1)).toEqual(['10.1.0.7']);
    expect(a.ipsOfUid(u2)).toEqual(['10.1.0.9']);
    a.dispose();
  });

  it('records outside the index space, non-canonical keys and IPv6 are referred to by their text', () => {
    const a = v4Pool(undefined);
    a.addRecord('192.168.0.1', { pod: 'ns/out', podUid: 'u-out' });
    a.addRecord('not-an-ip', { pod: 'ns/odd', podUid: 'u-out' });
    a.addRecord('10.1.0.1', { pod: 'ns/in', podUid: 'u-out' });
    // In Go key order, whatever the order they were added in.
    expect(a.ipsOfUid('u-out')).toEqual(['10.1.0.1', '192.168.0.1', 'not-an-ip']);
    expect(a.removeRecord('not-an-ip')).toEqual({ pod: 'ns/odd', podUid: 'u-out' });
    expect(a.ipsOfUid('u-out')).toEqual(['10.1.0.1', '192.168.0.1']);
    a.dispose();
    const pool6 = ipPool('p6', 'fd00::/120', { ips: ['fd00::10-fd00::20'] });
    const b = PoolAllocator.build(pool6, undefined)._unsafeUnwrap();
    const ip = b.take() as string;
    b.addRecord(ip, { pod: 'ns/v6', podUid: 'u6' });
    b.addRecord('fd00::aaaa:bbbb:cccc', { pod: 'ns/v6b', podUid: 'u6' });
    expect(b.ipsOfUid('u6')).toEqual(['fd00::10', 'fd00::aaaa:bbbb:cccc']);
    const rebuilt = PoolAllocator.build(
      { ...pool6, status: { allocatedIPs: b.encodeStatus() as string, allocatedIPCount: 2 } },
      undefined,
    )._unsafeUnwrap();
    expect(rebuilt.ipsOfUid('u6')).toEqual(['fd00::10', 'fd00::aaaa:bbbb:cccc']);
    expect(rebuilt.take()).toBe('fd00::11');
    b.dispose();
    rebuilt.dispose();
  });

  it('records with lone surrogates read back exactly, though their encoding has U+FFFD', () => {
    const a = v4Pool(undefined);
    const rec = { pod: 'ns/\ud800x', podUid: 'u\udc00' };
    a.addRecord('10.1.0.3', rec);
    expect(a.records.get('10.1.0.3')).toEqual(rec);
    expect(a.ipsOfUid('u\udc00')).toEqual(['10.1.0.3']);
    expect(a.encodeStatus()).toBe(encodeAllocatedIPs(new Map([['10.1.0.3', rec]])));
    a.dispose();
  });
});

describe('IPv4Index', () => {
  it('parses exactly the canonical dotted quads, to the value the general parser gives', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.string({ maxLength: 16 })), (s) => {
        const fast = parseCanonicalIPv4(s, 0, s.length);
        const slow = parseIPOfVersion(4, s);
        if (fast === NOT_CANONICAL)
          expect(slow.isOk() && formatIPValue(4, slow.value.value) === s).toBe(false);
        else
          expect(
            slow.isOk() && Number(slow.value.value) === fast && formatIPValue(4, slow.value.value) === s,
          ).toBe(true);
      }),
      { numRuns: 3000 },
    );
    for (const bad of ['01.2.3.4', '1.2.3.256', '1.2.3', '1.2.3.4.5', '1..2.3', '', '1.2.3.4 '])
      expect(parseCanonicalIPv4(bad, 0, bad.length)).toBe(NOT_CANONICAL);
  });

  it('maps text to index and back like the bigint range-set functions', () => {
    const ips = parseIPRanges(4, ['10.0.0.5-10.0.0.9', '10.0.1.0-10.0.1.3', '10.2.0.0'])._unsafeUnwrap();
    // A space of 8 where the set holds 10: the last two addresses are outside it.
    const idx = new IPv4Index(ips, 8);
    for (let i = 0; i < 8; i++) {
      const text = formatIPValue(4, rangeSetAt(ips, BigInt(i)) as bigint);
      expect(idx.at(i)).toBe(text);
      expect(idx.indexOf(text)).toBe(i);
    }
    expect(idx.indexOf('10.0.0.4')).toBe(OUTSIDE);
    expect(idx.indexOf('10.0.0.10')).toBe(OUTSIDE);
    expect(idx.indexOf('10.0.1.3')).toBe(OUTSIDE);
    expect(Number(rangeSetIndexOf(ips, 0x0a020000n))).toBe(9);
    expect(idx.indexOf('10.2.0.0')).toBe(OUTSIDE);
  });
});

describe('UidIndex', () => {
  it('keeps references per hash in insertion order and drops them one by one', () => {
    const u = new UidIndex();
    const h = hashString('a');
    u.add(h, 1);
    u.add(h, 'x');
    u.add(h, 1);
    expect(u.candidates('a')).toEqual([1, 'x']);
    u.remove('a', 1);
    expect(u.candidates('a')).toEqual(['x']);
    u.remove('a', 'x');
    expect(u.candidates('a')).toEqual([]);
  });
});
