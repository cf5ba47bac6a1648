import { describe, expect, it } from 'vitest';
import {
  forbidden,
  formatFieldErrors,
  goQuoteVerb,
  internalError,
  invalid,
  notSupported,
  renderFieldValue,
  required,
} from './fieldError.ts';

describe('field errors print like apimachinery (*field.Error).Error()', () => {
  it('a nil bad value is the string "null", printed quoted', () => {
    expect(invalid('spec.ipVersion', undefined, 'd').message).toBe(
      'spec.ipVersion: Invalid value: "null": d',
    );
    expect(notSupported('spec.podRPFilter', null, ['0', '1', '2']).message).toBe(
      'spec.podRPFilter: Unsupported value: "null": supported values: "0", "1", "2"',
    );
  });

  it('strings use %q, numbers and booleans %v', () => {
    expect(invalid('a', 'x', 'd').message).toBe('a: Invalid value: "x": d');
    expect(invalid('a', 7, 'd').message).toBe('a: Invalid value: 7: d');
    expect(invalid('a', true, '').message).toBe('a: Invalid value: true');
    expect(notSupported('a', '', []).message).toBe('a: Unsupported value: ""');
  });

  it('valueless types print no value', () => {
    expect(forbidden('a', 'no').message).toBe('a: Forbidden: no');
    expect(required('a', '').message).toBe('a: Required value');
    expect(internalError('a', 'x').message).toBe('a: Internal error: x');
  });

  it('%q escapes like strconv.Quote, not like JSON', () => {
    expect(goQuoteVerb('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuoteVerb('\u0001\u007f\u0007\u000b\n')).toBe('"\\x01\\x7f\\a\\v\\n"');
    expect(goQuoteVerb('é<>&😀')).toBe('"é<>&😀"');
    expect(goQuoteVerb('\u00ad\u2028')).toBe('"\\u00ad\\u2028"');
    expect(goQuoteVerb('\u{e0001}')).toBe('"\\U000e0001"');
    expect(renderFieldValue('\u0001')).toBe('"\\x01"');
  });

  it('aggregates like ErrorList.ToAggregate(), dropping duplicates', () => {
    const a = invalid('a', 1, 'x');
    const b = forbidden('b', 'y');
    expect(formatFieldErrors([])).toBe('');
    expect(formatFieldErrors([a])).toBe(a.message);
    expect(formatFieldErrors([a, b, a])).toBe(`[${a.message}, ${b.message}]`);
  });
});
