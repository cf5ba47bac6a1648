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
  /** Deadline for the stream to open (headers received), ms; a silent server fails the watch with Unavailable. */
  openTimeoutMs: number;
}

const MAX_IDLE_RESUMES = 3;

const statusCodeOf = (e: unknown): number | undefined => {
  const code = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
};

/** A failure before or while streaming: its HTTP status if the server answered one, else no answer at all. */
const errorOf = (kind: string, e: unknown, rv: string | undefined): StoreError => {
  const code = statusCodeOf(e);
  return code === undefined
    ? storeErrorFromException({ kind }, e)
    : storeErrorFromStatus({ kind }, code, undefined, rv ?? '');
};

/**
 * client-node 2.x aborts a watch that received nothing for 30 s with a `TimeoutError` (1.x has no such
 * timer). A quiet kind is not a failure: the stream is resumed like one the server closed.
 */
const isInactivityTimeout = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'TimeoutError';

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
    /** A connection that did not open in time: whatever it does later is ignored. */
    let abandoned = false;
    let openError: unknown;
    const query = {
      resourceVersion: rv,
      labelSelector: input.labelSelector,
      allowWatchBookmarks: false,
    };
    const onDone = (e: unknown): void => {
      if (abandoned) return;
      if (opening) {
        openError = e ?? new Error('watch closed while opening');
        return;
      }
      if (closed) return;
      const timedOut = isInactivityTimeout(e);
      if (e && !timedOut) {
        fail(errorOf(kind, e, lastRv));
        return;
      }
      // A client-side inactivity timeout had the stream open for its whole period: not a tight loop.
      if (lastRv && lastRv !== '0' && (timedOut || idleResumes < MAX_IDLE_RESUMES)) {
        if (!timedOut) idleResumes++;
        void connect(lastRv).then((e2) => {
          if (e2 !== undefined) fail(errorOf(kind, e2, lastRv));
        });
        return;
      }
      fail(storeUnavailable({ kind }, 'watch closed by the server'));
    };
    const onConnEvent = (phase: string, raw: unknown): void => {
      if (!abandoned) onEvent(phase, raw);
    };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), input.openTimeoutMs);
    });
    const opened = watcher.watch(input.path, query, onConnEvent, onDone);
    try {
      const first = await Promise.race([opened, timedOut]);
      if (first === 'timeout') {
        abandoned = true;
        openError = new Error(`watch ${input.path}: not open within ${input.openTimeoutMs} ms`);
        opened.then(
          (c) => c.abort(),
          () => {},
        );
      } else controller = first;
    } catch (e) {
      openError = e;
    } finally {
      clearTimeout(timer);
    }
    opening = false;
    if (closed) controller?.abort();
    return openError;
  };

  return ResultAsync.fromSafePromise(connect(lastRv)).andThen((openError) => {
    if (openError === undefined) return okAsync(handle);
    const error = errorOf(kind, openError, lastRv);
    if (error._tag === 'Invalid' || error._tag === 'NotFound') return errAsync(error);
    // Gone / Unavailable at the start arrive as the terminal ERROR event, as the port says.
    queueMicrotask(() => fail(error));
    return okAsync(handle);
  });
};
