// The VF behind a PCI address, read from sysfs (root injectable): `bus/pci/devices/<pci>/physfn` names the
// PF, the PF's `virtfnN` link pointing back gives the VF index, `net/` of each gives the netdev names.
import { join } from 'node:path';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { exists, listDir, listDirOptional, readLinkBaseOptional } from '../sriov/sysfsRead.ts';
import { type SriovCniError, vfNotFound } from './errors.ts';

export interface VfInfo {
  pciAddress: string;
  pfPciAddress: string;
  /** The PF's netdev (absent when it has none, e.g. a fixture without one). */
  pfNetdev?: string;
  vfIndex: number;
  /** The VF's netdev name in the host netns now. */
  netdev: string;
}

/** Resolves `pciAddress` under `<sysfsRoot>/bus/pci/devices`. */
export const lookupVf = (sysfsRoot: string, pciAddress: string): ResultAsync<VfInfo, SriovCniError> => {
  const devices = join(sysfsRoot, 'bus', 'pci', 'devices');
  const dir = join(devices, pciAddress);
  const soft = <T>(r: ResultAsync<T, { message: string }>) =>
    r.mapErr((e) => vfNotFound(pciAddress, e.message));
  return soft(exists(dir))
    .andThen((there) =>
      there
        ? soft(readLinkBaseOptional(join(dir, 'physfn')))
        : errAsync(vfNotFound(pciAddress, `no PCI device under ${devices}`)),
    )
    .andThen((pf) =>
      pf === undefined ? errAsync(vfNotFound(pciAddress, 'not a VF (no physfn link)')) : okAsync(pf),
    )
    .andThen((pf) =>
      soft(listDirOptional(join(dir, 'net'))).andThen((netdevs) => {
        const netdev = netdevs[0];
        if (netdev === undefined)
          return errAsync(vfNotFound(pciAddress, 'the VF has no netdev (bound to a userspace driver?)'));
        return soft(listDir(join(devices, pf)))
          .andThen((entries) => findIndex(devices, pf, entries, pciAddress))
          .andThen((vfIndex) =>
            soft(listDirOptional(join(devices, pf, 'net'))).map((pfNetdevs): VfInfo => {
              const info: VfInfo = { pciAddress, pfPciAddress: pf, vfIndex, netdev };
              if (pfNetdevs[0] !== undefined) info.pfNetdev = pfNetdevs[0];
              return info;
            }),
          );
      }),
    );
};

const findIndex = (
  devices: string,
  pf: string,
  entries: readonly string[],
  pci: string,
): ResultAsync<number, SriovCniError> => {
  const links = entries.filter((e) => /^virtfn\d+$/.test(e));
  const targets = links.map((l) => readLinkBaseOptional(join(devices, pf, l)).map((t) => [l, t] as const));
  return ResultAsync.combine(targets)
    .mapErr((e) => vfNotFound(pci, e.message))
    .andThen((pairs) => {
      const hit = pairs.find(([, t]) => t === pci);
      return hit === undefined
        ? errAsync(vfNotFound(pci, `PF ${pf} has no virtfn link to it`))
        : okAsync(Number.parseInt(hit[0].slice('virtfn'.length), 10));
    });
};
