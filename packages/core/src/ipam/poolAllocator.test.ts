import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAllocatedIPs } from '../api/index.ts';
import { parseIPRanges } from '../ip/index.ts';
import { ipPool } from './engineTestKit.ts';
import { PoolAllocator } from './poolAllocator.ts';

const build = (
  pool = ipPool('p', '10.20.0.0/16', { ips: ['10.20.168.190-10.20.168.199'] }),
  reserved?: string[],
) =>
  PoolAllocator.build(
    pool,
    reserved ? parseIPRanges(4, reserved)._unsafeUnwrap() : undefined,
  )._unsafeUnwrap();

describe('PoolAllocator', () => {
  it('hands out the lowest free IP, skipping excludeIPs, reserved and recorded IPs', () => {
    const records = new Map([['10.20.168.192', { pod: 'ns/a', podUid: 'u1' }]]);
    const pool = ipPool('p', '10.20.0.0/16', {
      ips: ['10.20.168.190-10.20.168.199'],
      excludeIPs: ['10.20.168.190'],
    });
    pool.status = { allocatedIPs: encodeAllocatedIPs(records) as string, allocatedIPCount: 1 };
    const a = build(pool, ['10.20.168.191']);
    expect(a.take()).toBe('10.20.168.193');
    expect(a.take()).toBe('10.20.168.194');
    expect(a.freeCount).toBe(5n);
    expect(a.prefix).toBe(16);
  });

  it('peek does not take', () => {
    const a = build();
    expect(a.peek()).toBe('10.20.168.190');
    expect(a.peek()).toBe('10.20.168.190');
    expect(a.take()).toBe('10.20.168.190');
    expect(a.peek()).toBe('10.20.168.191');
  });

  it('releasing a record on a reserved IP keeps the IP blocked', () => {
    const pool = ipPool('p', '10.0.0.0/24', { ips: ['10.0.0.1-10.0.0.2'] });
    pool.status = {
      allocatedIPs: encodeAllocatedIPs(new Map([['10.0.0.1', { pod: 'a/b', podUid: 'u' }]])) as string,
    };
    const a = build(pool, ['10.0.0.1']);
    a.removeRecord('10.0.0.1');
    expect(a.take()).toBe('10.0.0.2');
    expect(a.take()).toBeUndefined();
  });

  it('indexes records by pod UID and diffs a new status in place', () => {
    const a = build();
    a.addRecord(a.take() as string, { pod: 'ns/a', podUid: 'u1' });
    a.addRecord(a.take() as string, { pod: 'ns/b', podUid: 'u2' });
    expect(a.ipsOfUid('u2')).toEqual(['10.20.168.191']);
    const other = new Map([
      ['10.20.168.191', { pod: 'ns/b', podUid: 'u2' }],
      ['10.20.168.195', { pod: 'ns/c', podUid: 'u3' }],
    ]);
    a.replaceRecords(encodeAllocatedIPs(other))._unsafeUnwrap();
    expect([...a.records.keys()].sort()).toEqual(['10.20.168.191', '10.20.168.195']);
    expect(a.ipsOfUid('u1')).toEqual([]);
    expect(a.take()).toBe('10.20.168.190');
    expect(a.take()).toBe('10.20.168.192');
  });

  it('handles IPv6 spaces wider than 2^32 (sparse) and wider than 2^64 (clipped)', () => {
    const v6 = build(ipPool('v6', 'fd00::/48', { ips: ['fd00::1-fd00::ffff:ffff:ffff'] }));
    expect(v6.take()).toBe('fd00::1');
    expect(v6.freeCount).toBeGreaterThan(2n ** 32n);
    const huge = build(ipPool('huge', 'fd00::/32', { ips: ['fd00::-fd00:0:ffff:ffff:ffff:ffff:ffff:ffff'] }));
    expect(huge.freeCount).toBe(2n ** 64n);
    expect(huge.take()).toBe('fd00::');
  });

  it('reports a bad status as CorruptPoolStatus', () => {
    const pool = ipPool('p', '10.0.0.0/24', { ips: ['10.0.0.1'] });
    pool.status = { allocatedIPs: '{not json' };
    const r = PoolAllocator.build(pool, undefined);
    expect(r._unsafeUnwrapErr()._tag).toBe('CorruptPoolStatus');
  });

  it('property: take never returns a recorded, excluded or reserved IP and always the lowest free one', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: 40 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: 10 }),
        (used, excluded) => {
          const pool = ipPool('p', '10.0.0.0/24', {
            ips: ['10.0.0.0-10.0.0.63'],
            excludeIPs: excluded.map((n) => `10.0.0.${n}`),
          });
          const recs = new Map(used.map((n) => [`10.0.0.${n}`, { pod: `ns/p${n}`, podUid: `u${n}` }]));
          if (recs.size > 0) pool.status = { allocatedIPs: encodeAllocatedIPs(recs) as string };
          const a = build(pool);
          const blocked = new Set([...used, ...excluded]);
          const expected = Array.from({ length: 64 }, (_, i) => i).filter((i) => !blocked.has(i));
          const got: string[] = [];
          for (let ip = a.take(); ip !== undefined; ip = a.take()) got.push(ip);
          expect(got).toEqual(expected.map((n) => `10.0.0.${n}`));
          a.dispose();
        },
      ),
      { numRuns: 100 },
    );
  });
});
