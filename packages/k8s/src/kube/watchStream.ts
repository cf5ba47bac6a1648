// One Store watch over client-node's Watch: newline-delimited events become WatchEvents; an ERROR event (410
// -> Gone) or a failed connection ends it with a terminal ERROR; a stream the server closes cleanly is
// resumed from the last resourceVersion seen (as informers do), up to a few times in a row without progress.
import { type KubeConfig, Watch } from '@kubernetes/client-node';
import {
  type KubeObject,
  type StoreError,
  storeUnavailable,
  type WatchEvent,
  type WatchHandle,
  type WatchListener,
} from '@spiderpool-ts/core';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { storeErrorFromException, storeErrorFromStatus } from './statusErrors.ts';

export interface WatchStreamInput<T extends KubeObject> {
  kc: KubeConfig;
  kind: string;
  path: string;
  labelSelector: string | undefined;
  resourceVersion: string | undefined;
  fill: (raw: unknown) => T;
  listener: WatchListener<T>;
}

const MAX_IDLE_RESUMES = 3;

const statusCodeOf = (e: unknown): number | undefined => {
  const code = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
};

/** Starts the watch; Err only when the server refused the request itself (400/404/422: a bad request). */
export const startWatch = <T extends KubeObject>(
  input: WatchStreamInput<T>,
): ResultAsync<WatchHandle, StoreError> => {
  const { kind, listener } = input;
  const watcher = new Watch(input.kc);
  let closed = false;
  let controller: AbortController | undefined;
  let lastRv = input.resourceVersion;
  let idleResumes = 0;

  const deliver = (e: WatchEvent<T>): void => {
    if (!closed) listener(e);
  };
  const fail = (error: StoreError): void => {
    if (closed) return;
    closed = true;
    controller?.abort();
    listener({ type: 'ERROR', error });
  };
  const handle: WatchHandle = {
    close: () => {
      closed = true;
      controller?.abort();
    },
  };

  const onEvent = (phase: string, raw: unknown): void => {
    if (closed) return;
    if (phase === 'ERROR') {
      fail(storeErrorFromStatus({ kind }, 0, raw, lastRv ?? ''));
      return;
    }
    idleResumes = 0;
    if (phase === 'BOOKMARK') {
      const rv = (raw as { metadata?: { resourceVersion?: string } } | null)?.metadata?.resourceVersion ?? '';
      if (rv) lastRv = rv;
      deliver({ type: 'BOOKMARK', resourceVersion: rv });
      return;
    }
    if (phase !== 'ADDED' && phase !== 'MODIFIED' && phase !== 'DELETED') return;
    const object = input.fill(raw);
    if (object.metadata.resourceVersion) lastRv = object.metadata.resourceVersion;
    deliver({ type: phase, object });
  };

  /** Connects from `rv`; resolves with the failure that happened before the stream was open, if any. */
  const connect = async (rv: string | undefined): Promise<unknown> => {
    let opening = true;
    let openError: unknown;
    const query = {
      resourceVersion: rv,
      labelSelector: input.labelSelector,
      allowWatchBookmarks: false,
    };
    const onDone = (e: unknown): void => {
      if (opening) {
        openError = e ?? new Error('watch closed while opening');
        return;
      }
      if (closed) return;
      if (e) {
        const code = statusCodeOf(e);
        fail(
          code === undefined
            ? storeErrorFromException({ kind }, e)
            : storeErrorFromStatus({ kind }, code, undefined, lastRv ?? ''),
        );
        return;
      }
      if (lastRv && lastRv !== '0' && idleResumes < MAX_IDLE_RESUMES) {
        idleResumes++;
        void connect(lastRv).then((e2) => {
          if (e2 !== undefined) fail(storeErrorFromException({ kind }, e2));
        });
        return;
      }
      fail(storeUnavailable({ kind }, 'watch closed by the server'));
    };
    try {
      controller = await watcher.watch(input.path, query, onEvent, onDone);
    } catch (e) {
      openError = e;
    }
    opening = false;
    if (closed) controller?.abort();
    return openError;
  };

  return ResultAsync.fromSafePromise(connect(lastRv)).andThen((openError) => {
    if (openError === undefined) return okAsync(handle);
    const code = statusCodeOf(openError);
    const error =
      code === undefined
        ? storeErrorFromException({ kind }, openError)
        : storeErrorFromStatus({ kind }, code, undefined, lastRv ?? '');
    if (error._tag === 'Invalid' || error._tag === 'NotFound') return errAsync(error);
    // Gone / Unavailable at the start arrive as the terminal ERROR event, as the port says.
    queueMicrotask(() => fail(error));
    return okAsync(handle);
  });
};
