// The UID index's open-addressing table against a model (hash -> set of references): any sequence of adds
// and removes, with few hashes (long clusters, wrap-around, backward shifts) and both kinds of reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashString } from './poolStatusText.ts';
import { type RecordRef, UidIndex } from './poolUidIndex.ts';

describe('UidIndex (property)', () => {
  it('answers like a model after any adds and removes', () => {
    const uid = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
    const ref = fc.oneof(
      fc.nat(60),
      fc.constantFrom('fd00::1', '192.168.0.1', 'x'),
      fc.constant(2 ** 32 - 1),
    );
    const op = fc.record({ add: fc.boolean(), uid, ref });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.boolean(), (ops, reserve) => {
        const index = new UidIndex();
        if (reserve) index.reserve(40);
        const model = new Map<string, Set<RecordRef>>();
        for (const o of ops) {
          const set = model.get(o.uid) ?? new Set<RecordRef>();
          model.set(o.uid, set);
          if (o.add) {
            index.add(hashString(o.uid), o.ref);
            set.add(o.ref);
          } else {
            index.remove(o.uid, o.ref);
            set.delete(o.ref);
          }
        }
        for (const [u, set] of model) {
          const got = index.candidates(u);
          expect(new Set(got)).toEqual(set);
          expect(got.length).toBe(set.size);
        }
        index.clear();
        expect(index.candidates('a')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
