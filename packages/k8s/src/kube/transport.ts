// Raw JSON requests to the API server through @kubernetes/client-node's own HTTP stack (its Configuration,
// RequestContext and auth from the KubeConfig: tokens, client certificates, CA, exec plugins). Bodies stay
// plain JSON: the typed ObjectSerializer would turn timestamps into Date objects and drop unknown fields.
import {
  createConfiguration,
  HttpMethod,
  type KubeConfig,
  RequestContext,
  ServerConfiguration,
} from '@kubernetes/client-node';

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
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

const METHODS: Record<KubeRequest['method'], HttpMethod> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PUT: HttpMethod.PUT,
  PATCH: HttpMethod.PATCH,
  DELETE: HttpMethod.DELETE,
};

const parseJson = (text: string): unknown => {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** A transport for the KubeConfig's current context. Throws (programmer error) without a current cluster. */
export const createKubeTransport = (
  kc: KubeConfig,
  timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
): KubeTransport => {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('KubeConfig has no current cluster');
  const server = cluster.server.replace(/\/+$/, '');
  const config = createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: kc },
  });
  return {
    request: (req) =>
      withDeadline(timeoutMs, `${req.method} ${req.path}`, async (signal) => {
        const url = new URL(server + req.path);
        for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
        const ctx = new RequestContext(url.toString(), METHODS[req.method]);
        ctx.setHeaderParam('Accept', 'application/json');
        if (req.body !== undefined) {
          ctx.setHeaderParam('Content-Type', req.contentType ?? 'application/json');
          ctx.setBody(JSON.stringify(req.body));
        }
        ctx.setSignal(signal);
        await kc.applySecurityAuthentication(ctx);
        const res = await config.httpApi.send(ctx).toPromise();
        return { status: res.httpStatusCode, body: parseJson(await res.body.text()) };
      }),
  };
};
