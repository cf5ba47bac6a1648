import {
  createIpamEngine,
  createMemoryStore,
  decodeAllocatedIPs,
  type Pod,
  SPIDERPOOL_GROUP_VERSION,
  type SpiderIPPool,
} from '@spiderpool-ts/core';
import { describe, expect, it } from 'vitest';
import { handleAgentRequest } from './handlers.ts';

const world = async () => {
  const store = createMemoryStore({ now: () => new Date() });
  const pool: SpiderIPPool = {
    apiVersion: SPIDERPOOL_GROUP_VERSION,
    kind: 'SpiderIPPool',
    metadata: { name: 'p' },
    spec: {
      ipVersion: 4,
      subnet: '10.1.0.0/24',
      ips: ['10.1.0.10-10.1.0.11'],
      gateway: '10.1.0.1',
      default: true,
    },
  };
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: 'ns', name: 'a' },
    spec: { nodeName: 'n1' },
    status: { phase: 'Running' },
  };
  for (const o of [pool, pod]) (await store.create(o))._unsafeUnwrap();
  const engine = createIpamEngine({ store, nodeName: 'n1', sleep: async () => {}, random: () => 0.5 });
  const records = async () => {
    const p = (await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'p' }))._unsafeUnwrap();
    return [...decodeAllocatedIPs(p.status?.allocatedIPs)._unsafeUnwrap().keys()];
  };
  return { engine, records };
};

const body = { podNamespace: 'ns', podName: 'a', containerID: 'c', ifName: 'eth0', ipamConfig: {} };

describe('handleAgentRequest', () => {
  it('POST ip allocates; DELETE ip keeps an alive Pod; DELETE ips releases anyway (IP conflict path)', async () => {
    const { engine, records } = await world();
    const add = await handleAgentRequest(engine, 'n1', { method: 'POST', url: '/v1/ipam/ip', body });
    expect(add).toMatchObject({
      status: 200,
      body: { interface: 'eth0', ips: [{ address: '10.1.0.10/24' }] },
    });
    expect(await handleAgentRequest(engine, 'n1', { method: 'DELETE', url: '/v1/ipam/ip', body })).toEqual({
      status: 200,
      body: {},
    });
    expect(await records()).toEqual(['10.1.0.10']);
    expect(
      (await handleAgentRequest(engine, 'n1', { method: 'DELETE', url: '/v1/ipam/ips', body })).status,
    ).toBe(200);
    expect(await records()).toEqual([]);
    engine.dispose();
  });

  it('engine errors are 500 with the IpamError tag and message', async () => {
    const { engine } = await world();
    const r = await handleAgentRequest(engine, 'n1', {
      method: 'POST',
      url: '/v1/ipam/ip',
      body: { ...body, ipamConfig: { default_ipv4_ippool: ['missing'] } },
    });
    expect(r.status).toBe(500);
    expect(r.body).toMatchObject({
      _tag: 'AllPoolsFilteredOut',
      message: expect.stringContaining('missing: IPPool missing not found'),
    });
    const explain = await handleAgentRequest(engine, 'n1', {
      method: 'GET',
      url: '/v1/ipam/explain?namespace=ns&pod=ghost',
      body: undefined,
    });
    expect(explain).toMatchObject({ status: 500, body: { _tag: 'PodNotFound' } });
    engine.dispose();
  });
});
