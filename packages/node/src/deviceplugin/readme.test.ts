// The device plugin example of packages/node/README.md, kept runnable (fake sysfs, temp dirs).
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore, type KubeObject } from '@spiderpool-ts/core';
import { describe, expect, it } from 'vitest';
import { seedPf, writeFixturePf } from '../sriov/sysfsFixture.ts';
import { startKubeletStandIn } from '../testing/index.ts';
import { parseDevicePluginConfigJson, startDevicePlugin } from './index.ts';

describe('README: device plugin example', () => {
  it('advertises 8 VFs, the Node shows 8, a Pod gets 0000:04:00.2 with env and device-info', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sptsrd-'));
    const dir = join(root, 'dp');
    const sysfsRoot = join(root, 'sys');
    const deviceInfoDir = join(root, 'devinfo');
    await mkdir(dir);
    await writeFixturePf(sysfsRoot, seedPf());
    const store = createMemoryStore({ now: () => new Date() });
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'sriov-deploy-9b4b9f6d9-mmpsm', namespace: 'default' },
      spec: {
        containers: [{ name: 'c', resources: { limits: { 'spidernet.io/sriov_netdevice': '1' } } }],
      },
    };
    try {
      const config = parseDevicePluginConfigJson(
        '{"resourceList":[{"resourceName":"sriov_netdevice","selectors":{"pfNames":["enp4s0f0np0"]}}]}',
      )._unsafeUnwrap();
      const kubelet = await startKubeletStandIn({ socketDir: dir, nodeName: 'node-1', store });
      const plugin = (
        await startDevicePlugin({ config, sysfsRoot, kubeletSocketDir: dir, deviceInfoDir })
      )._unsafeUnwrap();
      expect(
        await kubelet.waitFor(() => kubelet.resources()['spidernet.io/sriov_netdevice']?.allocatable === 8),
      ).toBe(true);
      await kubelet.idle();
      const node = (
        await store.get<KubeObject & { status?: unknown }>({ kind: 'Node', name: 'node-1' })
      )._unsafeUnwrap();
      expect(node.status).toEqual({
        capacity: { 'spidernet.io/sriov_netdevice': '8' },
        allocatable: { 'spidernet.io/sriov_netdevice': '8' },
      });
      const alloc = (await kubelet.allocatePod(pod))._unsafeUnwrap();
      expect(alloc.containers[0]?.deviceIds).toEqual(['0000:04:00.2']);
      expect(alloc.containers[0]?.response.envs.PCIDEVICE_SPIDERNET_IO_SRIOV_NETDEVICE).toBe('0000:04:00.2');
      expect(
        JSON.parse(
          await readFile(
            join(deviceInfoDir, 'spidernet.io-sriov_netdevice-0000:04:00.2-device.json'),
            'utf8',
          ),
        ),
      ).toEqual({ type: 'pci', version: '1.1.0', pci: { 'pci-address': '0000:04:00.2' } });
      await plugin.close();
      await kubelet.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
