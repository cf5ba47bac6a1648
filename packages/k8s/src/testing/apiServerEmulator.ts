// An API-server emulator on 127.0.0.1 (random port) in front of core's MemoryStore, so every object rule is
// core's: discovery, CRUD on /api/v1 and /apis/<g>/<v> paths, list with label/field selectors, watch
// streams, the status subresource, merge and JSON patches, DELETE with preconditions, Status error bodies
// and Table output with the CRD printer columns. For tests and demos driven by client-node or kubectl.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import { createMemoryStore, type KindRegistry, type KubeObject, type Store } from '@spiderpool-ts/core';
import { coreVersions, groupList, resourceList, versionInfo } from './discovery.ts';
import { emulatorKinds } from './emulatorKinds.ts';
import { type FidelityHooks, startFidelity } from './fidelity.ts';
import { kubeConfigFor, writeKubeconfig } from './kubeconfig.ts';
import { openapiGroupVersion, openapiRoot } from './openapi.ts';
import { type EmulatorContext, handleResource } from './resourceHandlers.ts';
import { ResourceTable } from './resources.ts';
import { parseRoute } from './routes.ts';
import { type HttpStatus, notFoundPath, statusBody } from './statusBodies.ts';
import { createEventTexts } from './watchHandler.ts';
import type { WebhookServiceResolver } from './webhookDispatch.ts';

/** Admission for writes (create, update, patch; not status): return the object to store, or a denial. */
export type Admission = (
  operation: 'CREATE' | 'UPDATE',
  object: KubeObject,
  old: KubeObject | undefined,
) => { allowed: true; object: KubeObject } | { allowed: false; message: string };

export interface ApiServerEmulatorOptions {
  /**
   * The store behind the server (default: a new MemoryStore with `now` and `historyLimit`). Any Store works,
   * e.g. `createEtcdStore(...)` so that etcd's own revisions, compaction and size limit are what clients meet.
   */
  store?: Store;
  kinds?: KindRegistry;
  now?: () => Date;
  /** Changes kept for watch replay when the emulator makes the store (default 1024). */
  historyLimit?: number;
  /** Apply the CRD schema defaults on writes of Spiderpool kinds (default true), as the API server does. */
  crdDefaults?: boolean;
  /** Validate writes of Spiderpool kinds against the CRD schema (default true): 422 with field errors. */
  crdValidation?: boolean;
  admission?: Admission;
  /**
   * Base URL (`https://127.0.0.1:<port>`) of a webhook configuration's `clientConfig.service`; webhooks with a
   * `url` need none. Registered webhooks (MutatingWebhookConfiguration / ValidatingWebhookConfiguration
   * objects in the store) are called over HTTPS on every matching write.
   */
  webhookServices?: WebhookServiceResolver;
  /** kube's NamespaceLifecycle: namespaced creates need an existing Namespace (default false). */
  namespaceLifecycle?: boolean;
  /** Background garbage collection of ownerReference dependents (default false). */
  garbageCollection?: boolean;
  /** Request body limit (default 3 MiB, kube-apiserver's); larger bodies get 413. */
  maxBodyBytes?: number;
}

/** Bytes the emulator's sockets read and wrote, connections still open included. */
export interface EmulatorTraffic {
  /** Requests (headers + bodies) received. */
  bytesIn: number;
  /** Responses written, watch streams included. */
  bytesOut: number;
  /** The part of `bytesOut` written by watch streams (their events). */
  watchBytesOut: number;
  /** TCP connections accepted (a client without keep-alive opens one per request). */
  connections: number;
}

export interface ApiServerEmulator {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly store: Store;
  /** A client-node KubeConfig pointing at the emulator. */
  kubeConfig(): KubeConfig;
  /** Writes a kubeconfig file pointing at the emulator; returns the path. */
  writeKubeconfig(path: string): string;
  /** Requests served so far, as `METHOD path` (query included), for tests. */
  readonly requests: readonly string[];
  /** Bytes on the wire so far (HTTP headers included), for benches. */
  traffic(): EmulatorTraffic;
  /** Ends every open watch stream cleanly, as an API server does when a watch times out; returns how many. */
  dropWatches(): number;
  /** Ends open watches and stops listening. */
  close(): Promise<void>;
}

const isWatch = (u: URL): boolean => {
  const w = u.searchParams.get('watch');
  return w === 'true' || w === '1';
};

const send = (res: ServerResponse, code: number, body: unknown): void => {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
};

const sendStatus = (res: ServerResponse, s: HttpStatus): void => send(res, s.code, s.body);

/** Only JSON bodies are decoded: protobuf / CBOR get 415, which makes client-go retry in JSON. */
const unsupportedBody = (type: string): HttpStatus =>
  statusBody(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format (${type}) - accepted media types include: application/json, application/yaml, application/json-patch+json, application/merge-patch+json`,
  );

/** The body, or undefined once it grew past `limit` (the rest is drained, not kept). */
const readBody = (req: IncomingMessage, limit: number): Promise<string | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export const startApiServerEmulator = async (
  options: ApiServerEmulatorOptions = {},
): Promise<ApiServerEmulator> => {
  const now = options.now ?? (() => new Date());
  const kinds = options.kinds ?? options.store?.kinds ?? emulatorKinds;
  const store =
    options.store ?? createMemoryStore({ now, kinds, historyLimit: options.historyLimit ?? 1024 });
  const table = new ResourceTable(kinds);
  const requests: string[] = [];
  let url = '';
  const ctx: EmulatorContext = {
    store,
    now,
    crdDefaults: options.crdDefaults ?? true,
    crdValidation: options.crdValidation ?? true,
    watches: new Set(),
    watchTexts: createEventTexts(),
    ...(options.admission ? { admission: options.admission } : {}),
    webhooks: { store, resolveService: options.webhookServices },
    namespaceLifecycle: options.namespaceLifecycle ?? false,
  };
  const maxBody = options.maxBodyBytes ?? 3 * 1024 * 1024;
  const fidelity: FidelityHooks = await startFidelity(ctx, table, {
    garbageCollection: options.garbageCollection ?? false,
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const u = new URL(req.url ?? '/', 'http://emulator');
    requests.push(`${method} ${u.pathname}${u.search}`);
    if (isWatch(u)) countWatch(req, res);
    if (fidelity.serve(method, u, req, res)) return;
    const route = parseRoute(table, u.pathname);
    if (route.type !== 'resource' && method !== 'GET') {
      sendStatus(res, statusBody(405, 'MethodNotAllowed', `${method} is not supported on ${u.pathname}`));
      return;
    }
    switch (route.type) {
      case 'version':
        return send(res, 200, versionInfo());
      case 'api':
        return send(res, 200, coreVersions(new URL(url).host));
      case 'apis':
        return send(res, 200, groupList(table));
      case 'resourceList': {
        const list = resourceList(table, route.groupVersion);
        return list ? send(res, 200, list) : sendStatus(res, notFoundPath());
      }
      case 'openapiRoot':
        return send(res, 200, openapiRoot(table));
      case 'openapi': {
        const doc = openapiGroupVersion(table, route.path);
        return doc ? send(res, 200, doc) : sendStatus(res, notFoundPath());
      }
      case 'unknown':
        return sendStatus(res, notFoundPath());
      case 'resource': {
        const bodyType = req.headers['content-type'] ?? '';
        if (method !== 'GET' && method !== 'DELETE' && /protobuf|cbor/.test(bodyType)) {
          return sendStatus(res, unsupportedBody(bodyType));
        }
        const body = method === 'GET' ? '' : await readBody(req, maxBody);
        if (body === undefined) {
          return sendStatus(
            res,
            statusBody(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${maxBody}`),
          );
        }
        const out = await handleResource(ctx, { req, res, method, url: u, body, route });
        if (out) send(res, out.code, out.body);
        return;
      }
    }
  };

  // Traffic: closed sockets are summed on close; open ones (and open watches) are read live.
  const sockets = new Set<Socket>();
  const closed = { bytesIn: 0, bytesOut: 0, watchBytesOut: 0, connections: 0 };
  const watchStarts = new Map<Socket, number>();
  const countWatch = (req: IncomingMessage, res: ServerResponse): void => {
    const socket = req.socket;
    watchStarts.set(socket, socket.bytesWritten);
    res.once('close', () => {
      const start = watchStarts.get(socket);
      if (start === undefined) return;
      watchStarts.delete(socket);
      closed.watchBytesOut += socket.bytesWritten - start;
    });
  };
  const traffic = (): EmulatorTraffic => {
    const t = { ...closed };
    for (const s of sockets) {
      t.bytesIn += s.bytesRead;
      t.bytesOut += s.bytesWritten;
    }
    for (const [s, start] of watchStarts) t.watchBytesOut += s.bytesWritten - start;
    return t;
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent)
        sendStatus(res, statusBody(500, 'InternalError', e instanceof Error ? e.message : String(e)));
      else res.end();
    });
  });
  // kube-apiserver (Go's net/http) keeps idle connections open; Node's default closes them after 5 s, which
  // races with clients reusing them. Long enough for any test or bench; closeAllConnections ends them.
  server.keepAliveTimeout = 120_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    closed.connections++;
    socket.once('close', () => {
      sockets.delete(socket);
      closed.bytesIn += socket.bytesRead;
      closed.bytesOut += socket.bytesWritten;
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    store,
    requests,
    traffic,
    kubeConfig: () => kubeConfigFor(url),
    writeKubeconfig: (path) => writeKubeconfig(path, url),
    dropWatches: () => {
      const open = [...ctx.watches];
      for (const finish of open) finish();
      return open.length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        fidelity.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
