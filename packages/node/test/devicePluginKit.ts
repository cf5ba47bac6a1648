// Test kit for the device plugin: a fake sysfs tree with the seed PF (enp4s0f0np0, 8 VFs 0000:04:00.2…),
// temp dirs for sockets and device-info files, the kubelet stand-in, and helpers that change the "hardware"
// (VF operstate / flags, VFs appearing and vanishing) the way the kernel would show it in sysfs.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@spiderpool-ts/core';
import type { DevicePlugin, DevicePluginConfig } from '../src/index.ts';
import { parseDevicePluginConfig, startDevicePlugin } from '../src/index.ts';
import type { FixturePf, FixtureVf } from '../src/sriov/sysfsFixture.ts';
import { type KubeletStandIn, seedPf, startKubeletStandIn, writeFixturePf } from '../src/testing/index.ts';

export const SEED_RESOURCE = 'spidernet.io/sriov_netdevice';
export const SEED_VFS = [
  '0000:04:00.2',
  '0000:04:00.3',
  '0000:04:00.4',
  '0000:04:00.5',
  '0000:04:00.6',
  '0000:04:00.7',
  '0000:04:01.0',
  '0000:04:01.1',
];

export const seedConfig = (): DevicePluginConfig => {
  const c = parseDevicePluginConfig({
    resourceList: [{ resourceName: 'sriov_netdevice', selectors: { pfNames: ['enp4s0f0np0'] } }],
  });
  if (c.isErr()) throw new Error(c.error.message);
  return c.value;
};

export interface Dirs {
  root: string;
  sysfs: string;
  sockets: string;
  devinfo: string;
}

export const makeDirs = async (): Promise<Dirs> => {
  // Short paths: unix socket paths are limited to 107 bytes.
  const root = await mkdtemp(join(tmpdir(), 'sptsdp-'));
  const dirs = { root, sysfs: join(root, 'sys'), sockets: join(root, 'dp'), devinfo: join(root, 'devinfo') };
  await mkdir(dirs.sockets, { recursive: true });
  await mkdir(dirs.sysfs, { recursive: true });
  return dirs;
};

export const removeDirs = (d: Dirs): Promise<void> => rm(d.root, { recursive: true, force: true });

const devDir = (sysfs: string, pci: string): string => join(sysfs, 'bus', 'pci', 'devices', pci);

/** The seed PF with only its first `n` VFs (numVfs n). */
export const seedPfWith = (n: number): FixturePf => {
  const pf = seedPf();
  return { ...pf, numVfs: n, vfs: pf.vfs.slice(0, n) };
};

export const writeSeed = (sysfs: string, n = 8): Promise<void> => writeFixturePf(sysfs, seedPfWith(n));

/** What the kernel does on `sriov_numvfs` N -> N+k: the VF devices and the PF's virtfn links appear. */
export const addVfs = async (sysfs: string, vfs: readonly FixtureVf[], numVfs: number): Promise<void> => {
  const pf = seedPf().pciAddress;
  for (const vf of vfs) {
    const dir = devDir(sysfs, vf.pciAddress);
    await mkdir(join(dir, 'net', vf.netdev ?? 'x'), { recursive: true });
    await writeFile(join(dir, 'vendor'), `0x${vf.vendor}\n`);
    await writeFile(join(dir, 'device'), `0x${vf.device}\n`);
    await symlink(`../${pf}`, join(dir, 'physfn'));
    await symlink(`../../../bus/pci/drivers/${vf.driver}`, join(dir, 'driver'));
    await symlink(`../${vf.pciAddress}`, join(devDir(sysfs, pf), `virtfn${vf.index}`));
  }
  await writeFile(join(devDir(sysfs, pf), 'sriov_numvfs'), `${numVfs}\n`);
};

/** `sriov_numvfs` down to `keep`: the VFs past it vanish. */
export const removeVfsFrom = async (sysfs: string, keep: number): Promise<void> => {
  const pf = seedPf();
  for (const vf of pf.vfs.slice(keep)) {
    await rm(join(devDir(sysfs, pf.pciAddress), `virtfn${vf.index}`), { force: true });
    await rm(devDir(sysfs, vf.pciAddress), { recursive: true, force: true });
  }
  await writeFile(join(devDir(sysfs, pf.pciAddress), 'sriov_numvfs'), `${keep}\n`);
};

/** Sets a VF netdev's operstate (and `flags`, when given) as the kernel reports them. */
export const setVfLink = async (
  sysfs: string,
  k: number,
  operstate: string,
  flags?: string,
): Promise<void> => {
  const vf = seedPf().vfs[k];
  if (!vf?.netdev) throw new Error(`no VF ${k}`);
  const dir = join(devDir(sysfs, vf.pciAddress), 'net', vf.netdev);
  await writeFile(join(dir, 'operstate'), `${operstate}\n`);
  if (flags !== undefined) await writeFile(join(dir, 'flags'), `${flags}\n`);
};

/** A VF netdev moved into a Pod's netns: it is gone from the host's view of `net/`. */
export const hideVfNetdev = async (sysfs: string, k: number): Promise<void> => {
  const vf = seedPf().vfs[k];
  if (!vf?.netdev) throw new Error(`no VF ${k}`);
  await rm(join(devDir(sysfs, vf.pciAddress), 'net', vf.netdev), { recursive: true, force: true });
};

export interface Rig {
  dirs: Dirs;
  kubelet: KubeletStandIn;
  plugin: DevicePlugin;
  logs: string[];
}

export const startPlugin = async (dirs: Dirs, config = seedConfig()): Promise<DevicePlugin> => {
  const p = await startDevicePlugin({
    config,
    sysfsRoot: dirs.sysfs,
    kubeletSocketDir: dirs.sockets,
    deviceInfoDir: dirs.devinfo,
    pollIntervalMs: 25,
  });
  if (p.isErr()) throw new Error(p.error.message);
  return p.value;
};

export const startRig = async (opts: { store?: Store; vfs?: number } = {}): Promise<Rig> => {
  const dirs = await makeDirs();
  await writeSeed(dirs.sysfs, opts.vfs ?? 8);
  const logs: string[] = [];
  const kubelet = await startKubeletStandIn({
    socketDir: dirs.sockets,
    nodeName: 'node-1',
    deviceInfoDir: dirs.devinfo,
    log: (l) => logs.push(l),
    ...(opts.store ? { store: opts.store } : {}),
  });
  const plugin = await startPlugin(dirs);
  return { dirs, kubelet, plugin, logs };
};

export const stopRig = async (r: Rig): Promise<void> => {
  await r.plugin.close();
  await r.kubelet.close();
  await removeDirs(r.dirs);
};

/** A Pod of the seed's Deployment: one container asking for one VF. */
export const seedPod = (name: string, count = '1') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: {
    nodeName: 'node-1',
    containers: [
      {
        name: 'sriov-deploy',
        image: 'nginx',
        resources: { requests: { [SEED_RESOURCE]: count }, limits: { [SEED_RESOURCE]: count } },
      },
    ],
  },
});
