// Where the VF's PCI address comes from, first hit wins: the netconf's `deviceID` (Multus fills it from the
// device plugin's allocation; `runtimeConfig.deviceID` already merged in by the netconf parser), CNI_ARGS
// `deviceID=<pci>`, then the device-info files the device plugin writes (k8snetworkplumbingwg device-info
// spec: `<dir>/<resourceName with "/" as "-">-<pci>-device.json`, `{"type":"pci","pci":{"pci-address":…}}`)
// when the netconf names the `resourceName` and exactly one such file is there.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { type SriovCniError, vfNotFound } from './errors.ts';

export const DEFAULT_DEVICE_INFO_DIR = '/var/run/k8s.cni.cncf.io/devinfo/dp';

const PCI = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/i;

export interface DeviceIdSources {
  fromConf?: string;
  args: readonly (readonly [string, string])[];
  resourceName?: string;
  deviceInfoDir: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** `pci.pci-address` of a device-info file, or a reason it has none. */
export const readDeviceInfo = (path: string): ResultAsync<string, string> =>
  ResultAsync.fromPromise(readFile(path, 'utf8'), (e) =>
    e instanceof Error ? e.message : String(e),
  ).andThen((text) => {
    let j: unknown;
    try {
      j = JSON.parse(text);
    } catch {
      return errAsync(`${path} is not JSON`);
    }
    const pci = isRecord(j) && j.type === 'pci' && isRecord(j.pci) ? j.pci['pci-address'] : undefined;
    return typeof pci === 'string' && PCI.test(pci)
      ? okAsync(pci)
      : errAsync(`${path} has no pci.pci-address`);
  });

const fromDeviceInfo = (dir: string, resourceName: string): ResultAsync<string, SriovCniError> => {
  const prefix = `${resourceName.replaceAll('/', '-')}-`;
  return ResultAsync.fromPromise(readdir(dir), () =>
    vfNotFound('', `no deviceID and no device-info dir ${dir}`),
  )
    .map((names) => names.filter((n) => n.startsWith(prefix) && n.endsWith('-device.json')))
    .andThen((files) => {
      const [only, ...more] = files;
      if (only === undefined || more.length > 0)
        return errAsync(
          vfNotFound(
            '',
            `no deviceID, and ${files.length} device-info files for ${resourceName} in ${dir} (need exactly 1)`,
          ),
        );
      return readDeviceInfo(join(dir, only)).mapErr((why) => vfNotFound('', why));
    });
};

/** The VF's PCI address for this invocation. */
export const resolveDeviceId = (s: DeviceIdSources): ResultAsync<string, SriovCniError> => {
  if (s.fromConf !== undefined) return okAsync(s.fromConf);
  const arg = s.args.find(([k]) => k === 'deviceID')?.[1];
  if (arg !== undefined && arg !== '')
    return PCI.test(arg) ? okAsync(arg) : errAsync(vfNotFound(arg, 'CNI_ARGS deviceID is not a PCI address'));
  if (s.resourceName !== undefined) return fromDeviceInfo(s.deviceInfoDir, s.resourceName);
  return errAsync(vfNotFound('', 'no deviceID in the config, runtimeConfig or CNI_ARGS'));
};
