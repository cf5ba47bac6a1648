import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileLabelSelector } from './labelSelector.ts';

const match = (sel: Parameters<typeof compileLabelSelector>[0], labels?: Record<string, string>) =>
  compileLabelSelector(sel)._unsafeUnwrap()(labels);

describe('compileLabelSelector', () => {
  it('an absent or empty selector matches everything, even unlabelled objects', () => {
    expect(match(undefined)).toBe(true);
    expect(match({}, { a: 'b' })).toBe(true);
  });

  it('implements each operator, NotIn and DoesNotExist matching absent keys', () => {
    expect(match({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] }, { a: '2' })).toBe(
      true,
    );
    expect(match({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1'] }] }, {})).toBe(false);
    expect(match({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, {})).toBe(true);
    expect(match({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, { a: '1' })).toBe(
      false,
    );
    expect(match({ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, { a: '' })).toBe(true);
    expect(match({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, { a: '' })).toBe(false);
  });

  it('rejects malformed requirements', () => {
    expect(
      compileLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }).isErr(),
    ).toBe(true);
    expect(
      compileLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }).isErr(),
    ).toBe(true);
  });

  it('matchLabels is a subset test (property)', () => {
    const labels = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('1', '2'));
    fc.assert(
      fc.property(labels, labels, (want, have) => {
        const subset = Object.entries(want).every(([k, v]) => have[k] === v);
        expect(match({ matchLabels: want }, have)).toBe(subset);
      }),
    );
  });
});

describe('compileLabelSelector own keys', () => {
  it('does not see inherited properties as labels', () => {
    expect(match({ matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }, {})).toBe(false);
    expect(match({ matchExpressions: [{ key: 'toString', operator: 'DoesNotExist' }] }, { a: 'b' })).toBe(
      true,
    );
  });
});
