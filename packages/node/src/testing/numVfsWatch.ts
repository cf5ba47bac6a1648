// A test double standing for the PF driver when the writer of `sriov_numvfs` is another process (the built
// config daemon, bin/sriov-config-daemon): the fake sysfs tree is plain files, so nothing happens when the
// daemon writes "8"; this watcher polls each PF's `sriov_numvfs` and, when the written count differs from
// what the "driver" last applied, does the driver's side through the hardware fixture (remove the old VFs,
// create the new ones: virtfnN links, VF devices, VF stand-in links in a netns when configured). The daemon
// waits for the VFs to appear after its write, as the operator waits for the kernel (vfsReady.ts).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SriovHardware } from './sriovHardware.ts';

export interface NumVfsWatch {
  /** VF counts applied so far, by PF PCI address. */
  applied(): ReadonlyMap<string, number>;
  /** Errors of the driver side (e.g. a stand-in link that could not be made), oldest first. */
  errors(): readonly string[];
  /** Stops polling; resolves after the pass in flight. */
  stop(): Promise<void>;
}

export interface NumVfsWatchOptions {
  /** PF PCI addresses to watch (their VF count starts at 0, as the fixture creates them). */
  pfs: readonly string[];
  /** Poll period (default 20 ms). */
  intervalMs?: number;
}

const readCount = async (path: string): Promise<number | undefined> => {
  try {
    const t = (await readFile(path, 'utf8')).trim();
    return /^\d+$/.test(t) ? Number.parseInt(t, 10) : undefined;
  } catch {
    return undefined;
  }
};

export const watchNumVfs = (hw: SriovHardware, o: NumVfsWatchOptions): NumVfsWatch => {
  const applied = new Map(o.pfs.map((p) => [p, 0]));
  const errors: string[] = [];
  let stopped = false;
  let busy = false;
  let inFlight: Promise<void> = Promise.resolve();
  const pass = async () => {
    for (const pf of o.pfs) {
      const want = await readCount(join(hw.sysfsRoot, 'bus', 'pci', 'devices', pf, 'sriov_numvfs'));
      const have = applied.get(pf) ?? 0;
      if (want === undefined || want === have) continue;
      try {
        await hw.applyNumVfs(pf, have, want);
        applied.set(pf, want);
      } catch (e) {
        errors.push(`${pf}: ${e instanceof Error ? e.message : String(e)}`);
        applied.set(pf, want); // a driver that failed does not retry on its own
      }
    }
  };
  const timer = setInterval(() => {
    if (stopped || busy) return;
    busy = true;
    inFlight = pass().finally(() => {
      busy = false;
    });
  }, o.intervalMs ?? 20);
  return {
    applied: () => applied,
    errors: () => errors,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
};
