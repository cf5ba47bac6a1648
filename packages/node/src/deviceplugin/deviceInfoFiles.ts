// Writes and removes device-info files. A write goes to a temporary name and is renamed into place (a
// reader never sees half a file); the file is read-only (0444) like the spec's reference writer. An
// existing file for the same device is replaced (the peer cleans, then saves). If any file of one
// Allocate cannot be written, the ones this call already wrote are removed again.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { ResultAsync } from 'neverthrow';
import { type DevicePluginError, deviceInfoWriteFailed, errorCode } from './errors.ts';
import { deviceInfoPath, pciDeviceInfo } from './naming.ts';

const writeOne = async (dir: string, resourceName: string, id: string): Promise<string> => {
  const path = deviceInfoPath(dir, resourceName, id);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(pciDeviceInfo(id)), { mode: 0o444 });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw Object.assign(new Error(path), { path, code: errorCode(e) });
  }
  return path;
};

const failure = (e: unknown, fallbackPath: string): DevicePluginError => {
  const path =
    typeof e === 'object' && e !== null && 'path' in e && typeof e.path === 'string' ? e.path : fallbackPath;
  return deviceInfoWriteFailed(path, errorCode(e));
};

/** Writes one file per id; all or none. Returns the paths written. */
export const writeDeviceInfoFiles = (
  dir: string,
  resourceName: string,
  ids: readonly string[],
): ResultAsync<string[], DevicePluginError> => {
  const run = async (): Promise<string[]> => {
    await mkdir(dir, { recursive: true });
    const written: string[] = [];
    try {
      for (const id of ids) written.push(await writeOne(dir, resourceName, id));
    } catch (e) {
      await Promise.all(written.map((p) => rm(p, { force: true }).catch(() => undefined)));
      throw e;
    }
    return written;
  };
  return ResultAsync.fromPromise(run(), (e) => failure(e, dir));
};

/** Removes the files of these ids (missing ones are fine). */
export const removeDeviceInfoFiles = (
  dir: string,
  resourceName: string,
  ids: readonly string[],
): ResultAsync<void, DevicePluginError> =>
  ResultAsync.fromPromise(
    Promise.all(ids.map((id) => rm(deviceInfoPath(dir, resourceName, id), { force: true }))).then(
      () => undefined,
    ),
    (e) => failure(e, dir),
  );
