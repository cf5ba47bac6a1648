// One lock file per VF (`<stateDir>/pci/<pci>.lock`, created with O_EXCL, holding the owner's pid), so two
// plugin processes never work on the same VF at once (an ADD racing a late DEL, sriov-cni #219). Waiting
// has a deadline; a lock whose pid is gone (a plugin killed by the runtime's timeout) is taken over.
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { lockTimeout, type SriovCniError, stateIo } from './errors.ts';

export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

export interface VfLock {
  release(): Promise<void>;
}

const errno = (e: unknown): string =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : String(e);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errno(e) === 'EPERM';
  }
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const tryTake = async (path: string): Promise<'taken' | 'held' | string> => {
  try {
    const fh = await open(path, 'wx');
    await fh.writeFile(`${process.pid}\n`);
    await fh.close();
    return 'taken';
  } catch (e) {
    if (errno(e) !== 'EEXIST') return errno(e);
    const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    // A lock file still being written has no pid yet: treat it as held.
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) await rm(path, { force: true });
    return 'held';
  }
};

/** Takes the lock of VF `pci` under `stateDir`, waiting at most `timeoutMs`. */
export const lockVf = (
  stateDir: string,
  pci: string,
  timeoutMs: number = DEFAULT_LOCK_TIMEOUT_MS,
): ResultAsync<VfLock, SriovCniError> => {
  const dir = join(stateDir, 'pci');
  const path = join(dir, `${pci}.lock`);
  const attempt = async (): Promise<VfLock | SriovCniError> => {
    try {
      await mkdir(dir, { recursive: true });
    } catch (e) {
      return stateIo(dir, errno(e));
    }
    const deadline = Date.now() + timeoutMs;
    for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
      const r = await tryTake(path);
      if (r === 'taken') return { release: () => rm(path, { force: true }) };
      if (r !== 'held') return stateIo(path, r);
      if (Date.now() >= deadline) return lockTimeout(pci, timeoutMs);
      await sleep(wait);
    }
  };
  return ResultAsync.fromSafePromise(attempt()).andThen((r) => ('release' in r ? okAsync(r) : errAsync(r)));
};
