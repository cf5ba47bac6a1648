// The blocks pool format (ADR 0029) through KubernetesStore over HTTP against the emulator (CRD validation
// on): two agents on different nodes allocate at once, the blocks are SpiderIPBlocks of spiderpool-ts.io/v1alpha1
// on the wire (schema-validated), no IP is handed out twice, release frees, and the table output carries
// the block printer columns.
import {
  createIpamEngine,
  KIND_SPIDER_IP_BLOCK,
  listBlockPoolRecords,
  type Pod,
  type SpiderIPBlock,
  type SpiderIPPool,
} from '@spiderpool-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesStore } from '../src/index.ts';
import { type ApiServerEmulator, startApiServerEmulator } from '../src/testing/index.ts';

let emulator: ApiServerEmulator | undefined;

beforeAll(async () => {
  emulator = await startApiServerEmulator();
  await emulator.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
});
afterAll(async () => {
  await emulator?.close();
});

const k8sStore = () => {
  if (!emulator) throw new Error('emulator not started');
  return createKubernetesStore({ kubeConfig: emulator.kubeConfig() })._unsafeUnwrap();
};

describe('blocks format over the emulator', () => {
  it('two agents allocate from one block pool through KubernetesStore: SpiderIPBlocks on the wire, no duplicates', async () => {
    const store = k8sStore();
    const pool: SpiderIPPool = {
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderIPPool',
      metadata: {
        name: 'emu-blocks',
        annotations: { 'spiderpool-ts.io/pool-format': 'blocks', 'spiderpool-ts.io/block-size': '8' },
      },
      spec: { subnet: '10.70.0.0/24', ips: ['10.70.0.1-10.70.0.100'], ipVersion: 4, default: true },
    };
    (await store.create(pool))._unsafeUnwrap();
    const nodes = ['emu-a', 'emu-b'];
    const engines = nodes.map((nodeName, i) =>
      createIpamEngine({
        store,
        nodeName,
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        random: () => (i + 1) / 3,
      }),
    );
    const pods: Pod[] = [];
    for (let i = 0; i < 24; i++) {
      const p = await store.create<Pod>({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { namespace: 'default', name: `emu-${i}` },
        spec: { nodeName: nodes[i % 2] as string },
      });
      pods.push(p._unsafeUnwrap());
    }
    const results = await Promise.all(
      pods.map((p, i) =>
        (engines[i % 2] as (typeof engines)[number]).allocate({
          podNamespace: 'default',
          podName: p.metadata.name,
          containerID: `c${i}`,
          ifName: 'eth0',
          ipamConfig: {},
        }),
      ),
    );
    const ips = results.map((r) => r._unsafeUnwrap().ips[0]?.address.split('/')[0]);
    expect(new Set(ips).size).toBe(24);
    const blocks = (await store.list<SpiderIPBlock>(KIND_SPIDER_IP_BLOCK))._unsafeUnwrap().items;
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const b of blocks) expect(nodes).toContain(b.spec.node);
    expect(
      emulator?.requests.some((r) => r.startsWith('POST /apis/spiderpool-ts.io/v1alpha1/spideripblocks')),
    ).toBe(true);
    expect(
      emulator?.requests.some((r) => r.startsWith('PUT /apis/spiderpool-ts.io/v1alpha1/spideripblocks/')),
    ).toBe(true);
    const stored = (
      await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'emu-blocks' })
    )._unsafeUnwrap();
    const recs = (await listBlockPoolRecords(store, stored))._unsafeUnwrap();
    expect(recs.map((r) => r.ip).sort()).toEqual([...ips].sort());
    // Release one Pod (it is gone), its IP leaves the blocks.
    const first = pods[0] as Pod;
    (await store.delete({ kind: 'Pod', namespace: 'default', name: first.metadata.name }))._unsafeUnwrap();
    (
      await (engines[0] as (typeof engines)[number]).release({
        podNamespace: 'default',
        podName: first.metadata.name,
        podUid: first.metadata.uid ?? '',
        containerID: 'c0',
        ifName: 'eth0',
        ipamConfig: {},
      })
    )._unsafeUnwrap();
    const after = (await listBlockPoolRecords(store, stored))._unsafeUnwrap();
    expect(after).toHaveLength(23);
    expect(after.map((r) => r.ip)).not.toContain(ips[0]);
    // kubectl's table: the CRD printer columns of SpiderIPBlock.
    const table = await fetch(`${emulator?.url}/apis/spiderpool-ts.io/v1alpha1/spideripblocks`, {
      headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    const body = (await table.json()) as { columnDefinitions: { name: string }[] };
    expect(body.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'POOL',
      'CIDR',
      'NODE',
      'ALLOCATED-IP-COUNT',
    ]);
    for (const e of engines) e.dispose();
  });

  it('the CRD schema refuses a malformed block', async () => {
    const store = k8sStore();
    const bad = await store.create({
      apiVersion: 'spiderpool-ts.io/v1alpha1',
      kind: 'SpiderIPBlock',
      metadata: { name: 'bad-0' },
      spec: { pool: 'bad', index: 0, cidr: '10.0.0.0/29', node: 'n' },
    });
    expect(bad.isErr() && bad.error._tag).toBe('Invalid');
  });
});
