// Setting a PF's VF count like sriov-network-operator: check against sriov_totalvfs, then write "0" and
// then N to sriov_numvfs (the kernel refuses N -> M without passing through 0). Nothing is written when
// the count is already N. The write is injectable so tests can record the sequence.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import {
  errnoCode,
  notAPhysicalFunction,
  numVfsOutOfRange,
  type SriovError,
  sysfsWriteFailed,
} from './errors.ts';
import { readIntOptional } from './sysfsRead.ts';

export type WriteAttr = (path: string, value: string) => Promise<void>;

export interface SetNumVfsOptions {
  sysfsRoot: string;
  /** PF PCI address, e.g. `0000:04:00.0`. */
  pciAddress: string;
  numVfs: number;
  /** Defaults to `fs.writeFile`. */
  writeAttr?: WriteAttr;
}

export interface NumVfsChange {
  pciAddress: string;
  previous: number;
  current: number;
  /** Values written to sriov_numvfs, in order (`[]` when unchanged). */
  writes: string[];
}

const defaultWrite: WriteAttr = (path, value) => writeFile(path, value);

const write = (w: WriteAttr, path: string, value: string): ResultAsync<void, SriovError> =>
  ResultAsync.fromPromise(w(path, value), (e) => sysfsWriteFailed(path, value, errnoCode(e)));

/** Sets `sriov_numvfs` of a PF to `numVfs` (0 … sriov_totalvfs). */
export const setNumVfs = (opts: SetNumVfsOptions): ResultAsync<NumVfsChange, SriovError> => {
  const dir = join(opts.sysfsRoot, 'bus', 'pci', 'devices', opts.pciAddress);
  const numVfsPath = join(dir, 'sriov_numvfs');
  const w = opts.writeAttr ?? defaultWrite;
  return readIntOptional(join(dir, 'sriov_totalvfs'))
    .andThen((total) =>
      total === undefined ? errAsync(notAPhysicalFunction(opts.pciAddress)) : okAsync(total),
    )
    .andThen((total) =>
      Number.isInteger(opts.numVfs) && opts.numVfs >= 0 && opts.numVfs <= total
        ? okAsync(total)
        : errAsync(numVfsOutOfRange(opts.pciAddress, opts.numVfs, total)),
    )
    .andThen(() => readIntOptional(numVfsPath))
    .andThen((previousRead) => {
      const previous = previousRead ?? 0;
      const wanted = String(opts.numVfs);
      const base = { pciAddress: opts.pciAddress, previous, current: opts.numVfs };
      if (previous === opts.numVfs) return okAsync({ ...base, writes: [] });
      const writes = previous === 0 ? [wanted] : opts.numVfs === 0 ? ['0'] : ['0', wanted];
      return writes
        .reduce<ResultAsync<void, SriovError>>(
          (acc, v) => acc.andThen(() => write(w, numVfsPath, v)),
          okAsync(undefined),
        )
        .map(() => ({ ...base, writes }));
    });
};
