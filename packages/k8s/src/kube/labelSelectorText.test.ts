import { compileLabelSelector, type LabelSelector } from '@spiderpool-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLabelSelector, parseLabelSelector } from './labelSelectorText.ts';

const key = fc.stringMatching(/^[a-z]([a-z0-9.-]{0,6}[a-z0-9])?(\/[a-z][a-z0-9]{0,4})?$/);
const value = fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,5}[a-z0-9])?$/);
const requirement = fc.oneof(
  fc.record({
    key,
    operator: fc.constantFrom('In', 'NotIn'),
    values: fc.array(value, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ key, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const selector: fc.Arbitrary<LabelSelector> = fc.record(
  {
    matchLabels: fc.dictionary(key, value, { maxKeys: 3 }),
    matchExpressions: fc.array(requirement, { maxLength: 3 }),
  },
  { requiredKeys: [] },
);
const labels = fc.dictionary(fc.oneof(key, fc.constantFrom('app', 'tier')), value, { maxKeys: 4 });

describe('label selector text', () => {
  it('formats the API server syntax', () => {
    expect(
      formatLabelSelector({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['a', 'b'] },
          { key: 'x', operator: 'NotIn', values: ['c'] },
          { key: 'y', operator: 'Exists' },
          { key: 'z', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=web,tier in (a,b),x notin (c),y,!z');
    expect(formatLabelSelector({})).toBeUndefined();
    expect(formatLabelSelector(undefined)).toBeUndefined();
  });

  it('parses = == != in notin exists and !exists; refuses junk', () => {
    expect(parseLabelSelector('a=b, c==d,e!=f').unwrapOr(undefined)).toEqual({
      matchExpressions: [
        { key: 'a', operator: 'In', values: ['b'] },
        { key: 'c', operator: 'In', values: ['d'] },
        { key: 'e', operator: 'NotIn', values: ['f'] },
      ],
    });
    expect(parseLabelSelector('').unwrapOr(undefined)).toEqual({});
    expect(parseLabelSelector('a in ()').isErr()).toBe(true);
    expect(parseLabelSelector('a b c').isErr()).toBe(true);
  });

  it('format then parse selects exactly the same label sets (property)', () => {
    fc.assert(
      fc.property(selector, fc.array(labels, { minLength: 1, maxLength: 5 }), (sel, sets) => {
        const original = compileLabelSelector(sel)._unsafeUnwrap();
        const text = formatLabelSelector(sel) ?? '';
        const parsed = compileLabelSelector(parseLabelSelector(text)._unsafeUnwrap())._unsafeUnwrap();
        for (const l of sets) expect(parsed(l)).toBe(original(l));
      }),
    );
  });
});
