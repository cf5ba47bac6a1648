import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareGoStrings, fromParsedJson, goMarshal, goQuote, goStruct } from './goJson.ts';

describe('goQuote', () => {
  it('escapes like Go encoding/json (HTML-safe)', () => {
    expect(goQuote('<a&b>')).toBe('"\\u003ca\\u0026b\\u003e"');
    expect(goQuote('\n\r\t\b\f\u0001"\\')).toBe('"\\n\\r\\t\\b\\f\\u0001\\"\\\\"');
    expect(goQuote('\u2028\u2029')).toBe('"\\u2028\\u2029"');
    expect(goQuote('é😀')).toBe('"é😀"');
    expect(goQuote('\ud800x')).toBe('"\\ufffdx"');
  });

  it('always yields JSON that parses back to the input (valid UTF-16)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(JSON.parse(goQuote(s))).toBe(s);
      }),
    );
  });
});

describe('goMarshal', () => {
  it('keeps struct order, drops undefined fields, sorts map keys byte-wise', () => {
    const v = goStruct([
      ['z', 1],
      ['a', undefined],
      ['m', { b: true, a: null, '10': 'x', '9': 'y' }],
    ]);
    expect(goMarshal(v)).toBe('{"z":1,"m":{"10":"x","9":"y","a":null,"b":true}}');
  });

  it('prints numbers like Go float64', () => {
    expect(goMarshal([1e21, 1e-7, 0.1, -0, 123456789])).toBe('[1e+21,1e-7,0.1,-0,123456789]');
  });

  it('sorts by code point, not UTF-16 unit', () => {
    expect(compareGoStrings('\uffff', '😀')).toBe(-1);
    expect(['😀', '\uffff', 'a'].sort(compareGoStrings)).toEqual(['a', '\uffff', '😀']);
  });

  it('re-serialises parsed JSON to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (j) => {
        const v = fromParsedJson(JSON.parse(JSON.stringify(j)));
        expect(v).toBeDefined();
        expect(JSON.parse(goMarshal(v ?? null))).toEqual(JSON.parse(JSON.stringify(j)));
      }),
    );
  });
});
