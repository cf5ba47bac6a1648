// The `spiderpool` IPAM plugin as a function of (environment, stdin, agent transport) → (stdout, exit code):
// VERSION answers locally; ADD / DEL go to the agent; STATUS / GC (CNI 1.1.0) see lifecycle.ts; CHECK validates the input and succeeds (Spiderpool's
// plugin does nothing on CHECK either). Every failure is a CNI error JSON on stdout with exit code 1.
// DEL succeeds once the agent was reached, whatever it answered (Spiderpool's CmdDel logs a failed release
// and returns nil: the IP is left to the GC, and the runtime does not retry DEL forever); an unreachable
// agent still fails DEL (code 11), as Spiderpool's health check before DEL does.
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import {
  AGENT_PATHS,
  type AgentIpamRequest,
  decodeAddAnswer,
  decodeErrorBody,
  type WireIpamConfig,
} from '../agent/protocol.ts';
import type { AgentReply, AgentTransport } from './agentClient.ts';
import { type CniEnv, type EnvSource, parseCniEnv } from './env.ts';
import { agentProtocol, agentRefused, type CniError, internalError, toCniErrorJson } from './errors.ts';
import { runGc, runStatus } from './lifecycle.ts';
import { type IpamNetConf, parseIpamNetConf } from './netconf.ts';
import { buildCniResult } from './result.ts';
import { LATEST_CNI_VERSION, versionInfo } from './version.ts';

export interface PluginInput {
  env: EnvSource;
  stdin: string;
  transport: AgentTransport;
}

export interface PluginOutput {
  /** What to print on stdout ('' for a successful DEL / CHECK). */
  stdout: string;
  exitCode: number;
}

/** libcni prints results and errors indented by four spaces. */
const print = (v: unknown): string => `${JSON.stringify(v, null, 4)}\n`;

/** The cniVersion to put in an error when the config could not be parsed: the raw field if any. */
const rawVersion = (stdin: string): string => {
  try {
    const v = (JSON.parse(stdin) as { cniVersion?: unknown } | null)?.cniVersion;
    return typeof v === 'string' && v !== '' ? v : LATEST_CNI_VERSION;
  } catch {
    return LATEST_CNI_VERSION;
  }
};

const fail = (cniVersion: string, e: CniError): PluginOutput => ({
  stdout: print(toCniErrorJson(cniVersion, e)),
  exitCode: 1,
});

type Cmd = Extract<CniEnv, { command: 'ADD' | 'DEL' | 'CHECK' }>;

/** The agent request for this invocation. */
export const toAgentRequest = (env: Cmd, conf: IpamNetConf): AgentIpamRequest => {
  const ipamConfig: WireIpamConfig = {};
  const { ipam } = conf;
  if (ipam.default_ipv4_ippool !== undefined) ipamConfig.default_ipv4_ippool = ipam.default_ipv4_ippool;
  if (ipam.default_ipv6_ippool !== undefined) ipamConfig.default_ipv6_ippool = ipam.default_ipv6_ippool;
  if (ipam.clean_gateway !== undefined) ipamConfig.clean_gateway = ipam.clean_gateway;
  if (ipam.match_master_subnet !== undefined) ipamConfig.match_master_subnet = ipam.match_master_subnet;
  const req: AgentIpamRequest = {
    podNamespace: env.pod.namespace,
    podName: env.pod.name,
    containerID: env.containerID,
    ifName: env.ifName,
    ipamConfig,
  };
  if (env.pod.uid !== undefined) req.podUid = env.pod.uid;
  if (env.netns !== undefined) req.netns = env.netns;
  return req;
};

/** 200 → the body; an error body → AgentRefused with the IPAM tag; anything else → AgentProtocol. */
const expectOk = (command: string, reply: AgentReply): ResultAsync<unknown, CniError> => {
  if (reply.status === 200) return okAsync(reply.body);
  const e = decodeErrorBody(reply.body);
  return errAsync(
    e === undefined
      ? agentProtocol(reply.status, `no error body: ${JSON.stringify(reply.body) ?? ''}`)
      : agentRefused(command, e._tag, e.message),
  );
};

const runCommand = (
  env: Cmd,
  conf: IpamNetConf,
  transport: AgentTransport,
): ResultAsync<string, CniError> => {
  const socket = conf.ipam.ipam_unix_socket_path;
  const body = toAgentRequest(env, conf);
  switch (env.command) {
    case 'CHECK':
      return okAsync('');
    case 'DEL':
      return transport(socket, { method: 'DELETE', path: AGENT_PATHS.ip, body })
        .map(() => '')
        .orElse((e) => (e._tag === 'AgentUnreachable' ? errAsync(e) : okAsync('')));
    case 'ADD':
      return transport(socket, { method: 'POST', path: AGENT_PATHS.ip, body })
        .andThen((r) => expectOk('ADD', r))
        .andThen((answer) => {
          const decoded = decodeAddAnswer(answer);
          if (decoded.isErr()) return errAsync(agentProtocol(200, decoded.error));
          // Spiderpool refuses a result without an IP for this interface ("no Interface … IP allocation").
          if (decoded.value.ips.length === 0)
            return errAsync(agentProtocol(200, `no IP allocated for interface ${env.ifName}`));
          return okAsync(print(buildCniResult(conf.cniVersion, decoded.value)));
        });
  }
};

const invoke = async (input: PluginInput): Promise<PluginOutput> => {
  const env = parseCniEnv(input.env);
  if (env.isErr()) return fail(rawVersion(input.stdin), env.error);
  if (env.value.command === 'VERSION') return { stdout: print(versionInfo(input.stdin)), exitCode: 0 };
  const cmd = env.value;
  const conf = parseIpamNetConf(input.stdin);
  if (conf.isErr()) return fail(rawVersion(input.stdin), conf.error);
  const out = await ('pod' in cmd
    ? runCommand(cmd, conf.value, input.transport)
    : cmd.command === 'STATUS'
      ? runStatus(conf.value, input.transport)
      : runGc(conf.value, input.stdin, input.transport));
  return out.isOk() ? { stdout: out.value, exitCode: 0 } : fail(conf.value.cniVersion, out.error);
};

/**
 * One plugin invocation. Never rejects: every failure is a CNI error on stdout, including a transport that
 * throws instead of answering an error (a bug there must not become a stack trace the runtime cannot read).
 */
export const runIpamPlugin = (input: PluginInput): Promise<PluginOutput> =>
  invoke(input).catch((e: unknown) =>
    fail(rawVersion(input.stdin), internalError(e instanceof Error ? e.message : String(e))),
  );
