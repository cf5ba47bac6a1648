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

/**
 * Default deadline for one agent request, from connect to the last byte (not an idle timeout: an agent that
 * trickles a byte every few seconds is cut off too). Below kubelet's 4-minute sandbox deadline, so the runtime
 * reads a CNI error rather than a cancelled call. `SPIDERPOOL_IPAM_DEADLINE_MS` overrides it in the plugin.
 */
export const DEFAULT_AGENT_TIMEOUT_MS = 60_000;

/** Largest answer read from the agent (an ADD answer is a few hundred bytes; past this it is not an agent). */
export const MAX_AGENT_ANSWER_BYTES = 4 * 1024 * 1024;

type Outcome = { ok: true; reply: AgentReply } | { ok: false; error: CniError };

/** Reads the deadline override: a positive integer of milliseconds, else the default. */
export const deadlineFromEnv = (raw: string | undefined): number => {
  if (raw === undefined || !/^[1-9]\d{0,8}$/.test(raw)) return DEFAULT_AGENT_TIMEOUT_MS;
  return Number(raw);
};

export const unixSocketTransport =
  (timeoutMs: number = DEFAULT_AGENT_TIMEOUT_MS, maxBytes: number = MAX_AGENT_ANSWER_BYTES): AgentTransport =>
  (socketPath, call) => {
    const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
    const outcome = new Promise<Outcome>((resolve) => {
      let settled = false;
      const settle = (o: Outcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve(o);
      };
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
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > maxBytes) {
              settle({
                ok: false,
                error: agentProtocol(res.statusCode ?? 0, `answer larger than ${maxBytes} bytes`),
              });
              req.destroy();
              return;
            }
            chunks.push(c);
          });
          res.on('error', (e) => settle({ ok: false, error: agentUnreachable(socketPath, e.message) }));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (text.trim() === '') return settle({ ok: true, reply: { status, body: undefined } });
            try {
              settle({ ok: true, reply: { status, body: JSON.parse(text) as unknown } });
            } catch {
              settle({ ok: false, error: agentProtocol(status, `body is not JSON: ${text.slice(0, 200)}`) });
            }
          });
        },
      );
      const deadline = setTimeout(() => {
        settle({
          ok: false,
          error: agentUnreachable(socketPath, `no complete answer within ${timeoutMs} ms`),
        });
        req.destroy();
      }, timeoutMs);
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (e: NodeJS.ErrnoException) =>
        settle({
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
