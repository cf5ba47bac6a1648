import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEmptyLabelSelector, matchLabelSelector } from './labelSelector.ts';

describe('matchLabelSelector', () => {
  const labels = { app: 'web', tier: 'front' };

  it('nil matches nothing, empty matches everything', () => {
    expect(matchLabelSelector(undefined, labels)).toBe(false);
    expect(matchLabelSelector(null, labels)).toBe(false);
    expect(matchLabelSelector({}, labels)).toBe(true);
    expect(matchLabelSelector({}, undefined)).toBe(true);
    expect(isEmptyLabelSelector({ matchLabels: {} })).toBe(true);
    expect(isEmptyLabelSelector({ matchLabels: { a: 'b' } })).toBe(false);
  });

  it('matchLabels requires every pair', () => {
    expect(matchLabelSelector({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(matchLabelSelector({ matchLabels: { app: 'web', tier: 'back' } }, labels)).toBe(false);
    expect(matchLabelSelector({ matchLabels: { missing: '' } }, labels)).toBe(false);
  });

  it('operators In / NotIn / Exists / DoesNotExist', () => {
    const m = (operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist', key: string, values?: string[]) =>
      matchLabelSelector(
        { matchExpressions: [values ? { key, operator, values } : { key, operator }] },
        labels,
      );
    expect(m('In', 'app', ['web', 'api'])).toBe(true);
    expect(m('In', 'app', ['api'])).toBe(false);
    expect(m('In', 'nope', ['web'])).toBe(false);
    expect(m('NotIn', 'app', ['api'])).toBe(true);
    expect(m('NotIn', 'app', ['web'])).toBe(false);
    expect(m('NotIn', 'nope', ['web'])).toBe(true);
    expect(m('Exists', 'tier')).toBe(true);
    expect(m('Exists', 'nope')).toBe(false);
    expect(m('DoesNotExist', 'nope')).toBe(true);
    expect(m('DoesNotExist', 'tier')).toBe(false);
    // Invalid requirements match nothing.
    expect(m('In', 'app', [])).toBe(false);
    expect(m('Exists', 'app', ['web'])).toBe(false);
  });

  it('a selector built from the labels themselves always matches', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string()), (ls) => {
        expect(matchLabelSelector({ matchLabels: ls }, ls)).toBe(true);
        const exprs = Object.keys(ls).map((key) => ({ key, operator: 'Exists' as const }));
        expect(matchLabelSelector({ matchExpressions: exprs }, ls)).toBe(true);
      }),
    );
  });
});
