// Raw JSON requests to the API server: credentials from @kubernetes/client-node's KubeConfig (tokens, client
// certificates, CA, exec plugins, proxies), bytes over node:http / node:https on kept-alive connections
// (kubeConnector.ts). Bodies stay plain JSON: the typed ObjectSerializer would turn timestamps into Date
// objects and drop unknown fields; a response body is read as one Buffer and parsed once.
import type { KubeConfig } from '@kubernetes/client-node';
import {
  createKubeConnector,
  isConnectionReset,
  type KubeConnector,
  type KubeMethod,
  readBody,
} from './kubeConnector.ts';

export interface KubeRequest {
  method: KubeMethod;
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
}

/** An HTTP answer: status code and the parsed JSON body (undefined when the body is not JSON). */
export interface KubeResponse {
  status: number;
  body: unknown;
}

export interface KubeTransport {
  /**
   * Resolves with any HTTP status; rejects only when no answer arrived (network, TLS, auth plugin), or
   * when the whole exchange (connect, headers, body) took longer than the transport's timeout.
   */
  request(req: KubeRequest): Promise<KubeResponse>;
}

/** Default deadline of one request, ms (kubectl's default is none; client-go's is none: ours is explicit). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Runs `run` with a signal aborted after `ms`; rejects with a timeout error at the deadline in any case. */
export const withDeadline = <T>(
  ms: number,
  what: string,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> => {
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ac.abort();
      reject(new Error(`${what}: no answer within ${ms} ms`));
    }, ms);
  });
  return Promise.race([run(ac.signal), deadline]).finally(() => clearTimeout(timer));
};

const parseJson = (bytes: Buffer): unknown => {
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
};

/**
 * Whether a request that died with a connection reset before any answer may be sent once more: a GET, or a
 * PUT carrying metadata.resourceVersion (compare-and-swap: had the first one landed, the second gets
 * Conflict, which the caller already handles).
 */
const resendable = (req: KubeRequest): boolean => {
  if (req.method === 'GET') return true;
  if (req.method !== 'PUT') return false;
  const rv = (req.body as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
  return typeof rv === 'string' && rv !== '';
};

/**
 * A transport for the KubeConfig's current context. Throws (programmer error) without a current cluster.
 * `connector` is shared with the store's watches (one keep-alive agent pool).
 */
export const createKubeTransport = (
  kc: KubeConfig,
  timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  connector: KubeConnector = createKubeConnector(kc),
): KubeTransport => {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('KubeConfig has no current cluster');
  const server = cluster.server.replace(/\/+$/, '');
  return {
    request: (req) =>
      withDeadline(timeoutMs, `${req.method} ${req.path}`, async (signal) => {
        const url = new URL(server + req.path);
        for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
        const headers: Record<string, string> = { Accept: 'application/json' };
        const body = req.body === undefined ? undefined : JSON.stringify(req.body);
        if (body !== undefined) headers['Content-Type'] = req.contentType ?? 'application/json';
        const authorized = await connector.authorize(req.method, url, headers);
        const send = () => connector.send(authorized, body, signal);
        const res = await send().catch((e: unknown) => {
          if (signal.aborted || !isConnectionReset(e) || !resendable(req)) throw e;
          return send();
        });
        return { status: res.statusCode ?? 0, body: parseJson(await readBody(res)) };
      }),
  };
};
