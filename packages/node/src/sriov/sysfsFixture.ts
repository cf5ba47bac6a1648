// Builds a fake sysfs tree (the parts discovery reads) under a directory, for tests and demos:
//   bus/pci/devices/<pf>/{sriov_totalvfs,sriov_numvfs,vendor,device,numa_node,driver->…,net/<name>/operstate,
//                         virtfnN -> ../<vf>}
//   bus/pci/devices/<vf>/{physfn -> ../<pf>,vendor,device,driver->…,net/<name>/}
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface FixtureVf {
  index: number;
  pciAddress: string;
  netdev?: string;
  driver?: string;
  vendor?: string;
  device?: string;
}

export interface FixturePf {
  pciAddress: string;
  netdev?: string;
  driver?: string;
  vendor?: string;
  device?: string;
  numaNode?: number;
  totalVfs: number;
  /** Written to `sriov_numvfs`; defaults to `vfs.length`. */
  numVfs?: number;
  operstate?: string;
  vfs: FixtureVf[];
}

const devicesDir = (root: string): string => join(root, 'bus', 'pci', 'devices');

const driverLink = async (dir: string, driver: string | undefined): Promise<void> => {
  if (driver !== undefined) await symlink(`../../../bus/pci/drivers/${driver}`, join(dir, 'driver'));
};

const ids = async (dir: string, vendor: string | undefined, device: string | undefined): Promise<void> => {
  if (vendor !== undefined) await writeFile(join(dir, 'vendor'), `0x${vendor}\n`);
  if (device !== undefined) await writeFile(join(dir, 'device'), `0x${device}\n`);
};

const writeVf = async (root: string, pf: string, vf: FixtureVf): Promise<void> => {
  const dir = join(devicesDir(root), vf.pciAddress);
  await mkdir(dir, { recursive: true });
  await symlink(`../${pf}`, join(dir, 'physfn'));
  await ids(dir, vf.vendor, vf.device);
  await driverLink(dir, vf.driver);
  if (vf.netdev !== undefined) await mkdir(join(dir, 'net', vf.netdev), { recursive: true });
  await symlink(`../${vf.pciAddress}`, join(devicesDir(root), pf, `virtfn${vf.index}`));
};

/** Writes one PF and its VFs under `root` (the fake `/sys`). */
export const writeFixturePf = async (root: string, pf: FixturePf): Promise<void> => {
  const dir = join(devicesDir(root), pf.pciAddress);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'sriov_totalvfs'), `${pf.totalVfs}\n`);
  await writeFile(join(dir, 'sriov_numvfs'), `${pf.numVfs ?? pf.vfs.length}\n`);
  await ids(dir, pf.vendor, pf.device);
  if (pf.numaNode !== undefined) await writeFile(join(dir, 'numa_node'), `${pf.numaNode}\n`);
  await driverLink(dir, pf.driver);
  if (pf.netdev !== undefined) {
    await mkdir(join(dir, 'net', pf.netdev), { recursive: true });
    await writeFile(join(dir, 'net', pf.netdev, 'operstate'), `${pf.operstate ?? 'up'}\n`);
  }
  for (const vf of pf.vfs) await writeVf(root, pf.pciAddress, vf);
};

/** A plain PCI device without SR-IOV (a NIC or anything else on the bus). */
export const writeFixtureDevice = async (
  root: string,
  pciAddress: string,
  vendor = '8086',
): Promise<void> => {
  const dir = join(devicesDir(root), pciAddress);
  await mkdir(dir, { recursive: true });
  await ids(dir, vendor, '1533');
};

/** VF k of PF `0000:04:00.0` in the mlx5 layout: functions 2..7 of device 00, then 0.. of device 01. */
const seedVfAddress = (k: number): string => (k < 6 ? `0000:04:00.${k + 2}` : `0000:04:01.${k - 6}`);

/** The seed walkthrough's PF: enp4s0f0np0 at 0000:04:00.0 (mlx5_core 15b3:1017) with 8 VFs (15b3:1018). */
export const seedPf = (): FixturePf => ({
  pciAddress: '0000:04:00.0',
  netdev: 'enp4s0f0np0',
  driver: 'mlx5_core',
  vendor: '15b3',
  device: '1017',
  numaNode: 0,
  totalVfs: 8,
  operstate: 'up',
  vfs: Array.from({ length: 8 }, (_, k) => ({
    index: k,
    pciAddress: seedVfAddress(k),
    netdev: `enp4s0f0v${k}`,
    driver: 'mlx5_core',
    vendor: '15b3',
    device: '1018',
  })),
});
