// The fast status encoding (ADR 0023) against the reference copy of the old one: same bytes for any records,
// any change sequence, and strings that need every kind of escape.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareGoStrings, encodeAllocatedIPs, goQuote, type PoolIPAllocation } from '../api/index.ts';
import { AllocatedIPsEncoder } from './poolStatusEncoder.ts';
import {
  referenceCompareGoStrings,
  referenceEncodeAllocatedIPs,
  referenceGoQuote,
} from './statusEncodingReferenceTestKit.ts';

/** Units that each take a different path in the quoting: escapes, controls, HTML, separators, surrogates. */
const tricky = fc.constantFrom(
  '"',
  '\\',
  '\n',
  '\r',
  '\t',
  '\b',
  '\f',
  '\u0000',
  '\u001f',
  '\u007f',
  '<',
  '>',
  '&',
  '\u2028',
  '\u2029',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\ud83d\ude00',
  '\ue000',
  '\uffff',
  'é',
  'a',
  '/',
);
const mixed = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.array(tricky, { maxLength: 6 }).map((a) => a.join('')),
  fc.tuple(fc.string({ maxLength: 6 }), tricky, fc.string({ maxLength: 6 })).map((t) => t.join('')),
);
const key = fc.oneof(fc.ipV4(), fc.ipV6(), mixed);
const rec = fc.record({
  pod: fc.oneof(mixed, fc.constant('default/app-1')),
  podUid: fc.oneof(mixed, fc.uuid()),
});
const step = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), ip: key, rec }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), ip: key }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('encode' as const) }) },
);
const records = fc.array(fc.tuple(key, rec), { maxLength: 400 });

describe('status encoding fast paths vs the reference encoder', () => {
  it('goQuote is byte-identical to the per-unit reference', () => {
    fc.assert(
      fc.property(fc.oneof(mixed, fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), (s) => {
        expect(goQuote(s)).toBe(referenceGoQuote(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('compareGoStrings orders like the code-point reference', () => {
    fc.assert(
      fc.property(mixed, mixed, (a, b) => {
        expect(Math.sign(compareGoStrings(a, b))).toBe(referenceCompareGoStrings(a, b));
        expect(Math.sign(compareGoStrings(a + b, a))).toBe(referenceCompareGoStrings(a + b, a));
      }),
      { numRuns: 2000 },
    );
  });

  it('encodeAllocatedIPs is byte-identical to the reference over random record sets', () => {
    fc.assert(
      fc.property(records, (entries) => {
        const m = new Map(entries);
        expect(encodeAllocatedIPs(m)).toBe(referenceEncodeAllocatedIPs(m));
      }),
      { numRuns: 300 },
    );
  });

  for (const mode of ['own map', "owner's map"] as const) {
    it(`the incremental encoder (${mode}) matches the reference after any change sequence`, () => {
      fc.assert(
        fc.property(records, fc.array(step, { maxLength: 120 }), (initial, steps) => {
          const model = new Map<string, PoolIPAllocation>();
          const e = mode === 'own map' ? new AllocatedIPsEncoder() : new AllocatedIPsEncoder(model);
          const set = (ip: string, r: PoolIPAllocation) => {
            // An owner updates its map first (PoolAllocator.addRecord), the encoder's own copy is separate.
            model.set(ip, r);
            e.set(ip, r);
          };
          for (const [ip, r] of initial) set(ip, r);
          // Encode once so later changes splice cached block texts instead of rebuilding them.
          expect(e.encode()).toBe(referenceEncodeAllocatedIPs(model));
          for (const s of steps) {
            if (s.kind === 'set') set(s.ip, s.rec);
            else if (s.kind === 'delete') {
              model.delete(s.ip);
              e.delete(s.ip);
            } else expect(e.encode()).toBe(referenceEncodeAllocatedIPs(model));
            expect(e.size).toBe(model.size);
          }
          expect(e.encode()).toBe(referenceEncodeAllocatedIPs(model));
        }),
        { numRuns: 150 },
      );
    });
  }

  it('splices entries across block splits and merges on a large sorted map', () => {
    const model = new Map<string, PoolIPAllocation>();
    const e = new AllocatedIPsEncoder(model);
    const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    for (let i = 0; i < 3000; i += 2) {
      model.set(ip(i), { pod: `ns/p${i}`, podUid: `u${i}` });
      e.set(ip(i), { pod: `ns/p${i}`, podUid: `u${i}` });
    }
    expect(e.encode()).toBe(referenceEncodeAllocatedIPs(model));
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 40; round++) {
      for (let k = 0; k < 50; k++) {
        const i = rnd(3000);
        if (rnd(3) === 0) {
          model.delete(ip(i));
          e.delete(ip(i));
        } else {
          const r = { pod: `ns/"q${round}"`, podUid: `v${k}\u2028` };
          model.set(ip(i), r);
          e.set(ip(i), r);
        }
      }
      expect(e.encode()).toBe(referenceEncodeAllocatedIPs(model));
    }
  });
});
