// The host side of a plan: `sriov_numvfs` (0 then N, the landed setNumVfs), then the PF's MTU, then each
// VF netdev's MTU (a VF's MTU may not exceed its PF's), every write through the injectable `writeAttr` and
// under a deadline.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SriovInterfaceExt } from '@spiderpool-ts/core';
import { okAsync, ResultAsync } from 'neverthrow';
import { errnoCode, sysfsWriteFailed } from '../errors.ts';
import { setNumVfs, type WriteAttr } from '../numVfs.ts';
import { withDeadline } from './deadline.ts';
import { type DaemonError, hostFailed } from './errors.ts';
import type { PfChange } from './plan.ts';
import { waitForVfs } from './vfsReady.ts';

export interface HostWriter {
  sysfsRoot: string;
  writeAttr: WriteAttr | undefined;
  writeTimeoutMs: number;
  /** How long the VFs may take to appear after a sriov_numvfs write (default 10 000 ms). */
  vfReadyTimeoutMs?: number;
}

const defaultWrite: WriteAttr = (path, value) => writeFile(path, value);

const writeOne = (w: HostWriter, path: string, value: string): ResultAsync<void, DaemonError> =>
  withDeadline(
    ResultAsync.fromPromise((w.writeAttr ?? defaultWrite)(path, value), (e) =>
      hostFailed(`write ${path}`, sysfsWriteFailed(path, value, errnoCode(e))),
    ),
    w.writeTimeoutMs,
    `write ${value} to ${path}`,
  );

const netPath = (w: HostWriter, pci: string, netdev: string): string =>
  join(w.sysfsRoot, 'bus', 'pci', 'devices', pci, 'net', netdev, 'mtu');

/** Sets sriov_numvfs of every change (0 then N), then the PF MTUs. */
export const applyNumVfsAndPfMtu = (
  w: HostWriter,
  changes: readonly PfChange[],
): ResultAsync<void, DaemonError> =>
  changes.reduce<ResultAsync<void, DaemonError>>(
    (acc, c) =>
      acc
        .andThen(() =>
          c.numVfs === c.currentNumVfs
            ? okAsync(undefined)
            : withDeadline(
                setNumVfs({
                  sysfsRoot: w.sysfsRoot,
                  pciAddress: c.pciAddress,
                  numVfs: c.numVfs,
                  ...(w.writeAttr ? { writeAttr: w.writeAttr } : {}),
                }).mapErr((e) => hostFailed(`set sriov_numvfs of ${c.pciAddress}`, e)),
                2 * w.writeTimeoutMs,
                `set sriov_numvfs of ${c.pciAddress} to ${c.numVfs}`,
              ).andThen(() =>
                c.numVfs > 0
                  ? waitForVfs(w.sysfsRoot, c.pciAddress, c.numVfs, w.vfReadyTimeoutMs ?? 10_000)
                  : okAsync(undefined),
              ),
        )
        .andThen(() =>
          c.mtu !== undefined && c.name !== undefined
            ? writeOne(w, netPath(w, c.pciAddress, c.name), String(c.mtu))
            : okAsync(undefined),
        ),
    okAsync(undefined),
  );

/** Writes each VF netdev's MTU where its group's MTU differs from what the host reports. */
export const applyVfMtus = (
  w: HostWriter,
  changes: readonly PfChange[],
  found: readonly SriovInterfaceExt[],
): ResultAsync<number, DaemonError> => {
  const writes: [string, string][] = [];
  for (const c of changes) {
    const iface = found.find((f) => f.pciAddress === c.pciAddress);
    for (const vf of iface?.Vfs ?? []) {
      const mtu = c.vfMtus.get(vf.vfID);
      if (mtu !== undefined && vf.name !== undefined && vf.mtu !== mtu)
        writes.push([netPath(w, vf.pciAddress, vf.name), String(mtu)]);
    }
  }
  return writes
    .reduce<ResultAsync<void, DaemonError>>(
      (acc, [p, v]) => acc.andThen(() => writeOne(w, p, v)),
      okAsync(undefined),
    )
    .map(() => writes.length);
};
