// The device plugin over real gRPC on real unix sockets (mkdtemp dirs), with the kubelet stand-in, on a fake
// sysfs tree holding the seed's PF enp4s0f0np0 and its 8 VFs. No root needed.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createMemoryStore, type KubeObject } from '@spiderpool-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceInfoPath, parseDevicePluginConfig } from '../src/index.ts';
import { seedPf, startKubeletStandIn } from '../src/testing/index.ts';
import {
  addVfs,
  hideVfNetdev,
  makeDirs,
  type Rig,
  removeDirs,
  removeVfsFrom,
  SEED_RESOURCE,
  SEED_VFS,
  seedPod,
  setVfLink,
  startPlugin,
  startRig,
  stopRig,
  writeSeed,
} from './devicePluginKit.ts';

const ENV = 'PCIDEVICE_SPIDERNET_IO_SRIOV_NETDEVICE';
let rig: Rig | undefined;
afterEach(async () => {
  if (rig) await stopRig(rig);
  rig = undefined;
});

const view = (r: Rig) => r.kubelet.resources()[SEED_RESOURCE];
const healthOf = (r: Rig, id: string) => view(r)?.devices.find((d) => d.ID === id)?.health;

interface NodeStatus extends KubeObject {
  status?: { capacity?: Record<string, string>; allocatable?: Record<string, string> };
}

describe('device plugin + kubelet stand-in', () => {
  it('registers and advertises the 8 VFs as healthy; the Node shows capacity and allocatable 8', async () => {
    const store = createMemoryStore({ now: () => new Date() });
    rig = await startRig({ store });
    const r = rig;
    expect(await r.kubelet.waitFor(() => view(r)?.allocatable === 8)).toBe(true);
    expect(r.kubelet.registrations()).toEqual([
      {
        version: 'v1beta1',
        endpoint: 'spidernet.io_sriov_netdevice.sock',
        resource_name: SEED_RESOURCE,
        options: { pre_start_required: false, get_preferred_allocation_available: true },
      },
    ]);
    expect((await stat(join(r.dirs.sockets, 'spidernet.io_sriov_netdevice.sock'))).isSocket()).toBe(true);
    const v = view(r);
    expect(v?.devices.map((d) => d.ID)).toEqual(SEED_VFS);
    expect(v?.devices.every((d) => d.health === 'Healthy')).toBe(true);
    expect(v?.devices[0]?.topology).toEqual({ nodes: [{ ID: 0 }] });
    await r.kubelet.idle();
    const node = await store.get<NodeStatus>({ kind: 'Node', name: 'node-1' });
    expect(node.isOk() && node.value.status?.capacity?.[SEED_RESOURCE]).toBe('8');
    expect(node.isOk() && node.value.status?.allocatable?.[SEED_RESOURCE]).toBe('8');
  });

  it('gives two Pods one distinct VF each, with the env and device-info file, and frees it when the Pod goes', async () => {
    const store = createMemoryStore({ now: () => new Date() });
    rig = await startRig({ store });
    const r = rig;
    expect(await r.kubelet.waitFor(() => view(r)?.allocatable === 8)).toBe(true);
    const podA = seedPod('sriov-deploy-9b4b9f6d9-mmpsm');
    const podB = seedPod('sriov-deploy-9b4b9f6d9-xfsvj');
    expect((await store.create(podA)).isOk()).toBe(true);
    expect((await store.create(podB)).isOk()).toBe(true);
    const a = await r.kubelet.allocatePod(podA);
    const b = await r.kubelet.allocatePod(podB);
    if (a.isErr() || b.isErr()) throw new Error('allocation failed');
    const [ca] = a.value.containers;
    const [cb] = b.value.containers;
    // GetPreferredAllocation: healthy first, lowest PCI address first.
    expect(ca?.deviceIds).toEqual(['0000:04:00.2']);
    expect(cb?.deviceIds).toEqual(['0000:04:00.3']);
    expect(ca?.response.envs).toEqual({
      [ENV]: '0000:04:00.2',
      [`${ENV}_INFO`]: '{"0000:04:00.2":{"generic":{"deviceID":"0000:04:00.2"}}}',
    });
    expect(cb?.response.envs[ENV]).toBe('0000:04:00.3');
    // What Multus reads from the device-info file (the NAD's deviceID), handed back per container.
    expect(ca?.deviceInfo).toEqual({
      '0000:04:00.2': { type: 'pci', version: '1.1.0', pci: { 'pci-address': '0000:04:00.2' } },
    });
    const file = join(r.dirs.devinfo, 'spidernet.io-sriov_netdevice-0000:04:00.2-device.json');
    expect(deviceInfoPath(r.dirs.devinfo, SEED_RESOURCE, '0000:04:00.2')).toBe(file);
    expect(await readFile(file, 'utf8')).toBe(
      '{"type":"pci","version":"1.1.0","pci":{"pci-address":"0000:04:00.2"}}',
    );
    expect((await stat(file)).mode & 0o777).toBe(0o444);
    expect((await readdir(r.dirs.devinfo)).sort()).toEqual([
      'spidernet.io-sriov_netdevice-0000:04:00.2-device.json',
      'spidernet.io-sriov_netdevice-0000:04:00.3-device.json',
    ]);
    expect(view(r)?.allocated).toEqual(['0000:04:00.2', '0000:04:00.3']);
    // The Pod goes: the stand-in sees the DELETED event and releases its VF.
    expect((await store.delete({ kind: 'Pod', namespace: 'default', name: podA.metadata.name })).isOk()).toBe(
      true,
    );
    expect(await r.kubelet.waitFor(() => view(r)?.allocated.length === 1)).toBe(true);
    expect(view(r)?.allocated).toEqual(['0000:04:00.3']);
    const c = await r.kubelet.allocatePod(seedPod('sriov-deploy-9b4b9f6d9-k2x7q'));
    expect(c.isOk() && c.value.containers[0]?.deviceIds).toEqual(['0000:04:00.2']);
  });

  it('refuses a Pod asking for more VFs than are free, allocating nothing', async () => {
    rig = await startRig();
    const r = rig;
    expect(await r.kubelet.waitFor(() => view(r)?.allocatable === 8)).toBe(true);
    const big = await r.kubelet.allocatePod(seedPod('big', '9'));
    expect(big.isErr() && big.error._tag).toBe('InsufficientDevices');
    expect(view(r)?.allocated).toEqual([]);
    expect(await readdir(r.dirs.devinfo).catch(() => [])).toEqual([]);
  });

  it('turns a VF whose link goes down Unhealthy through ListAndWatch, and back', async () => {
    rig = await startRig();
    const r = rig;
    expect(await r.kubelet.waitFor(() => view(r)?.allocatable === 8)).toBe(true);
    await setVfLink(r.dirs.sysfs, 3, 'down');
    expect(await r.kubelet.waitFor(() => healthOf(r, '0000:04:00.5') === 'Unhealthy')).toBe(true);
    expect(view(r)?.allocatable).toBe(7);
    expect(view(r)?.capacity).toBe(8);
    // Administratively down (IFF_UP clear): an idle VF, not a broken one.
    await setVfLink(r.dirs.sysfs, 3, 'down', '0x1002');
    expect(await r.kubelet.waitFor(() => healthOf(r, '0000:04:00.5') === 'Healthy')).toBe(true);
    await setVfLink(r.dirs.sysfs, 3, 'down', '0x1003');
    expect(await r.kubelet.waitFor(() => healthOf(r, '0000:04:00.5') === 'Unhealthy')).toBe(true);
    await setVfLink(r.dirs.sysfs, 3, 'up', '0x1003');
    expect(await r.kubelet.waitFor(() => view(r)?.allocatable === 8)).toBe(true);
    // Unhealthy devices are not handed out.
    await setVfLink(r.dirs.sysfs, 0, 'down');
    expect(await r.kubelet.waitFor(() => healthOf(r, '0000:04:00.2') === 'Unhealthy')).toBe(true);
    const a = await r.kubelet.allocatePod(seedPod('p'));
    expect(a.isOk() && a.value.containers[0]?.deviceIds).toEqual(['0000:04:00.3']);
  });

  it('sends a new list when VFs appear and vanish (sriov_numvfs 4 -> 8 -> 2)', async () => {
    rig = await startRig({ vfs: 4 });
    const r = rig;
    expect(await r.kubelet.waitFor(() => view(r)?.capacity === 4)).toBe(true);
    await addVfs(r.dirs.sysfs, seedPf().vfs.slice(4), 8);
    expect(await r.kubelet.waitFor(() => view(r)?.capacity === 8)).toBe(true);
    expect(view(r)?.devices.map((d) => d.ID)).toEqual(SEED_VFS);
    await removeVfsFrom(r.dirs.sysfs, 2);
    expect(await r.kubelet.waitFor(() => view(r)?.capacity === 2)).toBe(true);
    expect(view(r)?.devices.map((d) => d.ID)).toEqual(SEED_VFS.slice(0, 2));
  });

  it('registers again after a kubelet restart (its sockets removed, kubelet.sock re-created)', async () => {
    const store = createMemoryStore({ now: () => new Date() });
    rig = await startRig({ store });
    const r = rig;
    expect(await r.kubelet.waitFor(() => view(r)?.allocatable === 8)).toBe(true);
    const a = await r.kubelet.allocatePod(seedPod('a'));
    expect(a.isOk()).toBe(true);
    await r.kubelet.restart();
    expect(view(r)?.allocatable).toBe(0);
    expect(
      await r.kubelet.waitFor(() => r.kubelet.registrations().length === 2 && view(r)?.allocatable === 8),
    ).toBe(true);
    expect(await r.kubelet.waitFor(() => r.plugin.registrations() === 2)).toBe(true);
    expect(r.plugin.pools()[0]?.registered).toBe(true);
    // The checkpointed allocation survives; the next Pod gets the next VF.
    const b = await r.kubelet.allocatePod(seedPod('b'));
    expect(b.isOk() && b.value.containers[0]?.deviceIds).toEqual(['0000:04:00.3']);
    await r.kubelet.idle();
    const node = await store.get<NodeStatus>({ kind: 'Node', name: 'node-1' });
    expect(node.isOk() && node.value.status?.allocatable?.[SEED_RESOURCE]).toBe('8');
  });

  it('keeps the same capacity across its own restart, also with VFs in use (netdevs moved to Pods)', async () => {
    rig = await startRig();
    const r = rig;
    expect(await r.kubelet.waitFor(() => view(r)?.allocatable === 8)).toBe(true);
    for (const name of ['a', 'b', 'c'])
      expect((await r.kubelet.allocatePod(seedPod(name))).isOk()).toBe(true);
    // The sriov CNI moved the three VFs' netdevs into Pod netns: sysfs no longer shows them here.
    for (const k of [0, 1, 2]) await hideVfNetdev(r.dirs.sysfs, k);
    await r.plugin.close();
    expect(await r.kubelet.waitFor(() => view(r)?.connected === false)).toBe(true);
    expect(view(r)?.allocatable).toBe(0);
    r.plugin = await startPlugin(r.dirs);
    expect(await r.kubelet.waitFor(() => view(r)?.connected === true && view(r)?.allocatable === 8)).toBe(
      true,
    );
    expect(view(r)?.capacity).toBe(8);
    expect(view(r)?.allocated).toEqual(SEED_VFS.slice(0, 3));
    const d = await r.kubelet.allocatePod(seedPod('d'));
    if (d.isErr()) throw new Error(d.error.message);
    expect(d.isOk() && d.value.containers[0]?.deviceIds).toEqual(['0000:04:00.5']);
  });

  it('serves one socket per pool: the PF partitioned #0-3 / #4-7 into two resources of 4', async () => {
    const dirs = await makeDirs();
    await writeSeed(dirs.sysfs);
    const kubelet = await startKubeletStandIn({ socketDir: dirs.sockets });
    const config = parseDevicePluginConfig({
      resourceList: [
        { resourceName: 'sriov_a', selectors: { pfNames: ['enp4s0f0np0#0-3'] } },
        {
          resourceName: 'sriov_b',
          resourcePrefix: 'example.com',
          selectors: { rootDevices: ['0000:04:00.0#4-7'] },
        },
      ],
    })._unsafeUnwrap();
    const plugin = await startPlugin(dirs, config);
    try {
      const res = () => kubelet.resources();
      expect(
        await kubelet.waitFor(
          () =>
            res()['spidernet.io/sriov_a']?.allocatable === 4 &&
            res()['example.com/sriov_b']?.allocatable === 4,
        ),
      ).toBe(true);
      expect(res()['spidernet.io/sriov_a']?.devices.map((d) => d.ID)).toEqual(SEED_VFS.slice(0, 4));
      expect(res()['example.com/sriov_b']?.devices.map((d) => d.ID)).toEqual(SEED_VFS.slice(4));
      expect(
        kubelet
          .registrations()
          .map((r) => r.endpoint)
          .sort(),
      ).toEqual(['example.com_sriov_b.sock', 'spidernet.io_sriov_a.sock']);
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'two', namespace: 'default' },
        spec: {
          containers: [
            { name: 'x', resources: { limits: { 'spidernet.io/sriov_a': '2' } } },
            { name: 'y', resources: { limits: { 'example.com/sriov_b': '1', 'spidernet.io/sriov_a': '1' } } },
          ],
        },
      };
      const a = await kubelet.allocatePod(pod);
      if (a.isErr()) throw new Error(a.error.message);
      expect(a.value.containers.map((c) => [c.container, c.resourceName, c.deviceIds])).toEqual([
        ['x', 'spidernet.io/sriov_a', ['0000:04:00.2', '0000:04:00.3']],
        ['y', 'example.com/sriov_b', ['0000:04:00.6']],
        ['y', 'spidernet.io/sriov_a', ['0000:04:00.4']],
      ]);
      expect(a.value.containers[0]?.response.envs.PCIDEVICE_SPIDERNET_IO_SRIOV_A).toBe(
        '0000:04:00.2,0000:04:00.3',
      );
      expect(a.value.containers[1]?.response.envs.PCIDEVICE_EXAMPLE_COM_SRIOV_B).toBe('0000:04:00.6');
    } finally {
      await plugin.close();
      await kubelet.close();
      await removeDirs(dirs);
    }
  });
});
