// GET ...?watch=1: the store's watch as a stream of newline-delimited JSON events. An ERROR (history
// compacted) is written as a `Status` object with code 410 / reason Expired and ends the stream.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, LabelSelector, Store, WatchEvent } from '@spiderpool-ts/core';
import type { ObjectFilter } from './fieldSelector.ts';
import type { ServedResource } from './resources.ts';
import { type HttpStatus, statusFromStoreError } from './statusBodies.ts';

export interface WatchRequest {
  resource: ServedResource;
  namespace: string | undefined;
  resourceVersion: string | undefined;
  labelSelector: LabelSelector | undefined;
  fieldFilter: ObjectFilter;
  timeoutSeconds: number | undefined;
  /** What each event carries instead of the object (a one-row Table for `kubectl get --watch`). */
  present?: (o: KubeObject) => unknown;
  /** Shared encodings of plain events (not used with `present`). */
  texts?: EventTexts;
}

/**
 * The encoded lines of recent watch events, shared by every stream of the emulator: kube-apiserver's watch
 * cache encodes an event once for all its watchers; without this, N watchers of a pool meant N encodings of
 * every status write. Keyed by event type and the object's kind, namespace, name and resourceVersion (a
 * version names one content); only the last `limit` are kept.
 */
export interface EventTexts {
  /** The event's line as UTF-8 bytes, encoded once: writing a Buffer to N sockets encodes nothing N times. */
  line(e: { type: string; object: KubeObject }): Buffer;
  /** Lines encoded, and lines served from the cache (for tests). */
  readonly stats: { encoded: number; shared: number };
}

export const createEventTexts = (limit = 256): EventTexts => {
  const lines = new Map<string, Buffer>();
  const stats = { encoded: 0, shared: 0 };
  return {
    stats,
    line: (e) => {
      const m = e.object.metadata;
      const rv = m.resourceVersion;
      if (rv === undefined || rv === '') {
        stats.encoded++;
        return Buffer.from(`${JSON.stringify(e)}\n`);
      }
      const key = `${e.type}\u0000${e.object.kind}\u0000${m.namespace ?? ''}\u0000${m.name ?? ''}\u0000${rv}`;
      const hit = lines.get(key);
      if (hit !== undefined) {
        stats.shared++;
        return hit;
      }
      stats.encoded++;
      const text = Buffer.from(`${JSON.stringify(e)}\n`);
      lines.set(key, text);
      if (lines.size > limit) {
        const oldest = lines.keys().next();
        if (!oldest.done) lines.delete(oldest.value);
      }
      return text;
    },
  };
};

/** Streams events until the client goes away, the timeout passes or an ERROR ends it. Returns a failed start. */
export const serveWatch = async (
  store: Store,
  open: Set<() => void>,
  req: IncomingMessage,
  res: ServerResponse,
  w: WatchRequest,
): Promise<HttpStatus | undefined> => {
  let streaming = false;
  const pending: WatchEvent<KubeObject>[] = [];
  let finished = false;
  const write = (e: WatchEvent<KubeObject>): void => {
    if (finished) return;
    if (e.type === 'ERROR') {
      const status = statusFromStoreError(w.resource, e.error);
      res.write(`${JSON.stringify({ type: 'ERROR', object: status.body })}\n`);
      finish();
      return;
    }
    if (e.type === 'BOOKMARK') return;
    if (!w.fieldFilter(e.object)) return;
    if (w.present) {
      res.write(`${JSON.stringify({ type: e.type, object: w.present(e.object) })}\n`);
      return;
    }
    const event = { type: e.type, object: e.object };
    res.write(w.texts ? w.texts.line(event) : `${JSON.stringify(event)}\n`);
  };
  const listener = (e: WatchEvent<KubeObject>): void => {
    if (streaming) write(e);
    else pending.push(e);
  };
  const started = await store.watch(
    w.resource.info.kind,
    {
      ...(w.resourceVersion === undefined ? {} : { resourceVersion: w.resourceVersion }),
      ...(w.namespace === undefined ? {} : { namespace: w.namespace }),
      ...(w.labelSelector === undefined ? {} : { labelSelector: w.labelSelector }),
    },
    listener,
  );
  if (started.isErr()) return statusFromStoreError(w.resource, started.error);
  const handle = started.value;
  let timer: NodeJS.Timeout | undefined;
  function finish(): void {
    if (finished) return;
    finished = true;
    open.delete(finish);
    handle.close();
    if (timer) clearTimeout(timer);
    res.end();
  }
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  streaming = true;
  open.add(finish);
  for (const e of pending.splice(0)) write(e);
  req.on('close', finish);
  res.on('close', finish);
  if (w.timeoutSeconds !== undefined) timer = setTimeout(finish, w.timeoutSeconds * 1000);
  return undefined;
};
