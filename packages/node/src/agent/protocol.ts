// The wire protocol between the `spiderpool` CNI plugin and the agent: HTTP/1.1 over a unix socket, JSON
// bodies, Spiderpool's paths (`/v1/ipam/ip` POST = ADD, DELETE = DEL; `/v1/ipam/ips` DELETE = release after an
// IP conflict). Shared by both sides; no runtime imports beyond neverthrow, node:net and the shape checks (core's types only), so the plugin
// process stays small.
import { isIP } from 'node:net';
import type { IpamCniConfig, IpamRequest } from '@spiderpool-ts/core';
import { err, ok, type Result } from 'neverthrow';
import { isObject } from '../json/checks.ts';

export const AGENT_PATHS = {
  ip: '/v1/ipam/ip',
  ips: '/v1/ipam/ips',
  explain: '/v1/ipam/explain',
  healthy: '/v1/ipam/healthy',
  /** CNI 1.1.0 GC (not in Spiderpool): release the attachments the runtime no longer has. */
  gc: '/v1/ipam/gc',
} as const;

/** One attachment the runtime still has (`cni.dev/valid-attachments` entry). */
export interface ValidAttachmentWire {
  containerID: string;
  ifname: string;
}

/** Body of `POST /v1/ipam/gc`. */
export interface AgentGcRequest {
  validAttachments: ValidAttachmentWire[];
}

/** Answer of `POST /v1/ipam/gc`: the attachments whose release was asked of the engine. */
export interface AgentGcAnswer {
  released: { containerID: string; ifName: string; podNamespace: string; podName: string }[];
}

/** Checks a list of valid attachments (both sides); the error is a one-line reason. */
export const decodeValidAttachments = (v: unknown): Result<ValidAttachmentWire[], string> => {
  if (!Array.isArray(v)) return err('valid attachments must be a list');
  const out: ValidAttachmentWire[] = [];
  for (const a of v as unknown[]) {
    if (!isObject(a) || typeof a.containerID !== 'string' || typeof a.ifname !== 'string')
      return err(`bad attachment ${JSON.stringify(a)}: containerID and ifname strings required`);
    out.push({ containerID: a.containerID, ifname: a.ifname });
  }
  return ok(out);
};

/** The `ipam` fields the engine uses: core's `IpamCniConfig` (a type-only import, erased at run time). */
export type WireIpamConfig = IpamCniConfig;

/** Body of ADD / DEL / release: the core engine's `IpamRequest`. */
export type AgentIpamRequest = IpamRequest;

/** Body of every non-2xx answer: the IpamError's tag and message (or `BadRequest` / `NotFound`). */
export interface AgentErrorBody {
  _tag: string;
  message: string;
}

const isStringList = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Checks a request body on the agent side; the error is a one-line reason. */
export const decodeIpamRequest = (body: unknown): Result<AgentIpamRequest, string> => {
  if (!isObject(body)) return err('body is not a JSON object');
  for (const f of ['podNamespace', 'podName', 'containerID', 'ifName'] as const)
    if (typeof body[f] !== 'string' || body[f] === '') return err(`${f} must be a non-empty string`);
  for (const f of ['podUid', 'netns'] as const)
    if (body[f] !== undefined && typeof body[f] !== 'string') return err(`${f} must be a string`);
  const c = body.ipamConfig ?? {};
  if (!isObject(c)) return err('ipamConfig must be an object');
  for (const f of ['default_ipv4_ippool', 'default_ipv6_ippool'] as const)
    if (c[f] !== undefined && !isStringList(c[f])) return err(`ipamConfig.${f} must be a list of strings`);
  for (const f of ['clean_gateway', 'match_master_subnet'] as const)
    if (c[f] !== undefined && typeof c[f] !== 'boolean') return err(`ipamConfig.${f} must be a boolean`);
  const ipamConfig: WireIpamConfig = {};
  if (c.default_ipv4_ippool !== undefined) ipamConfig.default_ipv4_ippool = c.default_ipv4_ippool as string[];
  if (c.default_ipv6_ippool !== undefined) ipamConfig.default_ipv6_ippool = c.default_ipv6_ippool as string[];
  if (c.clean_gateway !== undefined) ipamConfig.clean_gateway = c.clean_gateway as boolean;
  if (c.match_master_subnet !== undefined) ipamConfig.match_master_subnet = c.match_master_subnet as boolean;
  const req: AgentIpamRequest = {
    podNamespace: body.podNamespace as string,
    podName: body.podName as string,
    containerID: body.containerID as string,
    ifName: body.ifName as string,
    ipamConfig,
  };
  if (typeof body.podUid === 'string') req.podUid = body.podUid;
  if (typeof body.netns === 'string') req.netns = body.netns;
  return ok(req);
};

/** Reads an error body; anything else becomes `undefined`. */
export const decodeErrorBody = (body: unknown): AgentErrorBody | undefined =>
  isObject(body) && typeof body._tag === 'string' && typeof body.message === 'string'
    ? { _tag: body._tag, message: body.message }
    : undefined;

/** What the agent answers for ADD (the core engine's `IpamAddResult`, as far as CNI needs it). */
export interface AddAnswer {
  interface: string;
  ips: { version: 4 | 6; address: string; gateway?: string }[];
  routes: { dst: string; gw?: string }[];
}

/** `addr/prefix` of the family (the address in canonical-enough form for `isIP`), or a reason. */
const badCidr = (text: string, version?: 4 | 6): string | undefined => {
  const slash = text.indexOf('/');
  if (slash < 0) return 'has no /prefix';
  const addr = text.slice(0, slash);
  const prefix = text.slice(slash + 1);
  const family = isIP(addr);
  if (family === 0) return 'is not an IP address';
  if (version !== undefined && family !== version) return `is not IPv${version}`;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128)) return 'has a bad prefix';
  return undefined;
};

const badIP = (text: string, version?: 4 | 6): string | undefined => {
  const family = isIP(text);
  if (family === 0) return 'is not an IP address';
  return version !== undefined && family !== version ? `is not IPv${version}` : undefined;
};

const IF_NAME = /^[^/:\s]{1,15}$/;

/**
 * Checks an ADD answer on the plugin side before anything of it is printed: every address an
 * `ip/prefix` of its family, every gateway and route an IP / CIDR, the interface a kernel-valid name. An
 * agent (or anything that answers on its socket) cannot make the plugin print `"address": "$(reboot)"`.
 */
export const decodeAddAnswer = (body: unknown): Result<AddAnswer, string> => {
  if (!isObject(body)) return err('ADD answer is not a JSON object');
  if (typeof body.interface !== 'string') return err('ADD answer has no interface');
  if (!IF_NAME.test(body.interface) || body.interface === '.' || body.interface === '..')
    return err(`ADD answer interface ${JSON.stringify(body.interface)} is not an interface name`);
  if (!Array.isArray(body.ips) || !Array.isArray(body.routes)) return err('ADD answer lacks ips or routes');
  const ips: AddAnswer['ips'] = [];
  for (const ip of body.ips as unknown[]) {
    if (!isObject(ip) || (ip.version !== 4 && ip.version !== 6) || typeof ip.address !== 'string')
      return err(`bad ips entry ${JSON.stringify(ip)}`);
    const why = badCidr(ip.address, ip.version);
    if (why !== undefined) return err(`ips entry address ${JSON.stringify(ip.address)} ${why}`);
    const one: AddAnswer['ips'][number] = { version: ip.version, address: ip.address };
    if (ip.gateway !== undefined) {
      const gw = typeof ip.gateway === 'string' ? ip.gateway : '';
      const bad = badIP(gw, ip.version);
      if (bad !== undefined) return err(`ips entry gateway ${JSON.stringify(ip.gateway)} ${bad}`);
      one.gateway = gw;
    }
    ips.push(one);
  }
  const routes: AddAnswer['routes'] = [];
  for (const r of body.routes as unknown[]) {
    if (!isObject(r) || typeof r.dst !== 'string') return err(`bad routes entry ${JSON.stringify(r)}`);
    const why = badCidr(r.dst);
    if (why !== undefined) return err(`routes entry dst ${JSON.stringify(r.dst)} ${why}`);
    if (r.gw === undefined) {
      routes.push({ dst: r.dst });
      continue;
    }
    const gw = typeof r.gw === 'string' ? r.gw : '';
    const bad = badIP(gw);
    if (bad !== undefined) return err(`routes entry gw ${JSON.stringify(r.gw)} ${bad}`);
    routes.push({ dst: r.dst, gw });
  }
  return ok({ interface: body.interface, ips, routes });
};
