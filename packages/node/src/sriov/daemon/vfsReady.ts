// After `sriov_numvfs` is set to N the VFs are not necessarily there yet: the kernel creates the VF PCI
// devices and the VF driver binds and registers the netdevs asynchronously. Like sriov-network-operator
// (which polls for each VF before configuring it), the daemon waits until the PF lists `virtfn0..N-1`,
// polling every 20 ms up to a deadline, so the node state it reports next lists the VFs.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { type DaemonError, deadlineExceeded } from './errors.ts';

const present = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/** Ok once `virtfn0..n-1` of the PF exist; DeadlineExceeded after `timeoutMs`. */
export const waitForVfs = (
  sysfsRoot: string,
  pciAddress: string,
  n: number,
  timeoutMs: number,
): ResultAsync<void, DaemonError> => {
  const dir = join(sysfsRoot, 'bus', 'pci', 'devices', pciAddress);
  const until = Date.now() + timeoutMs;
  const all = async (): Promise<boolean> => {
    for (let k = 0; k < n; k++) if (!(await present(join(dir, `virtfn${k}`)))) return false;
    return true;
  };
  const poll = async (): Promise<boolean> => {
    for (;;) {
      if (await all()) return true;
      if (Date.now() > until) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return ResultAsync.fromSafePromise(poll()).andThen((ok) =>
    ok ? okAsync(undefined) : errAsync(deadlineExceeded(`wait for ${n} VFs of ${pciAddress}`, timeoutMs)),
  );
};
