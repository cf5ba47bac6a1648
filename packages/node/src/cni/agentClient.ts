// The plugin's side of the agent socket: one HTTP/1.1 request over a unix socket, JSON in and out. A
// transport is a function so the plugin logic can be tested with a scripted agent.
import { request } from 'node:http';
import { errAsync, ResultAsync } from 'neverthrow';
import { agentProtocol, agentUnreachable, type CniError } from './errors.ts';

export interface AgentCall {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  /** Extra request headers (e.g. the coordinator's `X-Spiderpool-CNI-Command`). */
  headers?: Readonly<Record<string, string>>;
}

export interface AgentReply {
  status: number;
  /** Parsed JSON (`undefined` for an empty body). */
  body: unknown;
}

export type AgentTransport = (socketPath: string, call: AgentCall) => ResultAsync<AgentReply, CniError>;

/** Default wait for the agent; kubelet's own CNI timeout is longer. */
export const DEFAULT_AGENT_TIMEOUT_MS = 60_000;

type Outcome = { ok: true; reply: AgentReply } | { ok: false; error: CniError };

export const unixSocketTransport =
  (timeoutMs: number = DEFAULT_AGENT_TIMEOUT_MS): AgentTransport =>
  (socketPath, call) => {
    const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
    const outcome = new Promise<Outcome>((resolve) => {
      const req = request(
        {
          socketPath,
          path: call.path,
          method: call.method,
          headers: {
            accept: 'application/json',
            ...(call.headers ?? {}),
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => resolve({ ok: false, error: agentUnreachable(socketPath, e.message) }));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (text.trim() === '') return resolve({ ok: true, reply: { status, body: undefined } });
            try {
              resolve({ ok: true, reply: { status, body: JSON.parse(text) as unknown } });
            } catch {
              resolve({ ok: false, error: agentProtocol(status, `body is not JSON: ${text.slice(0, 200)}`) });
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (e: NodeJS.ErrnoException) =>
        resolve({
          ok: false,
          error: agentUnreachable(socketPath, e.code ? `${e.code}: ${e.message}` : e.message),
        }),
      );
      req.end(payload);
    });
    return ResultAsync.fromSafePromise(outcome).andThen((o) =>
      o.ok ? ResultAsync.fromSafePromise(Promise.resolve(o.reply)) : errAsync(o.error),
    );
  };
