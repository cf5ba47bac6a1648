// The emulator's byte counters (benches read them for bytes per allocation): a request's bytes in and its
// answer's bytes out as the socket saw them, over keep-alive and closed connections alike, and watch events
// counted apart from plain answers.
import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiServerEmulator, startApiServerEmulator } from '../src/testing/index.ts';

let emu: ApiServerEmulator;
beforeEach(async () => {
  emu = await startApiServerEmulator();
});
afterEach(async () => {
  await emu.close();
});

/** One raw exchange on a fresh connection; resolves with the bytes the client wrote and read. */
const exchange = (
  method: string,
  path: string,
  body?: string,
): Promise<{ sent: number; received: number; text: string }> =>
  new Promise((resolve, reject) => {
    const req = httpRequest(`${emu.url}${path}`, {
      method,
      agent: false,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const socket = res.socket;
        // Let the server see the socket close before the counters are read.
        socket.once('close', () =>
          resolve({
            sent: socket.bytesWritten,
            received: socket.bytesRead,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        socket.destroy();
      });
    });
    req.on('error', reject);
    req.end(body);
  });

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 50));

describe('emulator traffic', () => {
  it('counts the bytes of each exchange, both ways, once', async () => {
    const before = emu.traffic();
    const ns = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'traffic' } });
    const a = await exchange('POST', '/api/v1/namespaces', ns);
    const b = await exchange('GET', '/api/v1/namespaces/traffic');
    await settle();
    const after = emu.traffic();
    expect(b.text).toContain('"name":"traffic"');
    expect(after.bytesIn - before.bytesIn).toBe(a.sent + b.sent);
    expect(after.bytesOut - before.bytesOut).toBe(a.received + b.received);
    expect(after.watchBytesOut).toBe(0);
  });

  it('counts watch events apart, while the stream is open and after it closed', async () => {
    const chunks: string[] = [];
    const req = httpRequest(`${emu.url}/api/v1/namespaces?watch=true`, { agent: false });
    const opened = new Promise<void>((resolve) => {
      req.on('response', (res) => {
        res.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
        resolve();
      });
    });
    req.end();
    await opened;
    const headers = emu.traffic().watchBytesOut;
    (
      await emu.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watched' } })
    )._unsafeUnwrap();
    await settle();
    const open = emu.traffic();
    const events = chunks.join('');
    expect(events).toContain('"name":"watched"');
    // The event's bytes (chunked framing around them) are in watchBytesOut and in bytesOut.
    expect(open.watchBytesOut - headers).toBeGreaterThanOrEqual(Buffer.byteLength(events));
    expect(open.bytesOut).toBeGreaterThanOrEqual(open.watchBytesOut);
    req.destroy();
    await settle();
    const closed = emu.traffic();
    expect(closed.watchBytesOut).toBe(open.watchBytesOut);
    expect(closed.bytesOut).toBe(open.bytesOut);
  });
});
