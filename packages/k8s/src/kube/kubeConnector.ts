// Requests to the API server over node:http / node:https, authenticated by @kubernetes/client-node. What is
// kept of client-node is what a real cluster needs: `KubeConfig.applySecurityAuthentication` fills a
// RequestContext with the Authorization header (bearer token, token file, exec and auth-provider plugins,
// basic auth), impersonation headers, and an agent carrying the CA, client certificate and key,
// skip-verify, the TLS server name, or a proxy (http, https, socks). The bytes are then sent with Node's own
// `request()` on that agent (a pooled keep-alive one for plain agents, see agentPool.ts), not with
// client-node's node-fetch stack: no header object juggling, no body stream wrappers, no Accept-Encoding
// (gzip would trade the API server's and our CPU for bytes on a LAN or loopback).
import {
  type Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { HttpMethod, type KubeConfig, RequestContext } from '@kubernetes/client-node';
import { type AgentPool, createAgentPool } from './agentPool.ts';

export type KubeMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const METHODS: Record<KubeMethod, HttpMethod> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PUT: HttpMethod.PUT,
  PATCH: HttpMethod.PATCH,
  DELETE: HttpMethod.DELETE,
};

/** A request with its credentials applied: ready to be sent (and sent again, see `isConnectionReset`). */
export interface AuthorizedRequest {
  readonly method: KubeMethod;
  readonly url: URL;
  readonly headers: OutgoingHttpHeaders;
  readonly agent: HttpAgent | undefined;
}

export interface KubeConnector {
  /** Applies the KubeConfig's credentials (may run an exec plugin); rejects when they cannot be had. */
  authorize(method: KubeMethod, url: URL, headers: Record<string, string>): Promise<AuthorizedRequest>;
  /**
   * Sends the request; resolves when the response headers arrived (the body is the caller's to read or
   * destroy). Rejects on a network or TLS failure, or when `signal` aborts first.
   */
  send(req: AuthorizedRequest, body: string | undefined, signal: AbortSignal): Promise<IncomingMessage>;
  /** Closes the kept-alive connections. */
  destroy(): void;
}

/** Sent with every request (kube-apiserver logs it; client-go sends `<binary>/<version> ...`). */
const USER_AGENT = 'spiderpool-ts';

const aborted = (): Error => Object.assign(new Error('request aborted'), { name: 'AbortError' });

/** A connector for the KubeConfig's current context (the user and cluster are read at each request). */
export const createKubeConnector = (
  kc: KubeConfig,
  agents: AgentPool = createAgentPool(),
): KubeConnector => ({
  authorize: async (method, url, headers) => {
    const ctx = new RequestContext(url.toString(), METHODS[method]);
    for (const [k, v] of Object.entries(headers)) ctx.setHeaderParam(k, v);
    await kc.applySecurityAuthentication(ctx);
    const out: OutgoingHttpHeaders = { 'User-Agent': USER_AGENT, ...ctx.getHeaders() };
    return { method, url: new URL(ctx.getUrl()), headers: out, agent: agents.pick(ctx.getAgent()) };
  },
  send: (req, body, signal) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      if (signal.aborted) {
        reject(aborted());
        return;
      }
      const headers =
        body === undefined ? req.headers : { ...req.headers, 'Content-Length': Buffer.byteLength(body) };
      const send = req.url.protocol === 'https:' ? httpsRequest : httpRequest;
      // Not request()'s `signal` option: Node hands it to the socket too, and a kept-alive socket outlives the
      // request (a later abort would destroy whatever request uses the socket then).
      const r = send(
        req.url,
        { method: req.method, headers, ...(req.agent ? { agent: req.agent } : {}) },
        resolve,
      );
      // destroy() without an error: one given would be emitted on the socket, which may be back in the
      // agent's pool by then with nobody listening. The caller learns of the abort by the rejection here, or
      // by the response closing before its end.
      const onAbort = (): void => {
        reject(aborted());
        r.destroy();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      r.on('close', () => signal.removeEventListener('abort', onAbort));
      r.on('error', reject);
      r.end(body);
    }),
  destroy: () => agents.destroy(),
});

/** The whole body as one Buffer; rejects when the connection closes before its end. */
export const readBody = (res: IncomingMessage): Promise<Buffer> =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    res.on('data', (c: Buffer) => {
      chunks.push(c);
      bytes += c.length;
    });
    res.on('error', reject);
    res.on('end', () => resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, bytes)));
    res.on('close', () => {
      if (!res.complete) reject(new Error('connection closed before the end of the response'));
    });
  });

/**
 * A kept-alive connection the server closed while it was idle fails the next request sent on it with a
 * reset before any answer ("socket hang up"); Go's client retries those.
 */
export const isConnectionReset = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : '';
  return code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up|ECONNRESET/.test(message);
};
