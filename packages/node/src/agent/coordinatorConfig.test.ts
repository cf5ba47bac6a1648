// GET /v1/coordinator/config through the real agent socket over a MemoryStore.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMemoryStore,
  type MemoryStore,
  type Pod,
  SPIDERPOOL_GROUP_VERSION,
  type SpiderCoordinator,
} from '@spiderpool-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unixSocketTransport } from '../cni/agentClient.ts';
import { decodeCoordinatorConfig } from './coordinatorProtocol.ts';
import { type IpamAgent, startIpamAgent } from './ipamAgent.ts';

describe('agent GET /v1/coordinator/config', () => {
  let dir = '';
  let store: MemoryStore;
  let agent: IpamAgent;
  const t = unixSocketTransport(5000);
  const get = (query: string, command = 'ADD') =>
    t(agent.socketPath, {
      method: 'GET',
      path: `/v1/coordinator/config${query}`,
      headers: { 'x-spiderpool-cni-command': command },
    }).map((r) => r);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spts-coordcfg-'));
    store = createMemoryStore({ now: () => new Date() });
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        namespace: 'default',
        name: 'web-1',
        annotations: { 'ipam.spidernet.io/default-route-nic': 'net1' },
      },
      spec: { nodeName: 'node-1' },
    };
    (await store.create(pod))._unsafeUnwrap();
    agent = (
      await startIpamAgent({ store, nodeName: 'node-1', socketPath: join(dir, 'a.sock') })
    )._unsafeUnwrap();
  });
  afterAll(async () => {
    await agent.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('no SpiderCoordinator: 500 CoordinatorNotFound', async () => {
    const r = (await get('?podNamespace=default&podName=web-1'))._unsafeUnwrap();
    expect(r).toEqual({
      status: 500,
      body: { _tag: 'CoordinatorNotFound', message: 'coordinator config not found' },
    });
  });

  it('not Synced: 500 CoordinatorNotReady; Synced: spec + status + the Pod annotation', async () => {
    const created = (
      await store.create<SpiderCoordinator>({
        apiVersion: SPIDERPOOL_GROUP_VERSION,
        kind: 'SpiderCoordinator',
        metadata: { name: 'default' },
        spec: {
          mode: 'underlay',
          podCIDRType: 'cluster',
          hijackCIDR: ['169.254.0.0/16'],
          podMACPrefix: '0a:1b',
          txQueueLen: 0,
        },
      })
    )._unsafeUnwrap();
    const notReady = (await get('?podNamespace=default&podName=web-1'))._unsafeUnwrap();
    expect(notReady.body).toMatchObject({
      _tag: 'CoordinatorNotReady',
      message: 'spidercoordinator: default no ready',
    });
    (
      await store.updateStatus<SpiderCoordinator>({
        ...created,
        status: { phase: 'Synced', overlayPodCIDR: ['10.42.0.0/16'], serviceCIDR: ['10.43.0.0/16'] },
      })
    )._unsafeUnwrap();
    const r = (await get('?podNamespace=default&podName=web-1'))._unsafeUnwrap();
    expect(r.status).toBe(200);
    expect(decodeCoordinatorConfig(r.body)._unsafeUnwrap()).toEqual({
      mode: 'underlay',
      overlayPodCIDR: ['10.42.0.0/16'],
      serviceCIDR: ['10.43.0.0/16'],
      hijackCIDR: ['169.254.0.0/16'],
      policyRoutes: [],
      podMACPrefix: '0a:1b',
      tunePodRoutes: true,
      podDefaultRouteNIC: 'net1',
      hostRuleTable: 500,
      podRPFilter: 0,
      txQueueLen: 0,
      vethLinkAddress: '',
      vethMTU: 1500,
    });
  });

  it('a missing Pod fails ADD but not DEL (global config, no annotation)', async () => {
    const add = (await get('?podNamespace=default&podName=gone'))._unsafeUnwrap();
    expect(add.body).toMatchObject({ _tag: 'PodNotFound' });
    const del = (await get('?podNamespace=default&podName=gone', 'DEL'))._unsafeUnwrap();
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ podDefaultRouteNIC: '' });
  });

  it('takes the Pod from a JSON body too (Spiderpool swagger client); neither → 400', async () => {
    const r = (
      await t(agent.socketPath, {
        method: 'GET',
        path: '/v1/coordinator/config',
        body: { podNamespace: 'default', podName: 'web-1' },
      })
    )._unsafeUnwrap();
    expect(r.status).toBe(200);
    const bad = (
      await t(agent.socketPath, { method: 'GET', path: '/v1/coordinator/config' })
    )._unsafeUnwrap();
    expect(bad).toMatchObject({ status: 400, body: { _tag: 'BadRequest' } });
  });
});
