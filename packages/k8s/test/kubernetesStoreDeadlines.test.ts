// KubernetesStore's deadlines and clean failures: a server that accepts and never answers, a bad kubeconfig,
// 401/403 answers, and unconditional updates under contention.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '@spiderpool-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesStore } from '../src/index.ts';
import { type ApiServerEmulator, kubeConfigFor, startApiServerEmulator } from '../src/testing/index.ts';

interface Counter extends KubeObject {
  spec: { subnet: string; ips: string[] };
}

const listen = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return addr.port;
};

describe('KubernetesStore deadlines and failures', () => {
  let emu: ApiServerEmulator;
  beforeAll(async () => {
    emu = await startApiServerEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  it('a server that accepts and never answers: get, list and watch fail Unavailable at the deadline', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
    });
    const port = await listen(silent);
    try {
      const store = createKubernetesStore({
        kubeConfig: kubeConfigFor(`http://127.0.0.1:${port}`),
        requestTimeoutMs: 150,
      })._unsafeUnwrap();
      const t0 = Date.now();
      const got = await store.get({ kind: 'SpiderIPPool', name: 'x' });
      expect(got._unsafeUnwrapErr()).toMatchObject({ _tag: 'Unavailable', name: 'x' });
      expect(got._unsafeUnwrapErr().message).toMatch(/no answer within 150 ms/);
      expect(Date.now() - t0).toBeLessThan(2000);
      expect((await store.list('SpiderIPPool'))._unsafeUnwrapErr()._tag).toBe('Unavailable');
      const events: string[] = [];
      const handle = await store.watch('SpiderIPPool', {}, (e) =>
        events.push(e.type === 'ERROR' ? e.error._tag : e.type),
      );
      expect(handle.isOk()).toBe(true);
      await expect.poll(() => events, { timeout: 2000 }).toEqual(['Unavailable']);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('a bad kubeconfig is an Err, not an exception', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-kubeconfig-'));
    const missing = createKubernetesStore({ kubeConfig: join(dir, 'missing') });
    expect(missing._unsafeUnwrapErr()).toMatchObject({
      _tag: 'KubeConfigInvalid',
      path: join(dir, 'missing'),
    });
    const garbage = join(dir, 'garbage');
    writeFileSync(garbage, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\n');
    const noCluster = createKubernetesStore({ kubeConfig: garbage });
    expect(noCluster._unsafeUnwrapErr()._tag).toBe('KubeConfigInvalid');
    expect(noCluster._unsafeUnwrapErr().message).toMatch(/cannot use the kubeconfig/);
  });

  it('401 and 403 are Unauthorized (with the status), not Unavailable', async () => {
    const server = createHttpServer((req, res) => {
      const code = req.url?.includes('forbidden') ? 403 : 401;
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          code,
          reason: code === 401 ? 'Unauthorized' : 'Forbidden',
          message:
            code === 401 ? 'Unauthorized' : 'spiderippools.spiderpool.spidernet.io "forbidden" is forbidden',
        }),
      );
    });
    const port = await listen(server as unknown as Server);
    try {
      const store = createKubernetesStore({
        kubeConfig: kubeConfigFor(`http://127.0.0.1:${port}`),
      })._unsafeUnwrap();
      expect((await store.get({ kind: 'SpiderIPPool', name: 'who' }))._unsafeUnwrapErr()).toMatchObject({
        _tag: 'Unauthorized',
        status: 401,
      });
      expect((await store.get({ kind: 'SpiderIPPool', name: 'forbidden' }))._unsafeUnwrapErr()).toMatchObject(
        {
          _tag: 'Unauthorized',
          status: 403,
        },
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('40 concurrent unconditional updates of one object, from 4 stores (processes), all succeed', async () => {
    const stores = Array.from({ length: 4 }, () =>
      createKubernetesStore({ kubeConfig: emu.kubeConfig() })._unsafeUnwrap(),
    );
    const store = stores[0] as (typeof stores)[number];
    const created = (
      await store.create<Counter>({
        apiVersion: 'spiderpool.spidernet.io/v2beta1',
        kind: 'SpiderIPPool',
        metadata: { name: 'contended' },
        spec: { subnet: '10.1.0.0/24', ips: ['10.1.0.1'] },
      })
    )._unsafeUnwrap();
    const { resourceVersion: _rv, ...meta } = created.metadata;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (stores[i % 4] ?? store).update<Counter>({
          ...created,
          metadata: meta,
          spec: { subnet: '10.1.0.0/24', ips: [`10.1.0.${i + 1}`] },
        }),
      ),
    );
    const failed = results.filter((r) => r.isErr());
    expect(failed.map((r) => r.isErr() && r.error._tag)).toEqual([]);
    // in one process the writers of one object queue up: no Conflict among themselves
    const solo = (
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.update<Counter>({
            ...created,
            metadata: meta,
            spec: { subnet: '10.1.0.0/24', ips: [`10.1.1.${i}`] },
          }),
        ),
      )
    ).filter((r) => r.isOk());
    expect(solo).toHaveLength(10);
    const before = emu.requests.filter((r) => r.startsWith('PUT') && r.includes('contended')).length;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.update<Counter>({
          ...created,
          metadata: meta,
          spec: { subnet: '10.1.0.0/24', ips: [`10.1.2.${i}`] },
        }),
      ),
    );
    expect(emu.requests.filter((r) => r.startsWith('PUT') && r.includes('contended')).length - before).toBe(
      10,
    );
    const last = (await store.get<Counter>({ kind: 'SpiderIPPool', name: 'contended' }))._unsafeUnwrap();
    expect(last.spec.ips[0]).toBe('10.1.2.9');
  });
});
