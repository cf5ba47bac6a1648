// One sysfs scan -> the device list of every configured resource pool, with health. Selection uses only
// what stays put while a VF is in use (PCI ids, driver, the PF's name and address): a VF whose netdev
// moved into a Pod's netns is still the pool's device. That is what sriov-network-device-plugin #565 and
// sriov-network-operator #1028 got wrong (a restarted plugin advertised only the idle VFs).
//
// Health: a VF is Unhealthy when its netdev is visible here, is administratively up (IFF_UP in `flags`, when
// sysfs has the file) and its `operstate` is down / lowerlayerdown / notpresent. An admin-down VF (idle VFs
// on real NICs usually are) or one without a netdev in this netns tells nothing, so it stays Healthy.
import { join } from 'node:path';
import { ResultAsync } from 'neverthrow';
import { discoverSriov } from '../sriov/discover.ts';
import { selectResourcePools } from '../sriov/selectVfs.ts';
import { readAttrOptional } from '../sriov/sysfsRead.ts';
import type { SriovPf, SriovVf } from '../sriov/types.ts';
import { type DevicePluginConfig, poolConfigsOf } from './config.ts';
import { type DevicePluginError, sysfsUnavailable } from './errors.ts';
import type { ApiDevice, DeviceHealth } from './messages.ts';

export interface PoolDevices {
  resourceName: string;
  /** Sorted by PCI address. */
  devices: ApiDevice[];
}

const DOWN = new Set(['down', 'lowerlayerdown', 'notpresent']);

const vfHealth = async (sysfsRoot: string, vf: SriovVf): Promise<DeviceHealth> => {
  if (vf.netdev === undefined) return 'Healthy';
  const dir = join(sysfsRoot, 'bus', 'pci', 'devices', vf.pciAddress, 'net', vf.netdev);
  const [oper, flags] = await Promise.all([
    readAttrOptional(join(dir, 'operstate')),
    readAttrOptional(join(dir, 'flags')),
  ]);
  const state = oper.unwrapOr(undefined);
  if (state === undefined || !DOWN.has(state)) return 'Healthy';
  const f = flags.unwrapOr(undefined);
  if (f !== undefined) {
    const n = Number.parseInt(f, 16);
    if (Number.isFinite(n) && (n & 1) === 0) return 'Healthy';
  }
  return 'Unhealthy';
};

const toDevice = async (
  sysfsRoot: string,
  vf: SriovVf,
  pf: SriovPf | undefined,
  withTopology: boolean,
): Promise<ApiDevice> => {
  const dev: ApiDevice = { ID: vf.pciAddress, health: await vfHealth(sysfsRoot, vf) };
  if (withTopology && pf?.numaNode !== undefined && pf.numaNode >= 0)
    dev.topology = { nodes: [{ ID: pf.numaNode }] };
  return dev;
};

/** Scans sysfs once and returns every pool's devices, in config order. */
export const scanPools = (
  sysfsRoot: string,
  config: DevicePluginConfig,
): ResultAsync<PoolDevices[], DevicePluginError> =>
  discoverSriov({ sysfsRoot })
    .mapErr((e) => sysfsUnavailable(sysfsRoot, e.message))
    .andThen(({ pfs }) => {
      const byPci = new Map(pfs.map((pf) => [pf.pciAddress, pf]));
      const pools = selectResourcePools(pfs, poolConfigsOf(config));
      return ResultAsync.fromSafePromise(
        Promise.all(
          pools.map(async (pool, i) => {
            const entry = config.resources[i];
            const devices = await Promise.all(
              pool.vfs.map((vf) =>
                toDevice(sysfsRoot, vf, byPci.get(vf.pfPciAddress), !entry?.excludeTopology),
              ),
            );
            devices.sort((a, b) => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0));
            return { resourceName: entry?.resourceName ?? pool.resourceName, devices };
          }),
        ),
      );
    });

/** A stable fingerprint of a device list (to tell whether ListAndWatch must send). */
export const fingerprint = (devices: readonly ApiDevice[]): string =>
  devices.map((d) => `${d.ID}=${d.health}@${d.topology?.nodes.map((n) => n.ID).join('+') ?? ''}`).join(',');
