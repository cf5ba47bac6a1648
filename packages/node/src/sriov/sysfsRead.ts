// The only place SR-IOV code touches the file system for reading: each helper turns a Node fs failure into
// a SriovError once, and the `optional` variants answer `undefined` for a missing entry (ENOENT/ENOTDIR).
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { errnoCode, malformedEntry, type SriovError, sysfsUnreadable } from './errors.ts';

const PCI_ADDRESS = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/i;

/** `0000:04:00.0`-shaped (domain:bus:device.function). */
export const isPciAddress = (s: string): boolean => PCI_ADDRESS.test(s);

const missing = (code: string): boolean => code === 'ENOENT' || code === 'ENOTDIR';

const attempt = <T>(path: string, p: () => Promise<T>): ResultAsync<T, SriovError> =>
  ResultAsync.fromPromise(p(), (e) => sysfsUnreadable(path, errnoCode(e)));

const orUndefined = <T>(path: string, p: () => Promise<T>): ResultAsync<T | undefined, SriovError> =>
  ResultAsync.fromPromise(p(), (e) => errnoCode(e)).orElse((code) =>
    missing(code) ? okAsync(undefined) : errAsync(sysfsUnreadable(path, code)),
  );

/** Entries of a directory, sorted. */
export const listDir = (path: string): ResultAsync<string[], SriovError> =>
  attempt(path, () => readdir(path)).map((names) => [...names].sort());

/** Entries of a directory, sorted; `[]` when it does not exist. */
export const listDirOptional = (path: string): ResultAsync<string[], SriovError> =>
  orUndefined(path, () => readdir(path)).map((names) => (names === undefined ? [] : [...names].sort()));

/** A sysfs attribute, trimmed; `undefined` when absent. */
export const readAttrOptional = (path: string): ResultAsync<string | undefined, SriovError> =>
  orUndefined(path, () => readFile(path, 'utf8')).map((s) => s?.trim());

/** Basename of a symlink's target (`driver` -> `mlx5_core`); `undefined` when absent. */
export const readLinkBaseOptional = (path: string): ResultAsync<string | undefined, SriovError> =>
  orUndefined(path, () => readlink(path)).map((t) => (t === undefined ? undefined : basename(t)));

/** Whether a path exists (follows links, so a dangling link answers false). */
export const exists = (path: string): ResultAsync<boolean, SriovError> =>
  orUndefined(path, () => stat(path)).map((s) => s !== undefined);

/** A decimal integer attribute (`sriov_totalvfs`, `numa_node`); `undefined` when absent. */
export const readIntOptional = (path: string): ResultAsync<number | undefined, SriovError> =>
  readAttrOptional(path).andThen((s) => {
    if (s === undefined) return okAsync(undefined);
    if (!/^-?\d+$/.test(s)) return errAsync(malformedEntry(path, s, 'not a decimal integer'));
    return okAsync(Number.parseInt(s, 10));
  });

/** A hex id attribute (`vendor` = `0x15b3`) without its `0x`, lower-case; `undefined` when absent. */
export const readHexIdOptional = (path: string): ResultAsync<string | undefined, SriovError> =>
  readAttrOptional(path).andThen((s) => {
    if (s === undefined) return okAsync(undefined);
    const m = /^(?:0x)?([0-9a-f]+)$/i.exec(s);
    if (!m?.[1]) return errAsync(malformedEntry(path, s, 'not a hex id'));
    return okAsync(m[1].toLowerCase());
  });
