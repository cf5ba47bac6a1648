// Writes and removes device-info files. A write goes to a temporary name and is renamed into place (a
// reader never sees half a file); the file is read-only (0444) like the spec's reference writer. An
// existing file for the same device is replaced (the peer cleans, then saves). If any file of one
// Allocate cannot be written, the ones this call already wrote are removed again.
// The calls are synchronous on purpose: three tiny syscalls per device are cheaper than queueing behind
// the sysfs rescan's reads in libuv's thread pool, which is what Allocate's tail latency was made of.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { type DevicePluginError, deviceInfoWriteFailed, errorCode } from './errors.ts';
import { deviceInfoPath, pciDeviceInfo } from './naming.ts';

const quietRm = (path: string): void => {
  try {
    rmSync(path, { force: true });
  } catch {
    // best effort: the caller already reports the first failure
  }
};

/** Writes one file per id; all or none. Returns the paths written. */
export const writeDeviceInfoFiles = (
  dir: string,
  resourceName: string,
  ids: readonly string[],
): ResultAsync<string[], DevicePluginError> => {
  const written: string[] = [];
  let at = dir;
  try {
    mkdirSync(dir, { recursive: true });
    for (const id of ids) {
      const path = deviceInfoPath(dir, resourceName, id);
      const tmp = `${path}.${process.pid}.tmp`;
      at = path;
      try {
        writeFileSync(tmp, JSON.stringify(pciDeviceInfo(id)), { mode: 0o444 });
        // Unlink a previous file first: renaming over an existing file makes ext4 flush the new data
        // (auto_da_alloc), milliseconds on a busy disk, and nobody reads the old file between Allocates.
        rmSync(path, { force: true });
        renameSync(tmp, path);
      } catch (e) {
        quietRm(tmp);
        throw e;
      }
      written.push(path);
    }
  } catch (e) {
    for (const p of written) quietRm(p);
    return errAsync(deviceInfoWriteFailed(at, errorCode(e)));
  }
  return okAsync(written);
};

/** Removes the files of these ids (missing ones are fine). */
export const removeDeviceInfoFiles = (
  dir: string,
  resourceName: string,
  ids: readonly string[],
): ResultAsync<void, DevicePluginError> => {
  for (const id of ids) {
    const path = deviceInfoPath(dir, resourceName, id);
    try {
      rmSync(path, { force: true });
    } catch (e) {
      return errAsync(deviceInfoWriteFailed(path, errorCode(e)));
    }
  }
  return okAsync(undefined);
};
