// The `coordinator` CNI plugin as a function of (environment, stdin, agent transport, tools) → (stdout, exit
// code); never rejects. ADD / DEL / CHECK ask the agent for the coordinator config first (Spiderpool does the
// same; a SpiderCoordinator that is missing or not Synced refuses the call), merge it with the NAD and run.
// `mode: disable` passes prevResult through. VERSION, STATUS (agent health) and GC (CNI 1.1) are answered too.
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import {
  CNI_COMMAND_HEADER,
  COORDINATOR_CONFIG_PATH,
  decodeCoordinatorConfig,
} from '../agent/coordinatorProtocol.ts';
import { AGENT_PATHS, decodeErrorBody } from '../agent/protocol.ts';
import type { AgentTransport } from '../cni/agentClient.ts';
import { type CniEnv, type EnvSource, parseCniEnv } from '../cni/env.ts';
import { agentProtocol, internalError, invalidNetConf } from '../cni/errors.ts';
import { coordinatorAdd } from './add.ts';
import { coordinatorDel, dropIdleHostRules } from './del.ts';
import {
  type CoordinatorError,
  coordinatorNotReady,
  notAvailable,
  setupFailed,
  toCoordinatorErrorJson,
} from './errors.ts';
import { type CoordinatorTools, createExec } from './exec.ts';
import {
  COORDINATOR_CNI_VERSIONS,
  type CoordinatorConf,
  type CoordinatorNetConf,
  mergeCoordinatorConf,
  parseCoordinatorNetConf,
} from './netconf.ts';

export interface CoordinatorPluginInput {
  env: EnvSource;
  stdin: string;
  transport: AgentTransport;
  /** Runner, program paths, and (tests) the netns to treat as the host. */
  tools?: CoordinatorTools;
}

export interface CoordinatorPluginOutput {
  stdout: string;
  exitCode: number;
}

const print = (v: unknown): string => `${JSON.stringify(v, null, 4)}\n`;

const rawVersion = (stdin: string): string => {
  try {
    const v = (JSON.parse(stdin) as { cniVersion?: unknown } | null)?.cniVersion;
    return typeof v === 'string' && v !== '' ? v : '1.0.0';
  } catch {
    return '1.0.0';
  }
};

const fail = (cniVersion: string, e: CoordinatorError): CoordinatorPluginOutput => ({
  stdout: print(toCoordinatorErrorJson(cniVersion, e)),
  exitCode: 1,
});

type Cmd = Extract<CniEnv, { command: 'ADD' | 'DEL' | 'CHECK' }>;

const fetchConfig = (
  transport: AgentTransport,
  nad: CoordinatorNetConf,
  env: Cmd,
): ResultAsync<CoordinatorConf, CoordinatorError> => {
  const q = new URLSearchParams({ podNamespace: env.pod.namespace, podName: env.pod.name });
  return transport(nad.socketPath, {
    method: 'GET',
    path: `${COORDINATOR_CONFIG_PATH}?${q.toString()}`,
    headers: { [CNI_COMMAND_HEADER]: env.command },
  })
    .mapErr((e): CoordinatorError => e)
    .andThen((reply) => {
      if (reply.status !== 200) {
        const body = decodeErrorBody(reply.body);
        return errAsync(
          body === undefined
            ? agentProtocol(reply.status, JSON.stringify(reply.body) ?? '')
            : coordinatorNotReady(`${body._tag}: ${body.message}`),
        );
      }
      const decoded = decodeCoordinatorConfig(reply.body);
      if (decoded.isErr()) return errAsync(agentProtocol(200, decoded.error));
      const merged = mergeCoordinatorConf(nad, decoded.value);
      return merged.isErr() ? errAsync(merged.error) : okAsync(merged.value);
    });
};

/** The prevResult printed back in the runtime's version (Spiderpool: PrintResult(prevResult, cniVersion)). */
const passThrough = (conf: CoordinatorConf): ResultAsync<string, CoordinatorError> => {
  if (conf.prevResult === undefined)
    return errAsync(
      invalidNetConf('prevResult', 'required: coordinator must be chained after a main plugin'),
    );
  return okAsync(print({ ...conf.prevResult, cniVersion: conf.cniVersion }));
};

const runCommand = (
  env: Cmd,
  nad: CoordinatorNetConf,
  input: CoordinatorPluginInput,
): ResultAsync<string, CoordinatorError> =>
  fetchConfig(input.transport, nad, env).andThen((conf) => {
    const exec = createExec(input.tools ?? {}, env.netns ?? '');
    switch (env.command) {
      case 'CHECK':
        return okAsync('');
      case 'DEL':
        return conf.mode === 'disable' ? okAsync('') : coordinatorDel(exec, env, conf).map(() => '');
      case 'ADD':
        if (conf.mode === 'disable') return passThrough(conf);
        if (conf.prevResult === undefined) return passThrough(conf);
        return coordinatorAdd(exec, env, conf).andThen(() => passThrough(conf));
    }
  });

/** CNI 1.1 STATUS: ready when the agent answers its health check. */
const status = (input: CoordinatorPluginInput, nad: CoordinatorNetConf): Promise<CoordinatorPluginOutput> =>
  input.transport(nad.socketPath, { method: 'GET', path: AGENT_PATHS.healthy }).match(
    (r) =>
      r.status === 200
        ? { stdout: '', exitCode: 0 }
        : fail(nad.cniVersion, notAvailable(`agent health check answered HTTP ${r.status}`)),
    (e) => fail(nad.cniVersion, notAvailable(e.message)),
  );

/**
 * CNI 1.1 GC: nothing of the coordinator's own outlives a Pod (the host veth dies with the Pod netns, its
 * table routes with the veth); only the shared host rule may be left idle, so it is dropped when its table is
 * empty. Host veths are not guessed at by name (`veth*` belongs to many plugins).
 */
const gc = (input: CoordinatorPluginInput, nad: CoordinatorNetConf): Promise<CoordinatorPluginOutput> => {
  const exec = createExec(input.tools ?? {}, '');
  return dropIdleHostRules(exec, nad.hostRuleTable ?? 500).match(
    () => ({ stdout: '', exitCode: 0 }),
    (e) => fail(nad.cniVersion, setupFailed('gc', e)),
  );
};

const invoke = async (input: CoordinatorPluginInput): Promise<CoordinatorPluginOutput> => {
  const command = input.env.CNI_COMMAND;
  if (command === 'VERSION')
    return {
      stdout: print({
        cniVersion: rawVersion(input.stdin),
        supportedVersions: [...COORDINATOR_CNI_VERSIONS],
      }),
      exitCode: 0,
    };
  if (command === 'STATUS' || command === 'GC') {
    const nad = parseCoordinatorNetConf(input.stdin);
    if (nad.isErr()) return fail(rawVersion(input.stdin), nad.error);
    return command === 'STATUS' ? status(input, nad.value) : gc(input, nad.value);
  }
  const env = parseCniEnv(input.env);
  if (env.isErr()) return fail(rawVersion(input.stdin), env.error);
  // VERSION, STATUS and GC were answered above (parseCniEnv reads STATUS / GC as a bare { command, path }).
  if (!('pod' in env.value)) return fail(rawVersion(input.stdin), internalError('unreachable'));
  const nad = parseCoordinatorNetConf(input.stdin);
  if (nad.isErr()) return fail(rawVersion(input.stdin), nad.error);
  const out = await runCommand(env.value, nad.value, input);
  return out.isOk() ? { stdout: out.value, exitCode: 0 } : fail(nad.value.cniVersion, out.error);
};

/** One invocation; never rejects (a throw becomes CNI error 999). */
export const runCoordinatorPlugin = (input: CoordinatorPluginInput): Promise<CoordinatorPluginOutput> =>
  invoke(input).catch((e: unknown) =>
    fail(rawVersion(input.stdin), internalError(e instanceof Error ? e.message : String(e))),
  );
