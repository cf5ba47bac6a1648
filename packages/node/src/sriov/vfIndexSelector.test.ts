import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseVfIndexSelector,
  selectedIndices,
  splitPfSelectorItem,
  vfIndexMatches,
} from './vfIndexSelector.ts';

const sel = (item: string, limit = 12): number[] => selectedIndices(splitPfSelectorItem(item), limit);

describe('pf#ranges parsing (sriov-network-device-plugin isSelected)', () => {
  it('expands indices and inclusive ranges', () => {
    expect(sel('enp4s0f0np0#0,2-7,9')).toEqual([0, 2, 3, 4, 5, 6, 7, 9]);
    expect(sel('0000:86:00.0#0-1,3,4')).toEqual([0, 1, 3, 4]);
    expect(sel('netpf0#3-5')).toEqual([3, 4, 5]);
  });

  it('selects every VF without "#" and keeps the name part', () => {
    expect(sel('enp4s0f0np0', 4)).toEqual([0, 1, 2, 3]);
    expect(splitPfSelectorItem('enp4s0f0np0#1').pattern).toBe('enp4s0f0np0');
  });

  it('reads numbers like strconv.Atoi (sign allowed, nothing else)', () => {
    expect(sel('p#+1-+3')).toEqual([1, 2, 3]);
    expect(sel('p#5-3')).toEqual([]); // empty inclusive range
    expect(sel('p# 1')).toEqual([]);
    expect(sel('p#0x1')).toEqual([]);
  });

  it('keeps the plugin quirk: entries before a malformed one still select', () => {
    expect(sel('p#0,x,2')).toEqual([0]);
    expect(sel('p#x,0')).toEqual([]);
    expect(sel('p#1-2-3')).toEqual([]);
    expect(sel('p#1#2')).toEqual([]);
    expect(sel('p#')).toEqual([]);
    expect(sel('p#3,-1')).toEqual([3]);
  });

  it('reports the first malformed entry as InvalidSelector in strict mode', () => {
    expect(parseVfIndexSelector('p#0,2-7,9').isOk()).toBe(true);
    expect(parseVfIndexSelector('p#0,x,2')._unsafeUnwrapErr()).toMatchObject({
      _tag: 'InvalidSelector',
      selector: 'p#0,x,2',
      entry: 'x',
    });
    expect(parseVfIndexSelector('p#1-2-3')._unsafeUnwrapErr()).toMatchObject({ entry: '1-2-3' });
    expect(parseVfIndexSelector('a#1#2')._unsafeUnwrapErr()).toMatchObject({ detail: 'more than one "#"' });
    expect(parseVfIndexSelector('p#-1')._unsafeUnwrapErr()).toMatchObject({
      detail: 'range start is not an integer',
    });
  });

  it('matches exactly the union of the written indices and ranges (property)', () => {
    const part = fc.oneof(
      fc.nat(64).map((n) => ({ text: String(n), set: [n] })),
      fc.tuple(fc.nat(64), fc.nat(64)).map(([a, b]) => ({
        text: `${a}-${b}`,
        set: Array.from({ length: Math.max(0, b - a + 1) }, (_, i) => a + i),
      })),
    );
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), fc.nat(70), (parts, probe) => {
        const item = `pf0#${parts.map((p) => p.text).join(',')}`;
        const parsed = parseVfIndexSelector(item)._unsafeUnwrap();
        const expected = parts.some((p) => p.set.includes(probe));
        expect(vfIndexMatches(parsed, probe)).toBe(expected);
      }),
    );
  });
});
