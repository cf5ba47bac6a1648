// What the sriov plugin keeps on disk between ADD and DEL (sriov-cni keeps the same under /var/lib/cni/sriov),
// so a DEL restores the VF exactly even after any restart:
//   <stateDir>/<containerID>-<ifName>.json   the record: VF, PF, the attach record (original name, MAC,
//                                            MTU, admin state, altnames; addresses; routes), VF settings
//   <stateDir>/pci/<pci>.owner               `{containerID, ifName}`: who holds the VF now (sriov-cni #219)
//   <stateDir>/pci/<pci>.lock                the per-VF lock (vfLock.ts)
// Writes go to a temporary file renamed over the target, so a reader sees the old or the new file, never half.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import type { AttachRecord } from '../plumbing/index.ts';
import { type SriovCniError, stateIo } from './errors.ts';
import type { VfSettings } from './vfSettings.ts';

export const DEFAULT_STATE_DIR = '/var/lib/cni/sriov';
export const STATE_RECORD_VERSION = 1;

export interface SriovStateRecord {
  version: 1;
  containerID: string;
  ifName: string;
  /** CNI_NETNS at ADD. */
  netns: string;
  deviceID: string;
  pfNetdev?: string;
  vfIndex: number;
  attach: AttachRecord;
  /** The VF's PF-side settings before ADD changed them (restored on DEL); absent when nothing was set. */
  vfOriginal?: VfSettings;
  createdAt: string;
}

export interface VfOwner {
  containerID: string;
  ifName: string;
}

export const recordPath = (stateDir: string, containerID: string, ifName: string): string =>
  join(stateDir, `${containerID}-${ifName}.json`);
export const ownerPath = (stateDir: string, pci: string): string => join(stateDir, 'pci', `${pci}.owner`);

const errno = (e: unknown): string =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : String(e);

/** Writes JSON atomically (tmp + rename). */
export const writeJsonAtomic = (path: string, value: unknown): ResultAsync<void, SriovCniError> => {
  const tmp = `${path}.tmp-${process.pid}`;
  const go = async () => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, path);
  };
  return ResultAsync.fromPromise(go(), (e) => stateIo(path, errno(e))).orElse((e) =>
    ResultAsync.fromSafePromise(rm(tmp, { force: true })).andThen(() => errAsync(e)),
  );
};

/** Parsed JSON of a file; `undefined` when it does not exist. */
const readJson = (path: string): ResultAsync<unknown, SriovCniError> =>
  ResultAsync.fromPromise(readFile(path, 'utf8'), (e) => errno(e))
    .orElse((code) => (code === 'ENOENT' ? okAsync(undefined) : errAsync(code)))
    .mapErr((code) => stateIo(path, code))
    .andThen((text) => {
      if (text === undefined) return okAsync(undefined);
      try {
        return okAsync(JSON.parse(text) as unknown);
      } catch {
        return errAsync(stateIo(path, 'not JSON'));
      }
    });

export const removeFile = (path: string): ResultAsync<void, SriovCniError> =>
  ResultAsync.fromPromise(rm(path, { force: true }), (e) => stateIo(path, errno(e)));

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const str = (v: unknown): v is string => typeof v === 'string';

const isAttachRecord = (v: unknown): v is AttachRecord => {
  if (!isRecord(v) || !str(v.podNetns) || !str(v.hostIfName) || !str(v.podIfName)) return false;
  const o = v.original;
  return (
    isRecord(o) &&
    typeof o.mtu === 'number' &&
    typeof o.up === 'boolean' &&
    Array.isArray(o.altnames) &&
    o.altnames.every(str) &&
    (o.mac === undefined || str(o.mac)) &&
    Array.isArray(v.addresses) &&
    Array.isArray(v.routes)
  );
};

/** The record of a container's interface; `undefined` when there is none. */
export const readRecord = (
  stateDir: string,
  containerID: string,
  ifName: string,
): ResultAsync<SriovStateRecord | undefined, SriovCniError> => {
  const path = recordPath(stateDir, containerID, ifName);
  return readJson(path).andThen((j) => {
    if (j === undefined) return okAsync(undefined);
    const ok =
      isRecord(j) &&
      j.version === STATE_RECORD_VERSION &&
      j.containerID === containerID &&
      j.ifName === ifName &&
      str(j.deviceID) &&
      str(j.netns) &&
      typeof j.vfIndex === 'number' &&
      isAttachRecord(j.attach);
    return ok
      ? okAsync(j as unknown as SriovStateRecord)
      : errAsync(stateIo(path, 'not a version 1 sriov state record'));
  });
};

export const readOwner = (stateDir: string, pci: string): ResultAsync<VfOwner | undefined, SriovCniError> =>
  readJson(ownerPath(stateDir, pci)).map((j) =>
    isRecord(j) && str(j.containerID) && str(j.ifName)
      ? { containerID: j.containerID, ifName: j.ifName }
      : undefined,
  );
