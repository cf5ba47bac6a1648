import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandPoolNames, hasWildcard, isValidPoolNamePattern, matchPoolName } from './wildcard.ts';

describe('hasWildcard (HasWildcardInStr)', () => {
  it('sees ?, * and a [ ] pair', () => {
    expect(hasWildcard('pool')).toBe(false);
    expect(hasWildcard('pool?')).toBe(true);
    expect(hasWildcard('pool*')).toBe(true);
    expect(hasWildcard('pool[ab]')).toBe(true);
    expect(hasWildcard('pool[')).toBe(false);
    expect(hasWildcard('pool]')).toBe(false);
  });
});

describe('matchPoolName (filepath.Match)', () => {
  it.each([
    ['abc', 'abc', true],
    ['*', 'abc', true],
    ['*c', 'abc', true],
    ['a*', 'a', true],
    ['a*', 'ab/c', false],
    ['a*/b', 'abc/b', true],
    ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
    ['a*b?c*x', 'abxbbxdbxebxczzx', true],
    ['a*b?c*x', 'abxbbxdbxebxczzy', false],
    ['ab[c]', 'abc', true],
    ['ab[b-d]', 'abc', true],
    ['ab[e-g]', 'abc', false],
    ['ab[^c]', 'abc', false],
    ['ab[^b-d]', 'abc', false],
    ['ab[^e-g]', 'abc', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'ab', false],
    ['a?b', 'a☺b', true],
    ['a[^a]b', 'a☺b', true],
    ['a???b', 'a☺b', false],
    ['[a-ζ]*', 'α', true],
    ['*[a-ζ]', 'A', false],
    ['a?b', 'a/b', false],
    ['a*b', 'a/b', false],
    ['[\\]a]', ']', true],
    ['[\\-]', '-', true],
    ['[x\\-]', 'x', true],
    ['[x\\-]', '-', true],
    ['[x\\-]', 'z', false],
    ['[\\-x]', 'x', true],
    ['pool-v4-*', 'pool-v4-eth0', true],
    ['pool-v4-*', 'pool-v6-eth0', false],
    ['ippool-??', 'ippool-01', true],
    ['ippool-??', 'ippool-1', false],
    ['default-[0-9]', 'default-7', true],
    ['**', 'anything', true],
    ['', '', true],
    ['', 'a', false],
    ['z]', 'z]', true],
    ['a[^b]c', 'a/c', true],
  ] as const)('%j vs %j -> %s', (pattern, name, want) => {
    expect(matchPoolName(pattern, name)._unsafeUnwrap()).toBe(want);
  });

  it.each([
    '[',
    '[^',
    '[^bc',
    'a[',
    'a\\',
    '[]a]',
    '[-]',
    '[x-]',
    '[-x]',
    '[a-b-c]x[',
    'ab[',
    '[\\',
    '[a-',
    '*x[',
  ])('malformed %j is BadPattern', (pattern) => {
    const e = matchPoolName(pattern, 'x')._unsafeUnwrapErr();
    expect(e).toEqual({
      _tag: 'BadPattern',
      value: pattern,
      message: `syntax error in pattern '${pattern}'`,
    });
    expect(isValidPoolNamePattern(pattern)).toBe(false);
  });
});

describe('expandPoolNames (ParseWildcardPoolNameList)', () => {
  const known = ['pool-a', 'pool-b', 'other', 'pool-c1'];

  it('replaces wildcard entries by the matches in list order and keeps plain names', () => {
    expect(expandPoolNames(['pool-?', 'literal'], known)._unsafeUnwrap()).toEqual([
      'pool-a',
      'pool-b',
      'literal',
    ]);
    expect(expandPoolNames(['pool-[ac]*'], known)._unsafeUnwrap()).toEqual(['pool-a', 'pool-c1']);
  });

  it('a wildcard matching nothing yields nothing', () => {
    expect(expandPoolNames(['nope-*'], known)._unsafeUnwrap()).toEqual([]);
  });

  it('a malformed wildcard entry is BadPattern', () => {
    expect(expandPoolNames(['x*[]'], known)._unsafeUnwrapErr()).toMatchObject({
      _tag: 'BadPattern',
      value: 'x*[]',
    });
  });
});

describe('matchPoolName against a regular-expression model', () => {
  it('agrees on patterns of literals, *, ?, classes and escapes', () => {
    const piece = fc.constantFrom('a', 'b', '-', '*', '?', '[ab]', '[^a]', '[a-c]', '\\*', '/');
    const toRegex = (parts: readonly string[]): RegExp => {
      const body = parts
        .map((p) => {
          if (p === '*') return '[^/]*';
          if (p === '?') return '[^/]';
          if (p === '\\*') return '\\*';
          if (p.startsWith('[')) return p; // a class may match '/', as in Go
          return p === '-' ? '-' : p;
        })
        .join('');
      return new RegExp(`^${body}$`, 'u');
    };
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), fc.stringMatching(/^[abc*/-]{0,8}$/), (parts, name) => {
        expect(matchPoolName(parts.join(''), name)._unsafeUnwrap()).toBe(toRegex(parts).test(name));
      }),
      { numRuns: 1000 },
    );
  });
});
