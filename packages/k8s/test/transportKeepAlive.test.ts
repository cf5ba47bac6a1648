// The transport reuses connections: client-node makes a new Agent per request (so every request would
// open a TCP connection, and over HTTPS do a TLS handshake); the transport's agent pool keeps one keep-alive
// agent per distinct TLS option set and leaves proxy agents alone.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { KubeObject } from '@spiderpool-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesStore } from '../src/index.ts';
import { createAgentPool } from '../src/kube/agentPool.ts';
import { createKubeConnector } from '../src/kube/kubeConnector.ts';
import { createKubeTransport } from '../src/kube/transport.ts';
import { startWatch } from '../src/kube/watchStream.ts';
import { type ApiServerEmulator, startApiServerEmulator } from '../src/testing/index.ts';

let emu: ApiServerEmulator;
beforeAll(async () => {
  emu = await startApiServerEmulator();
});
afterAll(async () => {
  await emu.close();
});

describe('KubernetesStore connections', () => {
  it('serves 60 sequential and 20 parallel requests over a few kept-alive connections', async () => {
    const store = createKubernetesStore({ kubeConfig: emu.kubeConfig() })._unsafeUnwrap();
    (
      await store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'keepalive' } })
    )._unsafeUnwrap();
    const before = emu.traffic().connections;
    for (let i = 0; i < 60; i++) (await store.get({ kind: 'Namespace', name: 'keepalive' }))._unsafeUnwrap();
    const sequential = emu.traffic().connections - before;
    const parallel = await Promise.all(
      Array.from({ length: 20 }, () => store.get({ kind: 'Namespace', name: 'keepalive' })),
    );
    expect(parallel.every((r) => r.isOk())).toBe(true);
    const all = emu.traffic().connections - before;
    // Without reuse: 60 and 80 connections.
    expect(sequential).toBeLessThanOrEqual(1);
    expect(all).toBeLessThanOrEqual(21);
  });
});

describe('createAgentPool', () => {
  it('gives one keep-alive agent per TLS option set', () => {
    const pool = createAgentPool();
    const a = pool.pick(new HttpsAgent({ ca: 'CA-1', rejectUnauthorized: true }));
    const b = pool.pick(new HttpsAgent({ ca: 'CA-1', rejectUnauthorized: true }));
    const c = pool.pick(new HttpsAgent({ ca: 'CA-2', rejectUnauthorized: true }));
    const h = pool.pick(new HttpAgent({}));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(a).toBeInstanceOf(HttpsAgent);
    expect(h).toBeInstanceOf(HttpAgent);
    expect(h).not.toBeInstanceOf(HttpsAgent);
    expect((a as unknown as { keepAlive: boolean }).keepAlive).toBe(true);
    expect((a as unknown as { options: { ca?: string } }).options.ca).toBe('CA-1');
    expect(pool.size).toBe(3);
    pool.destroy();
  });

  it('leaves proxy agents (subclasses) and a missing agent as they are', () => {
    class ProxyAgent extends HttpsAgent {}
    const pool = createAgentPool();
    const proxy = new ProxyAgent({});
    expect(pool.pick(proxy)).toBe(proxy);
    expect(pool.pick(undefined)).toBeUndefined();
    expect(pool.size).toBe(0);
  });
});

describe('a kept-alive connection closed by the server', () => {
  /** A server that answers the first request on a connection and drops the connection on the second. */
  const dropping = async () => {
    const { createServer } = await import('node:http');
    const perSocket = new WeakMap<object, number>();
    const served: string[] = [];
    const server = createServer((req, res) => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      if (n === 2) {
        req.socket.destroy();
        return;
      }
      served.push(`${req.method} ${req.url}`);
      const body = JSON.stringify({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'x', resourceVersion: '2' },
      });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (req.url?.includes('watch=true')) res.write(`{"type":"ADDED","object":${body}}\n`);
      else res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const { kubeConfigFor } = await import('../src/testing/index.ts');
    return { server, served, kc: kubeConfigFor(`http://127.0.0.1:${port}`) };
  };

  it('sends a GET and a compare-and-swap PUT again, on a new connection', async () => {
    const { server, served, kc } = await dropping();
    try {
      const t = createKubeTransport(kc);
      expect((await t.request({ method: 'GET', path: '/api/v1/namespaces/x' })).status).toBe(200);
      expect((await t.request({ method: 'GET', path: '/api/v1/namespaces/x' })).status).toBe(200);
      const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', resourceVersion: '2' } };
      expect((await t.request({ method: 'PUT', path: '/api/v1/namespaces/x', body: ns })).status).toBe(200);
      expect(served).toEqual([
        'GET /api/v1/namespaces/x',
        'GET /api/v1/namespaces/x',
        'PUT /api/v1/namespaces/x',
      ]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('opens a watch again on a new connection when the pooled one it got was closed', async () => {
    const { server, served, kc } = await dropping();
    try {
      // Requests and watches share one connector, so the watch is sent on the connection the GET left idle.
      const connector = createKubeConnector(kc);
      const t = createKubeTransport(kc, 5000, connector);
      expect((await t.request({ method: 'GET', path: '/api/v1/namespaces/x' })).status).toBe(200);
      const seen: string[] = [];
      const watch = await startWatch<KubeObject>({
        kc,
        connector,
        kind: 'Namespace',
        path: '/api/v1/namespaces',
        labelSelector: undefined,
        resourceVersion: '1',
        fill: (o) => o as KubeObject,
        listener: (e) => seen.push(e.type === 'ERROR' ? `ERROR ${e.error._tag}` : e.type),
        openTimeoutMs: 5000,
      });
      await expect.poll(() => seen).toEqual(['ADDED']);
      watch._unsafeUnwrap().close();
      expect(served).toEqual([
        'GET /api/v1/namespaces/x',
        'GET /api/v1/namespaces?watch=true&resourceVersion=1&allowWatchBookmarks=false',
      ]);
      connector.destroy();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('does not send a POST twice', async () => {
    const { server, served, kc } = await dropping();
    try {
      const t = createKubeTransport(kc);
      await t.request({ method: 'GET', path: '/api/v1/namespaces/x' });
      const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'y' } };
      await expect(t.request({ method: 'POST', path: '/api/v1/namespaces', body: ns })).rejects.toThrow();
      expect(served).toEqual(['GET /api/v1/namespaces/x']);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
