// The daemon example of packages/node/README.md, kept runnable (sysfs root in a tmpdir instead of /tmp/x).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore, type SriovNetworkNodeState } from '@spiderpool-ts/core';
import { describe, expect, it } from 'vitest';
import { createSriovHardware, seedHardwarePf } from '../../testing/index.ts';
import { startSriovConfigDaemon } from './daemon.ts';

describe('README: SR-IOV node config daemon example', () => {
  it('the seed policy gives 8 VFs in the node state', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'readme-sriov-'));
    try {
      const hw = await createSriovHardware({ sysfsRoot: join(dir, 'sys'), pfs: [seedHardwarePf()] });
      const store = createMemoryStore({ now: () => new Date() });
      await store.create({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'node-1', labels: { 'kubernetes.io/os': 'linux' } },
      });
      const daemon = (
        await startSriovConfigDaemon({
          store,
          nodeName: 'node-1',
          sysfsRoot: hw.sysfsRoot,
          writeAttr: hw.writeAttr,
        })
      )._unsafeUnwrap();
      await store.create({
        apiVersion: 'sriovnetwork.openshift.io/v1',
        kind: 'SriovNetworkNodePolicy',
        metadata: { name: 'policy1', namespace: 'sriov-network-operator' },
        spec: {
          deviceType: 'netdevice',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          nicSelector: { pfNames: ['enp4s0f0np0'] },
          numVfs: 8,
          resourceName: 'sriov_netdevice',
        },
      });
      await daemon.idle();
      const outcome = await daemon.reconcileNow();
      expect(outcome.syncStatus).toBe('Succeeded');
      const st = (
        await store.get<SriovNetworkNodeState>({
          kind: 'SriovNetworkNodeState',
          namespace: 'sriov-network-operator',
          name: 'node-1',
        })
      )._unsafeUnwrap();
      const vfs = st.status?.interfaces?.[0]?.Vfs ?? [];
      expect(vfs.map((v) => v.pciAddress)).toHaveLength(8);
      expect(vfs[0]?.pciAddress).toBe('0000:04:00.2');
      expect(vfs[7]?.pciAddress).toBe('0000:04:01.1');
      await daemon.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
