import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloneJson, equalJson } from './jsonValue.ts';

describe('cloneJson / equalJson', () => {
  it('a clone equals the JSON round trip and shares no object (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const c = cloneJson(v);
        expect(JSON.stringify(c)).toBe(JSON.stringify(v));
        expect(equalJson(c, v)).toBe(true);
        if (c !== null && typeof c === 'object') expect(c).not.toBe(v);
      }),
    );
  });

  it("keeps an own __proto__ member as data, never as the clone's prototype", () => {
    const v = JSON.parse('{"a":{"__proto__":{"polluted":true}},"__proto__":[1]}') as Record<string, unknown>;
    const c = cloneJson(v);
    expect(JSON.stringify(c)).toBe(JSON.stringify(v));
    expect(equalJson(c, v)).toBe(true);
    expect(Object.getPrototypeOf(c.a)).toBe(Object.prototype);
    expect((c.a as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(c)).toBe(Object.prototype);
  });

  it('drops undefined members as JSON does, and tells different values apart', () => {
    expect(cloneJson({ a: 1, b: undefined, c: [undefined] })).toEqual({ a: 1, c: [null] });
    expect(equalJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(equalJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(equalJson({ a: {} }, { a: [] })).toBe(false);
    expect(equalJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });
});
