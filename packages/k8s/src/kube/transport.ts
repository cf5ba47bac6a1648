// Raw JSON requests to the API server through @kubernetes/client-node's own HTTP stack (its Configuration,
// RequestContext and auth from the KubeConfig: tokens, client certificates, CA, exec plugins). Bodies stay
// plain JSON: the typed ObjectSerializer would turn timestamps into Date objects and drop unknown fields.
// client-node's authentication step makes a new http(s).Agent for every request, so no connection is ever
// reused (a TCP connect, and for HTTPS a TLS handshake, per request); the transport swaps in one keep-alive
// agent per distinct set of TLS options instead (proxy agents are left as client-node made them).
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions as HttpsAgentOptions } from 'node:https';
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

/** The TLS options of an agent client-node made: what decides whether two agents are interchangeable. */
const TLS_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

const optionText = (v: unknown): string => {
  if (v === undefined) return '';
  if (Buffer.isBuffer(v)) return `b:${v.toString('base64')}`;
  if (Array.isArray(v)) return `[${v.map(optionText).join(',')}]`;
  return `${typeof v}:${String(v)}`;
};

/**
 * Keep-alive agents by TLS options, one per distinct set (credentials rotated by an exec plugin or a
 * reloaded kubeconfig get a new one). `pick` returns the agent to use instead of the one client-node made.
 */
export const createAgentPool = (): {
  pick: (made: HttpAgent | undefined) => HttpAgent | undefined;
  /** Agents made so far (for tests). */
  readonly size: number;
  destroy: () => void;
} => {
  const agents = new Map<string, HttpAgent>();
  return {
    pick: (made) => {
      // Exact classes only: hpagent's proxy agents extend https.Agent and must stay as they are.
      const plain =
        made instanceof HttpAgent && (made.constructor === HttpAgent || made.constructor === HttpsAgent);
      if (!plain) return made;
      const https = made.constructor === HttpsAgent;
      // `options` is what the agent was constructed with (public on Node's Agent, absent from its types).
      const options = ((made as { options?: HttpsAgentOptions }).options ?? {}) as HttpsAgentOptions;
      const key = `${https ? 'https' : 'http'}|${TLS_FIELDS.map((f) => optionText(options[f])).join('|')}`;
      let agent = agents.get(key);
      if (agent === undefined) {
        const tls: HttpsAgentOptions = {};
        for (const f of TLS_FIELDS) if (options[f] !== undefined) Object.assign(tls, { [f]: options[f] });
        agent = https
          ? new HttpsAgent({ ...tls, keepAlive: true, scheduling: 'lifo' })
          : new HttpAgent({ keepAlive: true, scheduling: 'lifo' });
        agents.set(key, agent);
      }
      return agent;
    },
    get size() {
      return agents.size;
    },
    destroy: () => {
      for (const a of agents.values()) a.destroy();
      agents.clear();
    },
  };
};

/**
 * A kept-alive connection the server closed while it was idle fails the next request sent on it with a
 * reset before any answer ("socket hang up"); Go's client retries those. Here a request is sent again once
 * when that happens and sending it twice is harmless: a GET, or a PUT carrying metadata.resourceVersion
 * (compare-and-swap: had the first one landed, the second gets Conflict, which the caller already handles).
 */
const isConnectionReset = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : '';
  return code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up|ECONNRESET/.test(message);
};

const resendable = (req: KubeRequest): boolean => {
  if (req.method === 'GET') return true;
  if (req.method !== 'PUT') return false;
  const rv = (req.body as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
  return typeof rv === 'string' && rv !== '';
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
  const agents = createAgentPool();
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
        const agent = agents.pick(ctx.getAgent());
        if (agent) ctx.setAgent(agent);
        const send = () => config.httpApi.send(ctx).toPromise();
        const res = await send().catch((e: unknown) => {
          if (signal.aborted || !isConnectionReset(e) || !resendable(req)) throw e;
          return send();
        });
        return { status: res.httpStatusCode, body: parseJson(await res.body.text()) };
      }),
  };
};
