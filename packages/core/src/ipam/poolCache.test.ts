import { describe, expect, it } from 'vitest';
import { encodeAllocatedIPs } from '../api/index.ts';
import { ipPool, reservedIP } from './engineTestKit.ts';
import { PoolAllocatorCache } from './poolCache.ts';
import { assembleReservedIPs, EMPTY_RESERVED } from './reservedIPs.ts';

const withRv = (rv: string, generation = 1, allocated?: Map<string, { pod: string; podUid: string }>) => {
  const p = ipPool('p', '10.0.0.0/24', { ips: ['10.0.0.1-10.0.0.10'] });
  p.metadata.resourceVersion = rv;
  p.metadata.generation = generation;
  if (allocated) p.status = { allocatedIPs: encodeAllocatedIPs(allocated) as string };
  return p;
};

describe('PoolAllocatorCache', () => {
  it('reuses while the resourceVersion is unchanged, advances after own writes', () => {
    const c = new PoolAllocatorCache();
    const a = c.sync(withRv('1'), EMPTY_RESERVED)._unsafeUnwrap();
    a.addRecord(a.take() as string, { pod: 'n/a', podUid: 'u' });
    c.advance('p', '2');
    const b = c.sync(withRv('2'), EMPTY_RESERVED)._unsafeUnwrap();
    expect(b).toBe(a);
    expect(b.records.size).toBe(1);
    expect(c.stats).toEqual({ builds: 1, diffs: 0, hits: 1 });
  });

  it('diffs records when someone else wrote, rebuilds on a spec or reserved change', () => {
    const c = new PoolAllocatorCache();
    const a = c.sync(withRv('1'), EMPTY_RESERVED)._unsafeUnwrap();
    const theirs = new Map([['10.0.0.1', { pod: 'n/x', podUid: 'x' }]]);
    const b = c.sync(withRv('5', 1, theirs), EMPTY_RESERVED)._unsafeUnwrap();
    expect(b).toBe(a);
    expect(b.peek()).toBe('10.0.0.2');
    expect(c.stats.diffs).toBe(1);
    const rebuilt = c.sync(withRv('6', 2, theirs), EMPTY_RESERVED)._unsafeUnwrap();
    expect(rebuilt).not.toBe(a);
    const r = reservedIP('r', ['10.0.0.2']);
    r.metadata.resourceVersion = '9';
    const reserved = assembleReservedIPs([r])._unsafeUnwrap();
    const again = c.sync(withRv('6', 2, theirs), reserved)._unsafeUnwrap();
    expect(again).not.toBe(rebuilt);
    expect(again.peek()).toBe('10.0.0.3');
    expect(c.stats.builds).toBe(3);
  });

  it('re-reads after a failed write even if the resourceVersion did not move', () => {
    const c = new PoolAllocatorCache();
    const a = c.sync(withRv('1'), EMPTY_RESERVED)._unsafeUnwrap();
    a.addRecord(a.take() as string, { pod: 'n/a', podUid: 'u' });
    c.markDirty('p');
    const b = c.sync(withRv('1'), EMPTY_RESERVED)._unsafeUnwrap();
    expect(b.records.size).toBe(0);
    expect(b.peek()).toBe('10.0.0.1');
  });

  it('prunes deleted pools', () => {
    const c = new PoolAllocatorCache();
    c.sync(withRv('1'), EMPTY_RESERVED)._unsafeUnwrap();
    c.prune(new Set(['other']));
    expect(c.size).toBe(0);
  });

  it('ignores terminating reserved IPs', () => {
    const r = reservedIP('r', ['10.0.0.2']);
    r.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    expect(assembleReservedIPs([r])._unsafeUnwrap().v4.intervals).toEqual([]);
  });
});
