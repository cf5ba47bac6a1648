// The daemon on a MemoryStore with the hardware fixture: the seed's policy -> 8 VFs (InProgress ->
// Succeeded), two partitions of one PF, bad policies refused with the host byte-identical, and the drain.
import {
  createMemoryStore,
  type MemoryStore,
  type Pod,
  type SriovNetworkNodePolicySpec,
} from '@spiderpool-ts/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SriovHardware } from '../../testing/sriovHardware.ts';
import { type SriovConfigDaemon, startSriovConfigDaemon } from './daemon.ts';
import { addNode, getState, makeHardware, NS, recordSync, seedPolicy, snapshot, until } from './daemonKit.ts';

let store: MemoryStore;
let hw: SriovHardware;
let cleanup: () => Promise<void>;
let daemon: SriovConfigDaemon | undefined;

const start = async (extra: { drainTimeoutMs?: number; drainRetryMs?: number } = {}) => {
  daemon = (
    await startSriovConfigDaemon({
      store,
      nodeName: 'node-1',
      sysfsRoot: hw.sysfsRoot,
      writeAttr: hw.writeAttr,
      resyncMs: 60_000,
      ...extra,
    })
  )._unsafeUnwrap();
  await daemon.idle();
  return daemon;
};

beforeEach(async () => {
  store = createMemoryStore({ now: () => new Date() });
  ({ hw, cleanup } = await makeHardware());
  await addNode(store);
});

afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
  await cleanup();
});

describe('SR-IOV config daemon (MemoryStore + hardware fixture)', () => {
  it("reports the PF, then applies the seed's policy: InProgress -> Succeeded with 8 VFs", async () => {
    const d = await start();
    const before = await getState(store);
    expect(before.status).toMatchObject({ syncStatus: 'Succeeded' });
    expect(before.status?.interfaces).toEqual([
      expect.objectContaining({
        name: 'enp4s0f0np0',
        pciAddress: '0000:04:00.0',
        driver: 'mlx5_core',
        vendor: '15b3',
        deviceID: '1017',
        totalvfs: 8,
        numVfs: 0,
        mtu: 1500,
        Vfs: [],
      }),
    ]);
    const sync = await recordSync(store);
    (await store.create(seedPolicy()))._unsafeUnwrap();
    await until(() => d.last?.changes.length === 1);
    await d.idle();
    sync.close();
    expect(sync.seen).toEqual(['InProgress', 'Succeeded']);
    const after = await getState(store);
    const pf = after.status?.interfaces?.[0];
    expect(pf?.numVfs).toBe(8);
    expect(pf?.Vfs?.map((v) => v.pciAddress)).toEqual([
      '0000:04:00.2',
      '0000:04:00.3',
      '0000:04:00.4',
      '0000:04:00.5',
      '0000:04:00.6',
      '0000:04:00.7',
      '0000:04:01.0',
      '0000:04:01.1',
    ]);
    expect(pf?.Vfs?.[0]).toMatchObject({
      vfID: 0,
      name: 'enp4s0f0v0',
      driver: 'mlx5_core',
      vendor: '15b3',
      deviceID: '1018',
    });
    expect(after.spec?.interfaces).toEqual([
      {
        pciAddress: '0000:04:00.0',
        name: 'enp4s0f0np0',
        numVfs: 8,
        vfGroups: [
          {
            resourceName: 'sriov_netdevice',
            deviceType: 'netdevice',
            vfRange: '0-7',
            policyName: 'policy1',
            isRdma: false,
          },
        ],
      },
    ]);
    expect(hw.writes).toEqual(['bus/pci/devices/0000:04:00.0/sriov_numvfs=8']);
    // Idempotent: another pass writes nothing.
    await d.reconcileNow();
    expect(hw.writes).toHaveLength(1);
  });

  it('two policies partition one PF (#0-3, #4-7): two groups, 8 VFs, PF MTU the largest, each VF its own', async () => {
    const d = await start();
    (
      await store.create(
        seedPolicy('part-a', {
          resourceName: 'res_a',
          mtu: 1500,
          nicSelector: { pfNames: ['enp4s0f0np0#0-3'] },
        }),
      )
    )._unsafeUnwrap();
    (
      await store.create(
        seedPolicy('part-b', {
          resourceName: 'res_b',
          mtu: 9000,
          nicSelector: { pfNames: ['enp4s0f0np0#4-7'] },
        }),
      )
    )._unsafeUnwrap();
    await d.reconcileNow();
    await d.idle();
    const st = await getState(store);
    expect(st.status?.syncStatus).toBe('Succeeded');
    expect(st.spec?.interfaces?.[0]?.vfGroups?.map((g) => [g.resourceName, g.vfRange])).toEqual([
      ['res_a', '0-3'],
      ['res_b', '4-7'],
    ]);
    const pf = st.status?.interfaces?.[0];
    expect(pf?.numVfs).toBe(8);
    expect(pf?.mtu).toBe(9000);
    expect(pf?.Vfs?.map((v) => v.mtu)).toEqual([1500, 1500, 1500, 1500, 9000, 9000, 9000, 9000]);
  });

  it('bad policies are refused with the reason in status; the host stays byte-identical', async () => {
    const d = await start();
    (await store.create(seedPolicy()))._unsafeUnwrap();
    await d.reconcileNow();
    await d.idle();
    const tree = await snapshot(hw.sysfsRoot);
    const writes = hw.writes.length;
    for (const [name, spec] of [
      ['dash', { resourceName: 'sriov-netdevice' }],
      ['too-many', { resourceName: 'big', numVfs: 16, nicSelector: { rootDevices: ['0000:04:00.0'] } }],
      ['overlap', { resourceName: 'zzz', nicSelector: { pfNames: ['enp4s0f0np0#2-5'] } }],
    ] as [string, Partial<SriovNetworkNodePolicySpec>][]) {
      (await store.create(seedPolicy(name, spec)))._unsafeUnwrap();
    }
    const out = await d.reconcileNow();
    await d.idle();
    expect(out.syncStatus).toBe('Failed');
    expect(out.refused.map((r) => r.policy).sort()).toEqual(['dash', 'overlap', 'too-many']);
    const st = await getState(store);
    expect(st.status?.syncStatus).toBe('Failed');
    expect(st.status?.lastSyncError).toContain(
      'policy dash: spec.resourceName: Invalid value: "sriov-netdevice"',
    );
    expect(st.status?.lastSyncError).toContain('is overlapped with existing policy');
    expect(st.status?.lastSyncError).toContain('numVfs(16)');
    expect(await snapshot(hw.sysfsRoot)).toEqual(tree);
    expect(hw.writes).toHaveLength(writes);
  });

  it('drain: a Pod using the resource -> cordon, eviction (PDB blocks, reported), then applied and uncordoned', async () => {
    const d = await start({ drainTimeoutMs: 300, drainRetryMs: 50 });
    (await store.create(seedPolicy()))._unsafeUnwrap();
    await d.reconcileNow();
    await d.idle();
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'sriov-deploy-1', namespace: 'default', labels: { app: 'sriov-deploy' } },
      spec: { nodeName: 'node-1' },
    };
    const withContainers = {
      ...pod,
      spec: {
        ...pod.spec,
        containers: [
          {
            name: 'c',
            resources: {
              requests: { 'spidernet.io/sriov_netdevice': '1' },
              limits: { 'spidernet.io/sriov_netdevice': '1' },
            },
          },
        ],
      },
    };
    const made = (await store.create(withContainers))._unsafeUnwrap();
    (await store.updateStatus({ ...made, status: { phase: 'Running' } }))._unsafeUnwrap();
    (
      await store.create({
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'sriov-deploy', namespace: 'default' },
        spec: { minAvailable: 1, selector: { matchLabels: { app: 'sriov-deploy' } } },
      })
    )._unsafeUnwrap();
    const cordons: boolean[] = [];
    const nodeWatch = (
      await store.watch<{
        apiVersion: string;
        kind: string;
        metadata: { name: string };
        spec?: { unschedulable?: boolean };
      }>('Node', {}, (e) => {
        if (e.type === 'MODIFIED') cordons.push(e.object.spec?.unschedulable === true);
      })
    )._unsafeUnwrap();
    const tree = await snapshot(hw.sysfsRoot);
    const current = (
      await store.get({ kind: 'SriovNetworkNodePolicy', namespace: NS, name: 'policy1' })
    )._unsafeUnwrap();
    (
      await store.update({
        ...seedPolicy(),
        metadata: current.metadata,
        spec: { ...seedPolicy().spec, numVfs: 4 },
      })
    )._unsafeUnwrap();
    await until(() => d.last?.syncStatus === 'Failed');
    await d.idle();
    const blocked = await getState(store);
    expect(blocked.status?.syncStatus).toBe('Failed');
    expect(blocked.status?.blockedEvictions).toEqual([
      {
        pod: 'sriov-deploy-1',
        namespace: 'default',
        reason: 'The disruption budget sriov-deploy needs 1 healthy pods and has 1 currently',
      },
    ]);
    expect(blocked.status?.lastSyncError).toContain('drain of node node-1 blocked: default/sriov-deploy-1');
    expect(await snapshot(hw.sysfsRoot)).toEqual(tree); // nothing applied under the running Pod
    expect(cordons).toEqual([true, false]); // cordoned, then uncordoned (not left SchedulingDisabled)

    (
      await store.delete({ kind: 'PodDisruptionBudget', namespace: 'default', name: 'sriov-deploy' })
    )._unsafeUnwrap();
    const out = await d.reconcileNow();
    await d.idle();
    nodeWatch.close();
    expect(out.syncStatus).toBe('Succeeded');
    expect(out.evicted.map((p) => p.name)).toEqual(['sriov-deploy-1']);
    expect((await store.get({ kind: 'Pod', namespace: 'default', name: 'sriov-deploy-1' })).isErr()).toBe(
      true,
    );
    expect((await getState(store)).status?.interfaces?.[0]?.numVfs).toBe(4);
    expect(hw.writes.slice(-2)).toEqual([
      'bus/pci/devices/0000:04:00.0/sriov_numvfs=0',
      'bus/pci/devices/0000:04:00.0/sriov_numvfs=4',
    ]);
    expect(cordons).toEqual([true, false, true, false]);
  });

  it('stop() closes watches: a policy written afterwards changes nothing', async () => {
    const d = await start();
    await d.stop();
    daemon = undefined;
    (await store.create(seedPolicy()))._unsafeUnwrap();
    await new Promise((r) => setTimeout(r, 50));
    expect(hw.writes).toEqual([]);
  });
});
