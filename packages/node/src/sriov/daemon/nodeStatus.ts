// Discovery (the landed discoverSriov) -> SriovNetworkNodeState.status.interfaces, with the netdev
// attributes the operator reports (mtu, mac from `net/<name>/{mtu,address}`), VFs sorted by vfID.
import { join } from 'node:path';
import type { SriovInterfaceExt, SriovVirtualFunction } from '@spiderpool-ts/core';
import { ResultAsync } from 'neverthrow';
import { discoverSriov } from '../discover.ts';
import type { SriovError } from '../errors.ts';
import { readAttrOptional } from '../sysfsRead.ts';
import type { SriovDiscovery, SriovPf, SriovVf } from '../types.ts';

interface NetAttrs {
  mtu?: number;
  mac?: string;
}

const netAttrs = async (sysfsRoot: string, pci: string, netdev: string | undefined): Promise<NetAttrs> => {
  if (netdev === undefined) return {};
  const dir = join(sysfsRoot, 'bus', 'pci', 'devices', pci, 'net', netdev);
  const [mtu, mac] = await Promise.all([
    readAttrOptional(join(dir, 'mtu')),
    readAttrOptional(join(dir, 'address')),
  ]);
  const out: NetAttrs = {};
  const m = mtu.unwrapOr(undefined);
  if (m !== undefined && /^\d+$/.test(m)) out.mtu = Number.parseInt(m, 10);
  const a = mac.unwrapOr(undefined);
  if (a !== undefined && a !== '') out.mac = a;
  return out;
};

const vfEntry = async (sysfsRoot: string, vf: SriovVf): Promise<SriovVirtualFunction> => {
  const out: SriovVirtualFunction = { pciAddress: vf.pciAddress, vfID: vf.index };
  if (vf.netdev !== undefined) out.name = vf.netdev;
  Object.assign(out, await netAttrs(sysfsRoot, vf.pciAddress, vf.netdev));
  if (vf.driver !== undefined) out.driver = vf.driver;
  if (vf.vendor !== undefined) out.vendor = vf.vendor;
  if (vf.device !== undefined) out.deviceID = vf.device;
  return out;
};

const pfEntry = async (sysfsRoot: string, pf: SriovPf): Promise<SriovInterfaceExt> => {
  const out: SriovInterfaceExt = { pciAddress: pf.pciAddress };
  if (pf.netdev !== undefined) out.name = pf.netdev;
  Object.assign(out, await netAttrs(sysfsRoot, pf.pciAddress, pf.netdev));
  if (pf.driver !== undefined) out.driver = pf.driver;
  if (pf.vendor !== undefined) out.vendor = pf.vendor;
  if (pf.device !== undefined) out.deviceID = pf.device;
  out.numVfs = pf.numVfs;
  out.totalvfs = pf.totalVfs;
  out.linkType = 'ETH';
  if (pf.linkState !== undefined) out.linkAdminState = pf.linkState === 'up' ? 'up' : 'down';
  out.Vfs = await Promise.all(pf.vfs.map((vf) => vfEntry(sysfsRoot, vf)));
  return out;
};

export interface NodeFindings {
  discovery: SriovDiscovery;
  interfaces: SriovInterfaceExt[];
}

/** Discovers the node's PFs and renders them as status interfaces (sorted by PCI address). */
export const readNodeInterfaces = (sysfsRoot: string): ResultAsync<NodeFindings, SriovError> =>
  discoverSriov({ sysfsRoot }).andThen((discovery) =>
    ResultAsync.fromSafePromise(Promise.all(discovery.pfs.map((pf) => pfEntry(sysfsRoot, pf)))).map(
      (interfaces) => ({ discovery, interfaces }),
    ),
  );
