// SR-IOV discovery from sysfs, device-plugin style: a PF is a PCI device with `sriov_totalvfs`; its VFs are
// the `virtfnN` links (N = VF index); a VF's PF is its `physfn` link; netdev names are the entries of
// `net/`, the driver is the basename of the `driver` link. Reads only; never throws; an entry that makes
// no sense is reported in `problems` and the PF (or VF) is skipped or left partial.
import { join } from 'node:path';
import { ResultAsync } from 'neverthrow';
import { malformedEntry, type SriovError } from './errors.ts';
import {
  exists,
  isPciAddress,
  listDir,
  listDirOptional,
  readAttrOptional,
  readHexIdOptional,
  readIntOptional,
  readLinkBaseOptional,
} from './sysfsRead.ts';
import type { LinkState, SriovDiscovery, SriovPf, SriovVf, SysfsOptions } from './types.ts';

const LINK_STATES: ReadonlySet<string> = new Set([
  'up',
  'down',
  'unknown',
  'dormant',
  'lowerlayerdown',
  'notpresent',
  'testing',
]);

/** Value of a read, or `undefined` with the error recorded as a problem. */
const soft = async <T>(r: ResultAsync<T, SriovError>, problems: SriovError[]): Promise<T | undefined> => {
  const x = await r;
  if (x.isOk()) return x.value;
  problems.push(x.error);
  return undefined;
};

/** Sets `key` only when the value is defined (exactOptionalPropertyTypes). */
const put = <T extends object, K extends keyof T>(o: T, key: K, v: T[K] | undefined): void => {
  if (v !== undefined) o[key] = v;
};

/** The `virtfnN` entries of a PF directory as `[N, name]`, sorted by N. */
const virtfnEntries = (names: readonly string[]): [number, string][] =>
  names
    .map((n): [number, string] | undefined => {
      const m = /^virtfn(\d+)$/.exec(n);
      return m?.[1] === undefined ? undefined : [Number.parseInt(m[1], 10), n];
    })
    .filter((e): e is [number, string] => e !== undefined)
    .sort((a, b) => a[0] - b[0]);

const readVf = async (
  devicesDir: string,
  pf: string,
  [index, entry]: [number, string],
  problems: SriovError[],
): Promise<SriovVf | undefined> => {
  const linkPath = join(devicesDir, pf, entry);
  const target = await soft(readLinkBaseOptional(linkPath), problems);
  if (target === undefined) return undefined;
  if (!isPciAddress(target)) {
    problems.push(malformedEntry(linkPath, target, 'virtfn link does not name a PCI address'));
    return undefined;
  }
  const dir = join(devicesDir, target);
  if (!(await soft(exists(dir), problems))) {
    problems.push(malformedEntry(linkPath, target, 'virtfn link points to a missing device'));
    return undefined;
  }
  const [physfn, netdevs, driver, vendor, device] = await Promise.all([
    soft(readLinkBaseOptional(join(dir, 'physfn')), problems),
    soft(listDirOptional(join(dir, 'net')), problems),
    soft(readLinkBaseOptional(join(dir, 'driver')), problems),
    soft(readHexIdOptional(join(dir, 'vendor')), problems),
    soft(readHexIdOptional(join(dir, 'device')), problems),
  ]);
  if (physfn !== pf)
    problems.push(malformedEntry(join(dir, 'physfn'), physfn ?? '', `expected a link to the PF ${pf}`));
  const vf: SriovVf = { index, pciAddress: target, pfPciAddress: pf, netdevs: netdevs ?? [] };
  put(vf, 'netdev', netdevs?.[0]);
  put(vf, 'driver', driver);
  put(vf, 'vendor', vendor);
  put(vf, 'device', device);
  return vf;
};

const readLinkState = async (
  dir: string,
  netdev: string | undefined,
  problems: SriovError[],
): Promise<LinkState | undefined> => {
  if (netdev === undefined) return undefined;
  const path = join(dir, 'net', netdev, 'operstate');
  const s = await soft(readAttrOptional(path), problems);
  if (s === undefined) return undefined;
  if (LINK_STATES.has(s)) return s as LinkState;
  problems.push(malformedEntry(path, s, 'unknown operstate'));
  return undefined;
};

const readPf = async (
  devicesDir: string,
  pf: string,
  problems: SriovError[],
): Promise<SriovPf | undefined> => {
  const dir = join(devicesDir, pf);
  const totalVfs = await soft(readIntOptional(join(dir, 'sriov_totalvfs')), problems);
  if (totalVfs === undefined) return undefined; // not a PF (or unreadable, already reported)
  const [numVfsRead, names, netdevs, driver, vendor, device, numaNode] = await Promise.all([
    soft(readIntOptional(join(dir, 'sriov_numvfs')), problems),
    soft(listDir(dir), problems),
    soft(listDirOptional(join(dir, 'net')), problems),
    soft(readLinkBaseOptional(join(dir, 'driver')), problems),
    soft(readHexIdOptional(join(dir, 'vendor')), problems),
    soft(readHexIdOptional(join(dir, 'device')), problems),
    soft(readIntOptional(join(dir, 'numa_node')), problems),
  ]);
  const numVfs = numVfsRead ?? 0;
  if (numVfs > totalVfs)
    problems.push(
      malformedEntry(join(dir, 'sriov_numvfs'), String(numVfs), `exceeds sriov_totalvfs ${totalVfs}`),
    );
  const vfs = (
    await Promise.all(virtfnEntries(names ?? []).map((e) => readVf(devicesDir, pf, e, problems)))
  ).filter((v): v is SriovVf => v !== undefined);
  if (vfs.length !== numVfs)
    problems.push(
      malformedEntry(join(dir, 'sriov_numvfs'), String(numVfs), `but ${vfs.length} usable virtfn links`),
    );
  const out: SriovPf = { pciAddress: pf, netdevs: netdevs ?? [], totalVfs, numVfs, vfs };
  put(out, 'netdev', netdevs?.[0]);
  put(out, 'driver', driver);
  put(out, 'vendor', vendor);
  put(out, 'device', device);
  put(out, 'numaNode', numaNode);
  put(out, 'linkState', await readLinkState(dir, netdevs?.[0], problems));
  return out;
};

const collect = async (devicesDir: string, names: readonly string[]): Promise<SriovDiscovery> => {
  const problems: SriovError[] = [];
  const pfs: SriovPf[] = [];
  for (const name of names) {
    if (!isPciAddress(name)) {
      problems.push(malformedEntry(join(devicesDir, name), name, 'not a PCI address'));
      continue;
    }
    const pf = await readPf(devicesDir, name, problems);
    if (pf) pfs.push(pf);
  }
  return { pfs, problems };
};

/**
 * Every SR-IOV PF under `<sysfsRoot>/bus/pci/devices` with its VFs. Fails only when that directory cannot
 * be listed; anything odd below it lands in `problems`.
 */
export const discoverSriov = (opts: SysfsOptions): ResultAsync<SriovDiscovery, SriovError> => {
  const devicesDir = join(opts.sysfsRoot, 'bus', 'pci', 'devices');
  return listDir(devicesDir).andThen((names) => ResultAsync.fromSafePromise(collect(devicesDir, names)));
};
