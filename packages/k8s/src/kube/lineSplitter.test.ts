import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLineSplitter } from './lineSplitter.ts';

/** Feeds `chunks` and ends the stream; returns the lines and whether every push was accepted. */
const split = (chunks: Buffer[], maxLineBytes?: number) => {
  const lines: string[] = [];
  const s = createLineSplitter((l) => lines.push(l), maxLineBytes);
  const accepted = chunks.map((c) => s.push(c));
  s.end();
  return { lines, accepted };
};
const b = (s: string) => Buffer.from(s, 'utf8');
/** `text` cut at the given byte offsets. */
const cutAt = (text: string, cuts: number[]): Buffer[] => {
  const bytes = b(text);
  const at = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let from = 0;
  for (const c of at) {
    out.push(bytes.subarray(from, c));
    from = c;
  }
  out.push(bytes.subarray(from));
  return out;
};

describe('createLineSplitter', () => {
  it('splits lines inside one chunk and across chunk boundaries', () => {
    expect(split([b('{"a":1}\n{"b":2}\n')]).lines).toEqual(['{"a":1}', '{"b":2}']);
    expect(split([b('{"a"'), b(':1}\n{"b'), b('":2}\n')]).lines).toEqual(['{"a":1}', '{"b":2}']);
    // A chunk that is exactly one newline, and a line spread over many chunks.
    expect(split([b('ab'), b('cd'), b('\n'), b('e'), b('f\n')]).lines).toEqual(['abcd', 'ef']);
  });

  it('keeps a multi-byte UTF-8 character cut by a chunk boundary intact', () => {
    const text = 'caf\u00e9 \u{1f600} \u4e2d\n';
    const bytes = b(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(split([bytes.subarray(0, cut), bytes.subarray(cut)]).lines).toEqual([text.trimEnd()]);
    }
    // One byte at a time.
    const oneByOne = [...bytes].map((x) => Buffer.from([x]));
    expect(split(oneByOne).lines).toEqual([text.trimEnd()]);
  });

  it('skips empty lines and drops a trailing CR (also when CR and LF are in different chunks)', () => {
    expect(split([b('\n\na\n\r\n\nb\r\n')]).lines).toEqual(['a', 'b']);
    expect(split([b('a\r'), b('\nb\r'), b('\n')]).lines).toEqual(['a', 'b']);
    expect(split([b('')]).lines).toEqual([]);
  });

  it('delivers a final line without a newline at the end, and only then', () => {
    const lines: string[] = [];
    const s = createLineSplitter((l) => lines.push(l));
    s.push(b('a\nlast'));
    s.push(b('-part'));
    expect(lines).toEqual(['a']);
    s.end();
    expect(lines).toEqual(['a', 'last-part']);
    s.end();
    expect(lines).toEqual(['a', 'last-part']);
  });

  it('joins a huge line from many chunks', () => {
    const huge = JSON.stringify({ spec: { x: 'y'.repeat(3_000_000) } });
    const bytes = b(`${huge}\n{"z":1}`);
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 65_536) chunks.push(bytes.subarray(i, i + 65_536));
    const { lines } = split(chunks);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(huge);
    expect(lines[1]).toBe('{"z":1}');
  });

  it('refuses a line longer than maxLineBytes (a line of exactly the limit passes)', () => {
    expect(split([b('0123'), b('4567'), b('89')], 8).accepted).toEqual([true, true, false]);
    expect(split([b('a\n0123456789')], 8).accepted).toEqual([false]);
    expect(split([b('01234567\nok\n')], 8).lines).toEqual(['01234567', 'ok']);
  });

  it('gives the same lines however the bytes are cut (property)', () => {
    const textLine = fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, ''));
    fc.assert(
      fc.property(
        fc.array(textLine, { maxLength: 8 }),
        fc.boolean(),
        fc.array(fc.nat({ max: 400 }), { maxLength: 12 }),
        (lines, lastNewline, cuts) => {
          const text = lines.join('\n') + (lastNewline ? '\n' : '');
          expect(split(cutAt(text, cuts)).lines).toEqual(lines.filter((l) => l !== ''));
        },
      ),
    );
  });
});
