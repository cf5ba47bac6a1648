// The admission webhook server: HTTPS (node:https), POST AdmissionReview admission.k8s.io/v1 on Spiderpool's
// paths, GET /webhook-health-check. A body that is not a review gets an HTTP error (400 unreadable, 413 too
// large, 415 not JSON) and no review answer, which is what kube-apiserver treats as a failed call.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type ClusterSettings, DEFAULT_CLUSTER_SETTINGS } from '@spiderpool-ts/core';
import { ResultAsync } from 'neverthrow';
import { parseAdmissionReview, reviewResponse } from './admissionReview.ts';
import { clusterReads } from './clusterReads.ts';
import type { WebhookServerError } from './errors.ts';
import { KIND_WEBHOOKS, type KindWebhook } from './kindWebhooks.ts';
import type { AdmissionLister } from './lister.ts';
import { handleReview } from './reviewHandler.ts';
import { caBundleOf, type TlsMaterial } from './tls.ts';
import { HEALTH_CHECK_PATH, pathTable } from './webhookPaths.ts';

export interface WebhookServerOptions {
  tls: TlsMaterial;
  /** How the webhooks read other objects (pools, subnets, SMCs, NADs, Namespaces). */
  lister: AdmissionLister;
  /** `spiderpool-conf` settings the rules look at (default: Spiderpool's defaults). */
  settings?: ClusterSettings;
  /** Default 127.0.0.1; `0.0.0.0` / `::` to serve a cluster. */
  host?: string;
  /** Default 0 (a free port). Spiderpool's controller listens on 5722. */
  port?: number;
  /** Largest accepted review body (default 8 MiB: an object of up to 3 MiB plus its old version). */
  maxBodyBytes?: number;
  /** Deadline of each lister call of one review (default 10 s); past it the review is answered 500. */
  listTimeoutMs?: number;
  /** Deadline for a client to send its request (default 30 s). */
  requestTimeoutMs?: number;
  /** Default: every kind's webhook (five Spiderpool kinds and the Pod). */
  webhooks?: readonly KindWebhook[];
  /** Told about requests refused before a review could be answered (bad body, unknown path). */
  onRejected?(e: { status: number; path: string; error?: WebhookServerError }): void;
}

export interface WebhookServer {
  /** `https://<host>:<port>` */
  readonly url: string;
  readonly port: number;
  /** base64 CA PEM for the webhook configurations. */
  readonly caBundle: string;
  /** Served review paths. */
  readonly paths: readonly string[];
  close(): Promise<void>;
}

const sendJson = (res: ServerResponse, code: number, body: unknown): void => {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
};

const status = (code: number, reason: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  reason,
  message,
  code,
});

/** The body, or 'tooLarge' once more than `limit` bytes arrived (the rest is not read). */
const readLimited = (req: IncomingMessage, limit: number): Promise<string | 'tooLarge'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (declared > limit) {
      resolve('tooLarge');
      return;
    }
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve('tooLarge');
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const parseJson = (text: string): { value: unknown } | { error: string } => {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
};

export const startWebhookServer = (
  options: WebhookServerOptions,
): ResultAsync<WebhookServer, WebhookServerError> => {
  const routes = pathTable(options.webhooks ?? KIND_WEBHOOKS);
  const reads = clusterReads(
    options.lister,
    options.settings ?? DEFAULT_CLUSTER_SETTINGS,
    options.listTimeoutMs ?? 10_000,
  );
  const limit = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const rejected = options.onRejected ?? (() => {});

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'https://webhook').pathname;
    const refuse = (code: number, reason: string, message: string, error?: WebhookServerError) => {
      rejected({ status: code, path, ...(error ? { error } : {}) });
      sendJson(res, code, status(code, reason, message));
    };
    if (path === HEALTH_CHECK_PATH && req.method === 'GET') {
      res.writeHead(200).end();
      return;
    }
    const route = routes.get(path);
    if (!route) return refuse(404, 'NotFound', `no webhook at ${path}`);
    if (req.method !== 'POST')
      return refuse(405, 'MethodNotAllowed', `${req.method} is not allowed on ${path}`);
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
    if (type !== 'application/json') {
      return refuse(415, 'UnsupportedMediaType', `content type ${String(type)} is not application/json`);
    }
    const body = await readLimited(req, limit);
    if (body === 'tooLarge')
      return refuse(413, 'RequestEntityTooLarge', `the review is larger than ${limit} bytes`);
    const json = parseJson(body);
    if ('error' in json) return refuse(400, 'BadRequest', `the body is not JSON: ${json.error}`);
    const review = parseAdmissionReview(json.value);
    if (review.isErr()) return refuse(400, 'BadRequest', review.error.message, review.error);
    const response = await handleReview(route, review.value.request, reads);
    sendJson(res, 200, reviewResponse(response._unsafeUnwrap()));
  };

  const server: Server = createServer(
    { key: options.tls.key, cert: options.tls.cert, requestTimeout: options.requestTimeoutMs ?? 30_000 },
    (req, res) => {
      handle(req, res).catch((e: unknown) => {
        if (!res.headersSent)
          sendJson(res, 500, status(500, 'InternalError', e instanceof Error ? e.message : String(e)));
        else res.end();
      });
    },
  );
  const port = options.port ?? 0;
  const host = options.host ?? '127.0.0.1';
  const listening = new Promise<WebhookServer>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const bound = (server.address() as AddressInfo).port;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `https://${shown}:${bound}`,
        port: bound,
        caBundle: caBundleOf(options.tls),
        paths: [...routes.keys()],
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
  return ResultAsync.fromPromise(listening, (cause) => ({
    _tag: 'Listen' as const,
    port,
    cause,
    message: `cannot listen on ${host}:${port}: ${cause instanceof Error ? cause.message : String(cause)}`,
  }));
};
