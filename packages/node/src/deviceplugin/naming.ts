// Names other programs rely on, spelled as sriov-network-device-plugin and the k8snetworkplumbingwg
// device-info spec spell them:
//   env        PCIDEVICE_<PREFIX>_<NAME> (prefix and name joined by `_`, `.` -> `_`, upper-cased), and the
//              same with `_INFO` holding {"<pci>":{"generic":{"deviceID":"<pci>"}}}
//   socket     <prefix>_<name>.sock in the device-plugins directory
//   devinfo    <dir>/<prefix/name with `/` -> `-`>-<device id with `/` -> `-`>-device.json, where <dir> is
//              /var/run/k8s.cni.cncf.io/devinfo/dp and the body {"type":"pci","version":"1.1.0",
//              "pci":{"pci-address":"<pci>"}} is what Multus reads to fill the NAD's `deviceID`.
import { join } from 'node:path';

export const DEFAULT_DEVICE_INFO_DIR = '/var/run/k8s.cni.cncf.io/devinfo/dp';
export const DEVICE_INFO_VERSION = '1.1.0';

/** `PCIDEVICE_SPIDERNET_IO_SRIOV_NETDEVICE` for spidernet.io / sriov_netdevice. */
export const pciDeviceEnvName = (prefix: string, name: string): string =>
  `PCIDEVICE_${prefix}_${name}`.replaceAll('.', '_').toUpperCase();

/** The `<…>_INFO` companion variable. */
export const pciDeviceInfoEnvName = (prefix: string, name: string): string =>
  `${pciDeviceEnvName(prefix, name)}_INFO`;

/** The env map of one container's allocation (ids in request order; the INFO map's keys sorted like Go's). */
export const allocationEnvs = (
  prefix: string,
  name: string,
  ids: readonly string[],
): Record<string, string> => {
  const info: Record<string, { generic: { deviceID: string } }> = {};
  for (const id of [...ids].sort()) info[id] = { generic: { deviceID: id } };
  return {
    [pciDeviceEnvName(prefix, name)]: ids.join(','),
    [pciDeviceInfoEnvName(prefix, name)]: JSON.stringify(info),
  };
};

/** `spidernet.io_sriov_netdevice.sock`. */
export const pluginSocketName = (prefix: string, name: string): string => `${prefix}_${name}.sock`;

/** The device-info file kubelet-side readers (Multus) look for. */
export const deviceInfoPath = (dir: string, resourceName: string, deviceId: string): string =>
  join(dir, `${resourceName.replaceAll('/', '-')}-${deviceId.replaceAll('/', '-')}-device.json`);

export interface PciDeviceInfo {
  type: 'pci';
  version: string;
  pci: { 'pci-address': string; 'pf-pci-address'?: string };
}

/** The device-info body for a VF (Go's json.Marshal: no spaces). */
export const pciDeviceInfo = (pciAddress: string): PciDeviceInfo => ({
  type: 'pci',
  version: DEVICE_INFO_VERSION,
  pci: { 'pci-address': pciAddress },
});
