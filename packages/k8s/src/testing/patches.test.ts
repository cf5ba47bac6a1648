import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyMergePatch } from './patches.ts';

describe('JSON merge patch (RFC 7386)', () => {
  it('merges objects, deletes with null, replaces arrays and scalars, leaves the input alone', () => {
    const target = { a: 'b', c: { d: 'e', f: 'g' }, list: [1, 2] };
    const out = applyMergePatch(target, { a: 'z', c: { f: null }, list: [3], n: { x: 1 } });
    expect(out).toEqual({ a: 'z', c: { d: 'e' }, list: [3], n: { x: 1 } });
    expect(target).toEqual({ a: 'b', c: { d: 'e', f: 'g' }, list: [1, 2] });
    expect(applyMergePatch({ a: 1 }, [1])).toEqual([1]);
    expect(applyMergePatch('x', { a: null, b: 2 })).toEqual({ b: 2 });
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc = { metadata: { resourceVersion: '7', finalizers: ['a', 'b'] }, spec: { 'x/y': 1, 'm~n': 2 } };

  it('applies add, remove, replace, move, copy with escaped pointers and array indices', () => {
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/metadata/finalizers/-', value: 'c' },
      { op: 'remove', path: '/metadata/finalizers/0' },
      { op: 'replace', path: '/spec/x~1y', value: 5 },
      { op: 'move', from: '/spec/m~0n', path: '/spec/moved' },
      { op: 'copy', from: '/spec/moved', path: '/spec/copied' },
    ]);
    expect(out._unsafeUnwrap()).toEqual({
      metadata: { resourceVersion: '7', finalizers: ['b', 'c'] },
      spec: { 'x/y': 5, moved: 2, copied: 2 },
    });
    expect(doc.metadata.finalizers).toEqual(['a', 'b']);
  });

  it('a failing test op refuses the whole patch (422); malformed patches are 400', () => {
    const rv = (v: string) => [
      { op: 'test', path: '/metadata/resourceVersion', value: v },
      { op: 'remove', path: '/metadata/finalizers' },
    ];
    expect(applyJsonPatch(doc, rv('7'))._unsafeUnwrap()).toEqual({
      metadata: { resourceVersion: '7' },
      spec: doc.spec,
    });
    expect(applyJsonPatch(doc, rv('6'))._unsafeUnwrapErr()).toMatchObject({ code: 422 });
    expect(applyJsonPatch(doc, [{ op: 'remove', path: '/nope/x' }])._unsafeUnwrapErr().code).toBe(422);
    expect(applyJsonPatch(doc, [{ op: 'add', path: 'no-slash', value: 1 }])._unsafeUnwrapErr().code).toBe(
      400,
    );
    expect(applyJsonPatch(doc, { op: 'add' })._unsafeUnwrapErr().code).toBe(400);
  });
});
