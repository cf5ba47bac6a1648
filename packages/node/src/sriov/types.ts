// What discovery reports: physical functions with their virtual functions, as read from sysfs
// (`/sys/bus/pci/devices/<pci>/…`), field names close to SriovNetworkNodeState.status.interfaces.
import type { SriovError } from './errors.ts';

export interface SriovVf {
  /** N of the PF's `virtfnN` link (the device plugin's VF id). */
  index: number;
  pciAddress: string;
  /** PCI address of the PF (`physfn`). */
  pfPciAddress: string;
  /** First entry of `net/` (absent when the VF has no netdev, e.g. bound to vfio-pci). */
  netdev?: string;
  /** Every entry of `net/`, sorted. */
  netdevs: string[];
  /** Basename of the `driver` link (absent when unbound). */
  driver?: string;
  /** `vendor` without `0x` (`15b3`). */
  vendor?: string;
  /** `device` without `0x` (`1018`). */
  device?: string;
}

export type LinkState = 'up' | 'down' | 'unknown' | 'dormant' | 'lowerlayerdown' | 'notpresent' | 'testing';

export interface SriovPf {
  pciAddress: string;
  netdev?: string;
  netdevs: string[];
  driver?: string;
  vendor?: string;
  device?: string;
  /** `numa_node` (-1 when the platform has no NUMA information). */
  numaNode?: number;
  totalVfs: number;
  numVfs: number;
  /** `net/<netdev>/operstate` of the first netdev. */
  linkState?: LinkState;
  /** VFs sorted by index. */
  vfs: SriovVf[];
}

export interface SriovDiscovery {
  /** PFs sorted by PCI address. */
  pfs: SriovPf[];
  /** What could not be read or made no sense; the affected PF or VF is skipped or reported partially. */
  problems: SriovError[];
}

export interface SysfsOptions {
  /** Root of sysfs, `/sys` on a host, a tmpdir in tests. */
  sysfsRoot: string;
}
