// The agent's routes as a function of (engine, method, path, parsed body) → (status, JSON body), so they are
// tested without a socket. POST /v1/ipam/ip = CNI ADD, DELETE /v1/ipam/ip = CNI DEL, DELETE /v1/ipam/ips =
// release after an IP conflict, GET /v1/ipam/explain?namespace=&pod=&ifName= = the engine's explain,
// GET /v1/ipam/healthy. Engine failures are 500 with `{ _tag, message }` of the IpamError.
import type { IpamEngine, IpamError } from '@spiderpool-ts/core';
import { AGENT_PATHS, type AgentErrorBody, decodeIpamRequest } from './protocol.ts';

export interface AgentHttpRequest {
  method: string;
  /** Path with query, as in `IncomingMessage.url`. */
  url: string;
  /** Parsed JSON body; `undefined` when empty. A body that is not JSON is rejected before this. */
  body: unknown;
}

export interface AgentHttpReply {
  status: number;
  body: unknown;
}

const problem = (status: number, _tag: string, message: string): AgentHttpReply => ({
  status,
  body: { _tag, message } satisfies AgentErrorBody,
});

const ipamFailure = (e: IpamError): AgentHttpReply => problem(500, e._tag, e.message);

export const handleAgentRequest = async (
  engine: IpamEngine,
  nodeName: string,
  req: AgentHttpRequest,
): Promise<AgentHttpReply> => {
  const url = new URL(req.url, 'http://agent');
  const route = `${req.method} ${url.pathname}`;
  switch (route) {
    case `GET ${AGENT_PATHS.healthy}`:
      return { status: 200, body: { status: 'ok', nodeName } };
    case `GET ${AGENT_PATHS.explain}`: {
      const ns = url.searchParams.get('namespace');
      const pod = url.searchParams.get('pod');
      if (!ns || !pod) return problem(400, 'BadRequest', 'namespace and pod query parameters are required');
      const r = await engine.explain(ns, pod, url.searchParams.get('ifName') || 'eth0');
      return r.isOk() ? { status: 200, body: r.value } : ipamFailure(r.error);
    }
    case `POST ${AGENT_PATHS.ip}`:
    case `DELETE ${AGENT_PATHS.ip}`:
    case `DELETE ${AGENT_PATHS.ips}`: {
      const decoded = decodeIpamRequest(req.body);
      if (decoded.isErr()) return problem(400, 'BadRequest', decoded.error);
      const ipamReq = decoded.value;
      if (req.method === 'POST') {
        const r = await engine.allocate(ipamReq);
        return r.isOk() ? { status: 200, body: r.value } : ipamFailure(r.error);
      }
      const r = await (url.pathname === AGENT_PATHS.ip
        ? engine.release(ipamReq)
        : engine.releaseIPs(ipamReq));
      return r.isOk() ? { status: 200, body: {} } : ipamFailure(r.error);
    }
    default:
      return problem(404, 'NotFound', `no route ${route}`);
  }
};
