// The node agent: an HTTP server on a unix socket embedding core's IPAM engine (real sleep and randomness),
// answering the `spiderpool` CNI plugin. A stale socket from a previous run is removed before listening
// (Spiderpool's agent does the same), but never a live agent's socket nor a file that is not a socket
// (socketGuard.ts); the socket is 0600 whatever the umask. `close()` stops the server, frees the engine and
// removes the socket.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createIpamEngine,
  type IpamEngine,
  type IpamSettings,
  type Store,
  withThirdPartyAutoPools,
} from '@spiderpool-ts/core';
import { errAsync, ResultAsync } from 'neverthrow';
import { createAttachmentLedger } from './attachmentLedger.ts';
import { coordinatorQueryOf, handleCoordinatorConfig } from './coordinatorConfig.ts';
import { CNI_COMMAND_HEADER, COORDINATOR_CONFIG_PATH } from './coordinatorProtocol.ts';
import { type AgentError, listenFailed, socketSetupFailed } from './errors.ts';
import { handleGcRequest } from './gcHandler.ts';
import { type AgentHttpReply, handleAgentRequest } from './handlers.ts';
import { AGENT_PATHS, decodeIpamRequest } from './protocol.ts';
import { listenPrivately, prepareAgentSocket, removeOwnSocket, restrictSocket } from './socketGuard.ts';

export interface IpamAgentOptions {
  store: Store;
  nodeName: string;
  socketPath: string;
  /** Engine settings (defaults: core's DEFAULT_IPAM_SETTINGS). */
  settings?: Partial<IpamSettings>;
}

export interface IpamAgent {
  readonly socketPath: string;
  readonly engine: IpamEngine;
  /** Requests served so far. */
  readonly served: () => number;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;
/** Linux `sun_path` is 108 bytes with the NUL; Node silently truncates longer paths, so refuse them. */
export const MAX_SOCKET_PATH_BYTES = 107;

const send = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

const readBody = async (
  req: IncomingMessage,
): Promise<{ ok: true; body: unknown } | { ok: false; why: string }> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) return { ok: false, why: `body larger than ${MAX_BODY} bytes` };
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, why: `body is not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
};

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export const startIpamAgent = (options: IpamAgentOptions): ResultAsync<IpamAgent, AgentError> => {
  const { socketPath, nodeName } = options;
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES)
    return errAsync(socketSetupFailed(socketPath, `path longer than ${MAX_SOCKET_PATH_BYTES} bytes`));
  return prepareAgentSocket(socketPath).andThen(() => {
    // Pods of third-party controllers (an OpenKruise CloneSet...) get their auto-pool at their first ADD,
    // as in Spiderpool's agent; native workloads' auto-pools come from the operator's controller.
    const engine = withThirdPartyAutoPools(
      createIpamEngine({
        store: options.store,
        nodeName,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        random: Math.random,
        ...(options.settings === undefined ? {} : { settings: options.settings }),
      }),
      options.store,
    );
    let served = 0;
    const ledger = createAttachmentLedger();
    const server = createServer((req, res) => {
      served++;
      void (async () => {
        const read = await readBody(req);
        if (!read.ok) return send(res, 400, { _tag: 'BadRequest', message: read.why });
        const method = req.method ?? 'GET';
        const rawUrl = req.url ?? '/';
        const url = new URL(rawUrl, 'http://agent');
        if (method === 'POST' && url.pathname === AGENT_PATHS.gc) {
          const gc = await handleGcRequest(engine, ledger, read.body);
          return send(res, gc.status, gc.body);
        }
        let reply: AgentHttpReply;
        if (method === 'GET' && url.pathname === COORDINATOR_CONFIG_PATH) {
          const header = req.headers[CNI_COMMAND_HEADER];
          const q = coordinatorQueryOf(url, read.body, typeof header === 'string' ? header : undefined);
          reply =
            q === undefined
              ? {
                  status: 400,
                  body: { _tag: 'BadRequest', message: 'podNamespace and podName are required' },
                }
              : await handleCoordinatorConfig(options.store, q);
        } else {
          reply = await handleAgentRequest(engine, nodeName, { method, url: rawUrl, body: read.body });
          // Remember served attachments for GC (additive: the routes themselves are unchanged).
          const served =
            reply.status === 200 && url.pathname === AGENT_PATHS.ip
              ? decodeIpamRequest(read.body)
              : undefined;
          if (served?.isOk()) (method === 'POST' ? ledger.record : ledger.forget)(served.value);
        }
        send(res, reply.status, reply.body);
      })().catch((e: unknown) => send(res, 500, { _tag: 'Internal', message: errorText(e) }));
    });
    const listening = new Promise<IpamAgent>((resolve, reject) => {
      server.once('error', reject);
      listenPrivately(() =>
        server.listen(socketPath, () => {
          server.off('error', reject);
          restrictSocket(socketPath).then(
            () => resolve(agent),
            (e: unknown) => server.close(() => reject(e)),
          );
        }),
      );
      const agent: IpamAgent = {
        socketPath,
        engine,
        served: () => served,
        close: async () => {
          await new Promise<void>((done) => server.close(() => done()));
          engine.dispose();
          await removeOwnSocket(socketPath);
        },
      };
    });
    return ResultAsync.fromPromise(listening, (e) => {
      engine.dispose();
      const code = (e as NodeJS.ErrnoException).code ?? 'UNKNOWN';
      return listenFailed(socketPath, code, errorText(e));
    });
  });
};
