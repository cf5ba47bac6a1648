// The agent socket's file rules: a path that holds something other than a socket is never deleted (it is
// not ours); a socket a live agent answers on is refused (two agents on one node would both allocate); only
// a stale socket (nobody listening: ECONNREFUSED) is removed before listening. The socket itself is created
// 0600 whatever the umask (only root's CNI plugin may talk to the agent).
import { chmod, lstat, mkdir, unlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { type AgentError, socketSetupFailed } from './errors.ts';

export const SOCKET_MODE = 0o600;
const PROBE_TIMEOUT_MS = 1000;

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const codeOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | null)?.code;

/** 'live' when something accepts a connection on the socket, 'stale' when nobody listens. */
export const probeSocket = (path: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<'live' | 'stale'> =>
  new Promise((resolve) => {
    const sock = connect({ path });
    const done = (state: 'live' | 'stale'): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(state);
    };
    // A listener that accepts but is too busy to answer still holds the socket: a timeout is 'live'.
    const timer = setTimeout(() => done('live'), timeoutMs);
    sock.once('connect', () => done('live'));
    sock.once('error', (e) =>
      done(codeOf(e) === 'ECONNREFUSED' || codeOf(e) === 'ENOENT' ? 'stale' : 'live'),
    );
  });

/** Makes the directory, then clears the way for listening on `path` (see the file comment). */
export const prepareAgentSocket = (path: string): ResultAsync<void, AgentError> =>
  ResultAsync.fromPromise(mkdir(dirname(path), { recursive: true }), (e) =>
    socketSetupFailed(path, errorText(e)),
  )
    .andThen(() =>
      ResultAsync.fromSafePromise(
        lstat(path).then(
          (st) => (st.isSocket() ? 'socket' : 'other'),
          (e: unknown) => (codeOf(e) === 'ENOENT' ? 'absent' : `unreadable: ${errorText(e)}`),
        ),
      ),
    )
    .andThen((what): ResultAsync<void, AgentError> => {
      if (what === 'absent') return okAsync(undefined);
      if (what === 'other')
        return errAsync(
          socketSetupFailed(path, 'the path exists and is not a socket; refusing to delete it'),
        );
      if (what !== 'socket') return errAsync(socketSetupFailed(path, what));
      return ResultAsync.fromSafePromise(probeSocket(path)).andThen((state) =>
        state === 'live'
          ? errAsync(socketSetupFailed(path, 'a live agent is listening on it'))
          : ResultAsync.fromPromise(unlink(path), (e) => socketSetupFailed(path, errorText(e))),
      );
    });

/** Listens with umask 0177 (the socket is born 0600), then chmods it to 0600 to be sure. */
export const listenPrivately = (listen: () => void): void => {
  let old: number | undefined;
  try {
    old = process.umask(0o177);
  } catch {
    // worker threads cannot change the umask: the chmod after listening still applies
  }
  try {
    listen();
  } finally {
    if (old !== undefined) process.umask(old);
  }
};

export const restrictSocket = (path: string): Promise<void> => chmod(path, SOCKET_MODE);

/** Removes `path` only if it is still a socket (never someone else's file). */
export const removeOwnSocket = async (path: string): Promise<void> => {
  try {
    if ((await lstat(path)).isSocket()) await unlink(path);
  } catch {
    // already gone
  }
};
