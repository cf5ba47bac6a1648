// The transport reuses connections: client-node makes a new Agent per request (so every request would
// open a TCP connection, and over HTTPS do a TLS handshake); the transport's agent pool keeps one keep-alive
// agent per distinct TLS option set and leaves proxy agents alone.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesStore } from '../src/index.ts';
import { createAgentPool } from '../src/kube/transport.ts';
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
