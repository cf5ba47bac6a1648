// startWatch against a real node:http server whose every watch request is answered by the next step of a
// script: clean closes, refusals, broken connections, silent servers, events cut into pieces.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject, WatchEvent } from '@spiderpool-ts/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kubeConfigFor } from '../testing/kubeconfig.ts';
import { startWatch } from './watchStream.ts';

type Step = (req: IncomingMessage, res: ServerResponse) => void;

const script: Step[] = [];
const requests: { url: URL; headers: IncomingMessage['headers'] }[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push({ url: new URL(req.url ?? '/', 'http://x'), headers: req.headers });
    const step = script.shift();
    if (step) step(req, res);
    else {
      res.writeHead(500);
      res.end('{"kind":"Status","code":500,"message":"script ran out"}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
afterEach(() => {
  script.length = 0;
  requests.length = 0;
  server.closeAllConnections();
});

const pool = (name: string, rv: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: { name, resourceVersion: rv },
  ...extra,
});
const line = (type: string, object: unknown) => `${JSON.stringify({ type, object })}\n`;
const streamHead = (res: ServerResponse) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.flushHeaders();
};
/** Streams `lines` and ends the response (a clean close by the server). */
const events =
  (...lines: string[]): Step =>
  (_req, res) => {
    streamHead(res);
    for (const l of lines) res.write(l);
    res.end();
  };
const refuse =
  (code: number, reason: string): Step =>
  (_req, res) => {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', status: 'Failure', code, reason, message: `${reason} here` }));
  };

const run = async (resourceVersion: string | undefined, opts: { openTimeoutMs?: number } = {}) => {
  const seen: string[] = [];
  const errors: string[] = [];
  const started = await startWatch<KubeObject>({
    kc: kubeConfigFor(base),
    kind: 'SpiderIPPool',
    path: '/apis/spiderpool.spidernet.io/v2beta1/spiderippools',
    labelSelector: 'a=b',
    resourceVersion,
    fill: (o) => o as KubeObject,
    openTimeoutMs: opts.openTimeoutMs ?? 5000,
    listener: (e: WatchEvent<KubeObject>) => {
      if (e.type === 'ERROR') errors.push(e.error.message);
      seen.push(
        e.type === 'ERROR'
          ? `ERROR ${e.error._tag}`
          : `${e.type} ${String('object' in e ? e.object.metadata.name : '')}`,
      );
    },
  });
  return { seen, errors, started };
};

describe('startWatch over HTTP', () => {
  it('sends the watch query and the kubeconfig token, without Accept-Encoding', async () => {
    script.push(events(line('ADDED', pool('a', '11'))), events(), events(), events());
    const { seen } = await run('10');
    await expect.poll(() => seen).toEqual(['ADDED a', 'ERROR Unavailable']);
    const first = requests[0];
    expect(first?.url.pathname).toBe('/apis/spiderpool.spidernet.io/v2beta1/spiderippools');
    expect([...(first?.url.searchParams.entries() ?? [])]).toEqual([
      ['watch', 'true'],
      ['resourceVersion', '10'],
      ['labelSelector', 'a=b'],
      ['allowWatchBookmarks', 'false'],
    ]);
    expect(first?.headers.authorization).toBe('Bearer emulator');
    expect(first?.headers['accept-encoding']).toBeUndefined();
  });

  it('resumes a stream the server closes from the last version, up to 3 times without an event', async () => {
    script.push(
      events(line('ADDED', pool('a', '11')), line('MODIFIED', pool('a', '12'))),
      events(),
      events(line('DELETED', pool('a', '13'))),
      events(),
      events(),
      events(),
    );
    const { seen, errors } = await run('10');
    await expect.poll(() => seen).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a', 'ERROR Unavailable']);
    expect(errors).toEqual(['store unavailable for SpiderIPPool: watch closed by the server']);
    expect(requests.map((r) => r.url.searchParams.get('resourceVersion'))).toEqual([
      '10',
      '12',
      '12',
      '13',
      '13',
      '13',
    ]);
  });

  it('an ERROR event carrying a 410 Status ends with ERROR Gone', async () => {
    const expired = { kind: 'Status', status: 'Failure', code: 410, reason: 'Expired', message: 'too old' };
    script.push((_req, res) => {
      streamHead(res);
      res.write(line('ADDED', pool('a', '11')) + line('ERROR', expired));
    });
    const { seen } = await run('10');
    await expect.poll(() => seen).toEqual(['ADDED a', 'ERROR Gone']);
  });

  it('a resumed stream refused with HTTP 410 ends with ERROR Gone, not Unavailable', async () => {
    script.push(events(line('ADDED', pool('a', '12'))), refuse(410, 'Expired'));
    const { seen } = await run('10');
    await expect.poll(() => seen).toEqual(['ADDED a', 'ERROR Gone']);
    expect(requests.map((r) => r.url.searchParams.get('resourceVersion'))).toEqual(['10', '12']);
  });

  it('a refused start is an Err (404 on a collection: Invalid, with the Status message)', async () => {
    script.push(refuse(404, 'NotFound'));
    const { started } = await run('10');
    expect(started._unsafeUnwrapErr()._tag).toBe('Invalid');
    expect(started._unsafeUnwrapErr().message).toContain('NotFound here');
  });

  it('a start refused with 410 or 503 arrives as the terminal ERROR event', async () => {
    script.push(refuse(410, 'Expired'));
    const gone = await run('10');
    await expect.poll(() => gone.seen).toEqual(['ERROR Gone']);
    script.push(refuse(503, 'ServiceUnavailable'));
    const down = await run('10');
    await expect.poll(() => down.seen).toEqual(['ERROR Unavailable']);
  });

  it('a stream broken by a network error ends with ERROR Unavailable', async () => {
    script.push((req, res) => {
      streamHead(res);
      res.write(line('ADDED', pool('a', '11')));
      setTimeout(() => req.socket.destroy(), 20);
    });
    const { seen } = await run('10');
    await expect.poll(() => seen).toEqual(['ADDED a', 'ERROR Unavailable']);
    expect(requests).toHaveLength(1);
  });

  it('a server that never sends the headers fails the watch at the open deadline', async () => {
    script.push(() => {});
    const t0 = Date.now();
    const { seen, errors } = await run('10', { openTimeoutMs: 200 });
    await expect.poll(() => seen).toEqual(['ERROR Unavailable']);
    expect(errors[0]).toContain('not open within 200 ms');
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('close() ends the connection and nothing is delivered after it', async () => {
    let closedByClient = false;
    let stream: ServerResponse | undefined;
    script.push((req, res) => {
      streamHead(res);
      res.write(line('ADDED', pool('a', '11')));
      stream = res;
      req.socket.on('close', () => {
        closedByClient = true;
      });
    });
    const { seen, started } = await run('10');
    await expect.poll(() => seen).toEqual(['ADDED a']);
    started._unsafeUnwrap().close();
    stream?.write(line('MODIFIED', pool('a', '12')));
    await expect.poll(() => closedByClient).toBe(true);
    expect(seen).toEqual(['ADDED a']);
    expect(requests).toHaveLength(1);
  });

  it('events cut anywhere (inside a multi-byte character too) and a last line without newline', async () => {
    const big = pool('b', '12', { spec: { note: `z\u00e9\u{1f600}${'x'.repeat(300_000)}\u4e2d` } });
    const text = line('ADDED', pool('a', '11')) + line('MODIFIED', big).trimEnd();
    const bytes = Buffer.from(text, 'utf8');
    const cut = bytes.indexOf(Buffer.from('\u{1f600}', 'utf8')) + 2;
    script.push((_req, res) => {
      streamHead(res);
      res.write(bytes.subarray(0, 5));
      setTimeout(() => res.write(bytes.subarray(5, cut)), 10);
      setTimeout(() => res.end(bytes.subarray(cut)), 20);
    });
    const got: unknown[] = [];
    const started = await startWatch<KubeObject>({
      kc: kubeConfigFor(base),
      kind: 'SpiderIPPool',
      path: '/apis/spiderpool.spidernet.io/v2beta1/spiderippools',
      labelSelector: undefined,
      resourceVersion: '10',
      fill: (o) => o as KubeObject,
      openTimeoutMs: 5000,
      listener: (e) => got.push(e.type === 'ERROR' ? e.type : e),
    });
    started._unsafeUnwrap();
    await expect.poll(() => got.length).toBeGreaterThanOrEqual(2);
    expect(got[0]).toEqual({ type: 'ADDED', object: pool('a', '11') });
    expect(got[1]).toEqual({ type: 'MODIFIED', object: big });
    started._unsafeUnwrap().close();
  });
});
