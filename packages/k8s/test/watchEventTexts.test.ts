// Watch events are encoded once for all streams (as kube-apiserver's watch cache does): the shared line is
// exactly what a per-stream encoding wrote, and N streams of one kind cost one encoding per event.
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startApiServerEmulator } from '../src/testing/index.ts';
import { createEventTexts } from '../src/testing/watchHandler.ts';

const ns = (name: string, rv: string, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, resourceVersion: rv, ...(labels ? { labels } : {}) },
});

describe('createEventTexts', () => {
  it('encodes an event once per type and version, byte-identical to JSON.stringify, as UTF-8 bytes', () => {
    const u = createEventTexts();
    const nonAscii = {
      type: 'ADDED',
      object: {
        ...ns('c', '7'),
        metadata: { name: 'c', resourceVersion: '7', annotations: { note: 'für µs' } },
      },
    };
    expect(u.line(nonAscii).equals(Buffer.from(`${JSON.stringify(nonAscii)}\n`, 'utf8'))).toBe(true);
    const t = createEventTexts(2);
    const e = { type: 'MODIFIED', object: ns('a', '5') };
    const first = t.line(e);
    expect(first.toString('utf8')).toBe(`${JSON.stringify(e)}\n`);
    // The same Buffer object: encoded to bytes once, written as is to every stream.
    expect(t.line({ type: 'MODIFIED', object: ns('a', '5') })).toBe(first);
    expect(t.stats).toEqual({ encoded: 1, shared: 1 });
    // Another type, version or name is another line.
    expect(t.line({ type: 'DELETED', object: ns('a', '5') }).toString()).toContain('"DELETED"');
    expect(t.line({ type: 'MODIFIED', object: ns('a', '6', { x: 'y' }) }).toString()).toContain('"x":"y"');
    expect(t.stats.encoded).toBe(3);
    // Only the last 2 are kept: the first is encoded again.
    t.line(e);
    expect(t.stats.encoded).toBe(4);
  });

  it('never shares an event without a resourceVersion', () => {
    const t = createEventTexts();
    const a = t.line({ type: 'ADDED', object: ns('b', '') });
    const b = t.line({ type: 'ADDED', object: ns('b', '', { changed: 'yes' }) });
    expect(a).not.toBe(b);
    expect(t.stats.shared).toBe(0);
  });
});

describe('emulator watch streams', () => {
  it('send every stream the same lines for the same events', async () => {
    const emu = await startApiServerEmulator();
    try {
      const streams = await Promise.all(
        Array.from(
          { length: 3 },
          () =>
            new Promise<string[]>((resolve) => {
              const chunks: string[] = [];
              const req = httpRequest(`${emu.url}/api/v1/namespaces?watch=true`, { agent: false });
              req.on('response', (res) => {
                res.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
                resolve(chunks);
              });
              req.end();
            }),
        ),
      );
      for (const name of ['w1', 'w2'])
        (await emu.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }))._unsafeUnwrap();
      await new Promise((r) => setTimeout(r, 100));
      const texts = streams.map((c) => c.join(''));
      expect(texts[0]?.split('\n').filter(Boolean)).toHaveLength(2);
      expect(texts[1]).toBe(texts[0]);
      expect(texts[2]).toBe(texts[0]);
      const events = (texts[0] ?? '')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
      expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED w1', 'ADDED w2']);
    } finally {
      await emu.close();
    }
  });
});
