import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAllocatedIPs, type PoolIPAllocation } from '../api/index.ts';
import { AllocatedIPsEncoder, encodeAllocationFragment } from './poolStatusEncoder.ts';

const key = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.string({ maxLength: 4 }),
  fc.string({ unit: 'binary', maxLength: 3 }),
  fc.constantFrom('10.0.0.10', '10.0.0.2', '10.0.0.1', 'a<b>&', '\u2028', '\ud800', '\uffff', '😀'),
);
const rec = fc.record({
  pod: fc.string({ unit: 'binary', maxLength: 6 }),
  podUid: fc.string({ maxLength: 6 }),
});
const step = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), ip: key, rec }),
  fc.record({ kind: fc.constant('delete' as const), ip: key }),
  fc.record({ kind: fc.constant('encode' as const) }),
);

describe('AllocatedIPsEncoder', () => {
  it('writes one entry like Go json.Marshal', () => {
    expect(encodeAllocationFragment('10.0.0.1', { pod: 'a/<b>', podUid: 'u"1' })).toBe(
      '"10.0.0.1":{"pod":"a/\\u003cb\\u003e","podUid":"u\\"1"}',
    );
  });

  it('is empty (undefined) until a record is set, and again after it is deleted', () => {
    const e = new AllocatedIPsEncoder();
    expect(e.encode()).toBeUndefined();
    e.set('10.0.0.2', { pod: 'ns/a', podUid: 'u' });
    e.set('10.0.0.10', { pod: 'ns/b', podUid: 'v' });
    expect(e.encode()).toBe(
      '{"10.0.0.10":{"pod":"ns/b","podUid":"v"},"10.0.0.2":{"pod":"ns/a","podUid":"u"}}',
    );
    expect(e.get('10.0.0.2')).toEqual({ pod: 'ns/a', podUid: 'u' });
    expect([...e.keys()]).toEqual(['10.0.0.10', '10.0.0.2']);
    e.delete('10.0.0.2');
    expect(e.has('10.0.0.2')).toBe(false);
    expect(e.get('10.0.0.2')).toBeUndefined();
    e.delete('10.0.0.10');
    expect(e.encode()).toBeUndefined();
    expect(e.size).toBe(0);
  });

  it('output is byte-identical to encodeAllocatedIPs after any sequence of sets, deletes and encodes', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const e = new AllocatedIPsEncoder();
        const model = new Map<string, PoolIPAllocation>();
        for (const s of steps) {
          if (s.kind === 'set') {
            model.set(s.ip, s.rec);
            e.set(s.ip, s.rec);
          } else if (s.kind === 'delete') {
            model.delete(s.ip);
            e.delete(s.ip);
          } else {
            expect(e.encode()).toBe(encodeAllocatedIPs(model));
          }
        }
        expect(e.size).toBe(model.size);
        expect(e.encode()).toBe(encodeAllocatedIPs(model));
      }),
      { numRuns: 400 },
    );
  });

  it('stays identical over many incremental rounds on a large map', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(fc.nat(2047), fc.boolean()), { maxLength: 40 }), { maxLength: 8 }),
        (rounds) => {
          const e = new AllocatedIPsEncoder();
          const model = new Map<string, PoolIPAllocation>();
          for (let i = 0; i < 1500; i++) {
            const ip = `10.1.${i >> 8}.${i & 255}`;
            model.set(ip, { pod: `ns/p${i}`, podUid: `u${i}` });
            e.set(ip, { pod: `ns/p${i}`, podUid: `u${i}` });
          }
          expect(e.encode()).toBe(encodeAllocatedIPs(model));
          rounds.forEach((round, r) => {
            for (const [n, add] of round) {
              const ip = `10.1.${n >> 8}.${n & 255}`;
              if (add) {
                model.set(ip, { pod: `ns/r${r}`, podUid: `r${r}-${n}` });
                e.set(ip, { pod: `ns/r${r}`, podUid: `r${r}-${n}` });
              } else {
                model.delete(ip);
                e.delete(ip);
              }
            }
            expect(e.encode()).toBe(encodeAllocatedIPs(model));
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});
