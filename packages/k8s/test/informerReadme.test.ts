// The Informers example of packages/k8s/README.md, kept runnable (against the emulator instead of a cluster).
import {
  createEngineStore,
  createIpamEngine,
  type InformerError,
  type Pod,
  runControllers,
  type SpiderIPPool,
} from '@spiderpool-ts/core';
import { describe, expect, it } from 'vitest';
import { createKubernetesStore, createNodeInformerSet } from '../src/index.ts';
import { startApiServerEmulator } from '../src/testing/index.ts';

describe('README: informers example', () => {
  it('caches pools, runs the controllers on the same informers, and allocates with 3 requests (the endpoint GET, the status write, the endpoint create)', async () => {
    const emu = await startApiServerEmulator();
    const pool: SpiderIPPool = {
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderIPPool',
      metadata: { name: 'v4', labels: { 'ipam.spidernet.io/ip-version': 'IPv4' } },
      spec: { ipVersion: 4, subnet: '10.50.0.0/24', ips: ['10.50.0.10-10.50.0.19'], default: true },
    };
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { namespace: 'default', name: 'web' },
      spec: { nodeName: 'node-1' },
    };
    (await emu.store.create(pool))._unsafeUnwrap();
    (await emu.store.create(pod))._unsafeUnwrap();
    const server = createKubernetesStore({ kubeConfig: emu.kubeConfig() })._unsafeUnwrap();
    const errors: InformerError[] = [];
    const informers = createNodeInformerSet(server, { onError: (e) => errors.push(e) });
    const pools = informers.informer<SpiderIPPool>('SpiderIPPool');
    const store = createEngineStore(server, informers);
    (await informers.start())._unsafeUnwrap();
    const events: string[] = [];
    pools.subscribe((ev) => events.push(`${ev.type} ${ev.object.metadata.name}`));
    expect(
      pools.list({ labelSelector: { matchLabels: { 'ipam.spidernet.io/ip-version': 'IPv4' } } }),
    ).toHaveLength(1);
    expect(pools.health()).toMatchObject({ state: 'watching', synced: true, objects: 1 });

    const ac = new AbortController();
    (await runControllers(store, { signal: ac.signal, informers }))._unsafeUnwrap();
    await expect.poll(() => pools.get('v4')?.status?.totalIPCount, { timeout: 5000 }).toBe(10);

    const engine = createIpamEngine({
      store,
      nodeName: 'node-1',
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      random: Math.random,
    });
    const before = emu.requests.length;
    const r = await engine.allocate({
      podNamespace: 'default',
      podName: 'web',
      containerID: 'c1',
      ifName: 'eth0',
      ipamConfig: {},
    });
    expect(r._unsafeUnwrap().ips[0]?.address).toBe('10.50.0.10/24');
    expect(
      emu.requests
        .slice(before)
        .filter((x) => !x.includes('watch='))
        .map((x) => x.split(' ')[0]),
    ).toEqual(['GET', 'PUT', 'POST']); // the Pod's SpiderEndpoint is read from the server (ADR 0034)
    expect(events).toContain('MODIFIED v4');
    expect(errors).toEqual([]);
    engine.dispose();
    ac.abort();
    informers.stop();
    await emu.close();
  });
});
