// A test double standing for an SR-IOV NIC's PF driver (mlx5_core and friends): the fake sysfs tree is
// plain files, and this fixture is the writer that also does what the kernel + driver do when
// `sriov_numvfs` is written — N > 0 creates the `virtfnN` links and the VF PCI device entries (physfn,
// vendor/device, driver, net/<name>/{mtu,address,operstate}), 0 removes them, N while VFs exist is EBUSY,
// N > sriov_totalvfs is ERANGE — and, when asked, VF stand-in netdevs (macvlan on the PF stand-in) in a
// network namespace, created and removed with the VFs. Plug it in as the daemon's `writeAttr`.
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { createIproute, type Iproute } from '../iproute/index.ts';
import type { WriteAttr } from '../sriov/numVfs.ts';
import { type FixturePf, writeFixturePf } from '../sriov/sysfsFixture.ts';

export interface VfStandIns {
  /** Network namespace (name) holding the PF stand-in; VF macvlans are created there. */
  netns: string;
  /** The PF stand-in link in that netns (default: the PF's netdev name). */
  pfLink?: string;
  iproute?: Iproute;
}

export interface SriovHardwareOptions {
  sysfsRoot: string;
  /** PFs to create (their `vfs` are ignored: VFs come from writing sriov_numvfs). */
  pfs: readonly FixturePf[];
  standIns?: VfStandIns;
  /** MTU a new VF netdev starts with (default 1500). */
  vfMtu?: number;
}

export interface SriovHardware {
  readonly sysfsRoot: string;
  /** The `writeAttr` hook: a plain write, plus the driver's side effects for sriov_numvfs. */
  readonly writeAttr: WriteAttr;
  /** Every write seen, as `path=value` relative to the sysfs root. */
  readonly writes: readonly string[];
  /**
   * The driver's side of a `sriov_numvfs` change from `current` to `n` VFs (remove, then create), without
   * writing the file: for a daemon in another process that wrote the file itself (see numVfsWatch.ts).
   */
  applyNumVfs(pciAddress: string, current: number, n: number): Promise<void>;
}

const sysErr = (code: string, path: string): Error =>
  Object.assign(new Error(`${code}: ${path}`), { code, path });

/** VF k's PCI address: routing id = PF's + 2 + k (the first-VF offset mlx5 and most NICs report). */
export const vfPciAddress = (pf: string, k: number): string => {
  const m = /^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/i.exec(pf);
  if (!m) throw new Error(`not a PCI address: ${pf}`);
  const [, dom, bus, dev, fn] = m as unknown as [string, string, string, string, string];
  const devfn = Number.parseInt(dev, 16) * 8 + Number.parseInt(fn, 10) + 2 + k;
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  return `${dom}:${hex(Number.parseInt(bus, 16) + Math.floor(devfn / 256), 2)}:${hex((devfn % 256) >> 3, 2)}.${devfn & 7}`;
};

/** VF k's netdev name: the PF's without its `np<N>` suffix, plus `v<k>` (`enp4s0f0np0` -> `enp4s0f0v3`). */
export const vfNetdevName = (pfNetdev: string, k: number): string => `${pfNetdev.replace(/np\d+$/, '')}v${k}`;

const macFor = (pci: string): string => {
  const h = pci
    .replace(/[^0-9a-f]/gi, '')
    .slice(-8)
    .padStart(8, '0');
  return `02:00:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}:${h.slice(6, 8)}`;
};

/** Creates the PFs (0 VFs) under `sysfsRoot` and returns the driver-behaving writer. */
export const createSriovHardware = async (opts: SriovHardwareOptions): Promise<SriovHardware> => {
  const devices = join(opts.sysfsRoot, 'bus', 'pci', 'devices');
  const byPci = new Map(opts.pfs.map((p) => [p.pciAddress, p]));
  for (const pf of opts.pfs) {
    await writeFixturePf(opts.sysfsRoot, { ...pf, numVfs: 0, vfs: [] });
    if (pf.netdev !== undefined) {
      const net = join(devices, pf.pciAddress, 'net', pf.netdev);
      await writeFile(join(net, 'mtu'), '1500\n');
      await writeFile(join(net, 'address'), `${macFor(pf.pciAddress)}\n`);
    }
  }
  const ip = opts.standIns ? (opts.standIns.iproute ?? createIproute({ timeoutMs: 10_000 })) : undefined;
  const writes: string[] = [];

  const standIn = async (args: string[]): Promise<void> => {
    if (!ip || !opts.standIns) return;
    const r = await ip.exec(args, { netns: opts.standIns.netns });
    if (r.isErr()) throw Object.assign(new Error(r.error.message), { code: 'EIO' });
  };

  const createVfs = async (pf: FixturePf, n: number): Promise<void> => {
    for (let k = 0; k < n; k++) {
      const vf = vfPciAddress(pf.pciAddress, k);
      const dir = join(devices, vf);
      await mkdir(dir, { recursive: true });
      await symlink(`../${pf.pciAddress}`, join(dir, 'physfn'));
      await writeFile(join(dir, 'vendor'), `0x${pf.vendor ?? '15b3'}\n`);
      await writeFile(join(dir, 'device'), `0x${vfDeviceId(pf.device)}\n`);
      if (pf.driver !== undefined)
        await symlink(`../../../bus/pci/drivers/${pf.driver}`, join(dir, 'driver'));
      if (pf.netdev !== undefined) {
        const name = vfNetdevName(pf.netdev, k);
        const net = join(dir, 'net', name);
        await mkdir(net, { recursive: true });
        await writeFile(join(net, 'mtu'), `${opts.vfMtu ?? 1500}\n`);
        await writeFile(join(net, 'address'), `${macFor(vf)}\n`);
        await writeFile(join(net, 'operstate'), 'up\n');
        const link = opts.standIns?.pfLink ?? pf.netdev;
        await standIn(['link', 'add', name, 'link', link, 'type', 'macvlan', 'mode', 'bridge']);
      }
      await symlink(`../${vf}`, join(devices, pf.pciAddress, `virtfn${k}`));
    }
  };

  const removeVfs = async (pf: FixturePf, n: number): Promise<void> => {
    for (let k = n - 1; k >= 0; k--) {
      const vf = vfPciAddress(pf.pciAddress, k);
      await rm(join(devices, pf.pciAddress, `virtfn${k}`), { force: true });
      await rm(join(devices, vf), { recursive: true, force: true });
      if (pf.netdev !== undefined) await standIn(['link', 'del', vfNetdevName(pf.netdev, k)]);
    }
  };

  const writeAttr: WriteAttr = async (path, value) => {
    writes.push(`${relative(opts.sysfsRoot, path)}=${value}`);
    const pf = basename(path) === 'sriov_numvfs' ? byPci.get(basename(dirname(path))) : undefined;
    if (pf === undefined) {
      await writeFile(path, value);
      return;
    }
    if (!/^\d+$/.test(value.trim())) throw sysErr('EINVAL', path);
    const n = Number.parseInt(value.trim(), 10);
    const current = Number.parseInt((await readFile(path, 'utf8')).trim(), 10) || 0;
    if (n > pf.totalVfs) throw sysErr('ERANGE', path);
    if (n === current) return;
    if (n > 0 && current > 0) throw sysErr('EBUSY', path); // the kernel: 0 first
    if (n === 0) await removeVfs(pf, current);
    else await createVfs(pf, n);
    await writeFile(path, `${n}\n`);
  };

  const applyNumVfs = async (pciAddress: string, current: number, n: number): Promise<void> => {
    const pf = byPci.get(pciAddress);
    if (pf === undefined) throw sysErr('ENODEV', pciAddress);
    if (n > pf.totalVfs) throw sysErr('ERANGE', pciAddress);
    if (n === current) return;
    if (current > 0) await removeVfs(pf, current);
    if (n > 0) await createVfs(pf, n);
  };

  return { sysfsRoot: opts.sysfsRoot, writeAttr, writes, applyNumVfs };
};

/** mlx5: the ConnectX-5 PF 1017 has VFs 1018; otherwise the PF's id + 1 (a stand-in, not a table). */
const vfDeviceId = (pfDevice: string | undefined): string => {
  if (pfDevice === undefined) return '1018';
  return (Number.parseInt(pfDevice, 16) + 1).toString(16).padStart(4, '0');
};

/** The seed's PF (enp4s0f0np0 at 0000:04:00.0, mlx5_core 15b3:1017, totalvfs 8) with no VFs yet. */
export const seedHardwarePf = (): FixturePf => ({
  pciAddress: '0000:04:00.0',
  netdev: 'enp4s0f0np0',
  driver: 'mlx5_core',
  vendor: '15b3',
  device: '1017',
  numaNode: 0,
  totalVfs: 8,
  operstate: 'up',
  vfs: [],
});
