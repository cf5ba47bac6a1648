// One Store watch as a streaming GET (`?watch=true`) over kubeConnector.ts: the body's newline-delimited
// events are split on Buffers (lineSplitter.ts), parsed and delivered as WatchEvents. An ERROR event (410 ->
// Gone), a refused request or a broken stream ends the watch with a terminal ERROR; a stream the server
// closes cleanly is resumed from the last resourceVersion seen (as informers do), up to a few times in a row
// without an event in between.
import type { IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  type KubeObject,
  type StoreError,
  storeUnavailable,
  type WatchEvent,
  type WatchHandle,
  type WatchListener,
} from '@spiderpool-ts/core';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { createKubeConnector, isConnectionReset, type KubeConnector } from './kubeConnector.ts';
import { createLineSplitter } from './lineSplitter.ts';
import { storeErrorFromException, storeErrorFromStatus } from './statusErrors.ts';

export interface WatchStreamInput<T extends KubeObject> {
  kc: KubeConfig;
  /** Shared with the store's requests (one keep-alive agent pool); absent: a connector of its own. */
  connector?: KubeConnector;
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
/** Bytes of a refusal's body read for its Status (the rest is dropped). */
const MAX_REFUSAL_BYTES = 64 * 1024;

/** The server answered the watch request with a non-2xx status (and this Status body, if JSON). */
class WatchRefused extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
  ) {
    super(`watch refused: HTTP ${statusCode}`);
  }
}

/** A failure before or while streaming: its HTTP status if the server answered one, else no answer at all. */
const errorOf = (kind: string, e: unknown, rv: string | undefined): StoreError =>
  e instanceof WatchRefused
    ? storeErrorFromStatus({ kind }, e.statusCode, e.body, rv ?? '')
    : storeErrorFromException({ kind }, e);

/** The Status of a refusal: at most MAX_REFUSAL_BYTES of the body, parsed if it is JSON. */
const refusalBody = (res: IncomingMessage): Promise<unknown> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const done = (): void => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve(undefined);
      }
    };
    res.on('data', (c: Buffer) => {
      if (bytes >= MAX_REFUSAL_BYTES) return;
      chunks.push(c);
      bytes += c.length;
    });
    res.on('end', done);
    res.on('error', () => resolve(undefined));
  });

/** One watch event line: `{ type, object }`; anything else is skipped (as client-node's Watch did). */
const parseEvent = (line: string): { type: string; object: unknown } | undefined => {
  try {
    const e = JSON.parse(line) as { type?: unknown; object?: unknown } | null;
    return typeof e === 'object' && e !== null && typeof e.type === 'string'
      ? { type: e.type, object: e.object }
      : undefined;
  } catch {
    return undefined;
  }
};

/** Starts the watch; Err only when the server refused the request itself (400/404/422: a bad request). */
export const startWatch = <T extends KubeObject>(
  input: WatchStreamInput<T>,
): ResultAsync<WatchHandle, StoreError> => {
  const { kind, listener } = input;
  const cluster = input.kc.getCurrentCluster();
  if (!cluster) return errAsync(storeUnavailable({ kind }, 'KubeConfig has no current cluster'));
  const server = cluster.server.replace(/\/+$/, '');
  const connector = input.connector ?? createKubeConnector(input.kc);
  let closed = false;
  /** Aborts the connection of the moment (opening or streaming). */
  let current: AbortController | undefined;
  let lastRv = input.resourceVersion;
  let idleResumes = 0;

  const deliver = (e: WatchEvent<T>): void => {
    if (!closed) listener(e);
  };
  const fail = (error: StoreError): void => {
    if (closed) return;
    closed = true;
    current?.abort();
    listener({ type: 'ERROR', error });
  };
  const handle: WatchHandle = {
    close: () => {
      closed = true;
      current?.abort();
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

  /** The stream `res` ended: cleanly (`e` undefined) or broken. */
  const onDone = (e: unknown): void => {
    if (closed) return;
    if (e !== undefined) {
      fail(errorOf(kind, e, lastRv));
      return;
    }
    if (lastRv && lastRv !== '0' && idleResumes < MAX_IDLE_RESUMES) {
      idleResumes++;
      void connect(lastRv).then((e2) => {
        if (e2 !== undefined) fail(errorOf(kind, e2, lastRv));
      });
      return;
    }
    fail(storeUnavailable({ kind }, 'watch closed by the server'));
  };

  /** Reads the open stream `res` line by line until it ends or `ac` aborts it. */
  const stream = (res: IncomingMessage, ac: AbortController): void => {
    let ended = false;
    const end = (e: unknown): void => {
      if (ended) return;
      ended = true;
      if (current === ac) current = undefined;
      if (!ac.signal.aborted) onDone(e);
    };
    const lines = createLineSplitter((line) => {
      const event = parseEvent(line);
      if (event !== undefined && !ac.signal.aborted) onEvent(event.type, event.object);
    });
    res.socket?.setKeepAlive(true, 30_000);
    res.on('data', (chunk: Buffer) => {
      if (lines.push(chunk)) return;
      end(new Error(`watch ${input.path}: an event line longer than the limit`));
      ac.abort();
    });
    res.on('end', () => {
      lines.end();
      end(undefined);
    });
    res.on('error', (e) => end(e));
    res.on('close', () => {
      if (!res.complete) end(new Error(`watch ${input.path}: stream broken`));
    });
  };

  /** Connects from `rv`; resolves with the failure that happened before the stream was open, if any. */
  const connect = async (rv: string | undefined): Promise<unknown> => {
    if (closed) return undefined;
    const ac = new AbortController();
    current = ac;
    const url = new URL(server + input.path);
    // The query client-node's Watch sent: watch first, then the caller's parameters in this order.
    url.searchParams.set('watch', 'true');
    if (rv !== undefined) url.searchParams.set('resourceVersion', rv);
    if (input.labelSelector !== undefined) url.searchParams.set('labelSelector', input.labelSelector);
    url.searchParams.set('allowWatchBookmarks', 'false');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        ac.abort();
        reject(new Error(`watch ${input.path}: not open within ${input.openTimeoutMs} ms`));
      }, input.openTimeoutMs);
    });
    const open = async (): Promise<IncomingMessage> => {
      const authorized = await connector.authorize('GET', url, { Accept: 'application/json' });
      const send = () => connector.send(authorized, undefined, ac.signal);
      // A kept-alive connection closed by the server while idle: a GET may go again, once.
      return send().catch((e: unknown) => {
        if (ac.signal.aborted || !isConnectionReset(e)) throw e;
        return send();
      });
    };
    try {
      const res = await Promise.race([open(), timedOut]);
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        const body = await Promise.race([refusalBody(res), timedOut]);
        ac.abort();
        return new WatchRefused(status, body);
      }
      if (closed) {
        ac.abort();
        return undefined;
      }
      stream(res, ac);
      return undefined;
    } catch (e) {
      ac.abort();
      return e;
    } finally {
      clearTimeout(timer);
    }
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
