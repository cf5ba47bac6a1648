// What Multus does with a device plugin's device-info file: read
// <dir>/<resource with / -> ->-<id>-device.json and take its pci-address. Shape-checked; a missing or odd
// file is `undefined` (Multus then leaves `deviceID` unset).
import { readFile } from 'node:fs/promises';
import { deviceInfoPath, type PciDeviceInfo } from '../deviceplugin/naming.ts';

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

const parse = (text: string): PciDeviceInfo | undefined => {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(v) || v.type !== 'pci' || typeof v.version !== 'string' || !isRecord(v.pci)) return undefined;
  const addr = v.pci['pci-address'];
  if (typeof addr !== 'string') return undefined;
  const out: PciDeviceInfo = { type: 'pci', version: v.version, pci: { 'pci-address': addr } };
  const pf = v.pci['pf-pci-address'];
  if (typeof pf === 'string') out.pci['pf-pci-address'] = pf;
  return out;
};

/** The device-info file of one allocated device, as Multus would read it. */
export const readDeviceInfo = async (
  dir: string,
  resourceName: string,
  deviceId: string,
): Promise<PciDeviceInfo | undefined> => {
  try {
    return parse(await readFile(deviceInfoPath(dir, resourceName, deviceId), 'utf8'));
  } catch {
    return undefined;
  }
};
