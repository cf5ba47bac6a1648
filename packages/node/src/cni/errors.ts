// Errors of the `spiderpool` IPAM CNI plugin. Tagged union; `message` derived from the fields. Each variant has
// its CNI error code (spec "Error" section): 1 incompatible version, 4 invalid environment variables,
// 6 decoding failure, 7 invalid network config, 11 try again later, 50 not available (STATUS), 999 internal (what libcni's skel gives a
// plain Go error, i.e. what Spiderpool's plugin prints for an agent failure).

export type CniErrorCode = 1 | 4 | 6 | 7 | 11 | 50 | 999;

export type CniError =
  | { _tag: 'IncompatibleVersion'; version: string; supported: readonly string[]; message: string }
  | { _tag: 'InvalidEnv'; variable: string; value: string; detail: string; message: string }
  | { _tag: 'DecodeFailure'; field: string; detail: string; message: string }
  | { _tag: 'InvalidNetConf'; field: string; detail: string; message: string }
  | { _tag: 'AgentUnreachable'; socketPath: string; detail: string; message: string }
  /** STATUS (CNI 1.1.0): the agent cannot serve ADD now (spec code 50, "plugin not available"). */
  | { _tag: 'PluginUnavailable'; socketPath: string; detail: string; message: string }
  | { _tag: 'AgentProtocol'; status: number; detail: string; message: string }
  /** The agent answered with an IPAM error (the engine's `IpamError` tag and message). */
  | { _tag: 'AgentRefused'; command: string; ipamTag: string; detail: string; message: string }
  /** `invokePlugin`: no executable `plugin` in any CNI_PATH directory. */
  | { _tag: 'PluginNotFound'; plugin: string; path: readonly string[]; message: string }
  /** `invokePlugin`: the plugin printed a CNI error (its code, msg and details are passed on unchanged). */
  | { _tag: 'PluginFailed'; plugin: string; code: number; details: string; message: string }
  /** `invokePlugin`: no answer within the deadline (the process was killed). */
  | { _tag: 'PluginTimeout'; plugin: string; timeoutMs: number; message: string }
  /** `invokePlugin`: the plugin could not be run, or exited without a readable answer. */
  | { _tag: 'PluginBroken'; plugin: string; detail: string; message: string }
  /** A bug in the plugin (something threw); reported as CNI error 999 instead of a stack trace. */
  | { _tag: 'Internal'; detail: string; message: string };

export type CniErrorTag = CniError['_tag'];

export const incompatibleVersion = (version: string, supported: readonly string[]): CniError => ({
  _tag: 'IncompatibleVersion',
  version,
  supported,
  message: `incompatible CNI versions: config is ${JSON.stringify(version)}, plugin supports [${supported.join(' ')}]`,
});

export const invalidEnv = (variable: string, value: string, detail: string): CniError => ({
  _tag: 'InvalidEnv',
  variable,
  value,
  detail,
  message: `invalid environment variable ${variable}=${JSON.stringify(value)}: ${detail}`,
});

export const decodeFailure = (field: string, detail: string): CniError => ({
  _tag: 'DecodeFailure',
  field,
  detail,
  message: `failed to decode ${field}: ${detail}`,
});

export const invalidNetConf = (field: string, detail: string): CniError => ({
  _tag: 'InvalidNetConf',
  field,
  detail,
  message: `invalid network config ${field}: ${detail}`,
});

export const agentUnreachable = (socketPath: string, detail: string): CniError => ({
  _tag: 'AgentUnreachable',
  socketPath,
  detail,
  message: `cannot reach spiderpool-agent at ${socketPath}: ${detail}`,
});

export const pluginUnavailable = (socketPath: string, detail: string): CniError => ({
  _tag: 'PluginUnavailable',
  socketPath,
  detail,
  message: `spiderpool-agent at ${socketPath} is not available: ${detail}`,
});

export const agentProtocol = (status: number, detail: string): CniError => ({
  _tag: 'AgentProtocol',
  status,
  detail,
  message: `unexpected answer from spiderpool-agent (HTTP ${status}): ${detail}`,
});

export const agentRefused = (command: string, ipamTag: string, detail: string): CniError => ({
  _tag: 'AgentRefused',
  command,
  ipamTag,
  detail,
  message: `spiderpool IPAM ${command} failed: ${detail}`,
});

export const pluginNotFound = (plugin: string, path: readonly string[]): CniError => ({
  _tag: 'PluginNotFound',
  plugin,
  path,
  message: `failed to find plugin ${JSON.stringify(plugin)} in path [${path.join(' ')}]`,
});

export const pluginFailed = (plugin: string, code: number, msg: string, details: string): CniError => ({
  _tag: 'PluginFailed',
  plugin,
  code,
  details,
  message: msg,
});

export const pluginTimeout = (plugin: string, timeoutMs: number): CniError => ({
  _tag: 'PluginTimeout',
  plugin,
  timeoutMs,
  message: `plugin ${plugin} did not answer within ${timeoutMs} ms`,
});

export const pluginBroken = (plugin: string, detail: string): CniError => ({
  _tag: 'PluginBroken',
  plugin,
  detail,
  message: `plugin ${plugin} failed: ${detail}`,
});

export const internalError = (detail: string): CniError => ({
  _tag: 'Internal',
  detail,
  message: `spiderpool IPAM plugin internal error: ${detail}`,
});

/** The CNI error code of each variant. */
export const cniErrorCode = (e: CniError): number => {
  switch (e._tag) {
    case 'IncompatibleVersion':
      return 1;
    case 'InvalidEnv':
      return 4;
    case 'DecodeFailure':
      return 6;
    case 'InvalidNetConf':
      return 7;
    case 'AgentUnreachable':
    case 'PluginTimeout':
      return 11;
    case 'PluginUnavailable':
      return 50;
    case 'PluginFailed':
      return e.code;
    case 'PluginNotFound':
    case 'PluginBroken':
    case 'AgentProtocol':
    case 'AgentRefused':
    case 'Internal':
      return 999;
  }
};

/** The `details` string of the CNI error JSON: what the variant knows beyond its message. */
const detailsOf = (e: CniError): string => {
  switch (e._tag) {
    case 'IncompatibleVersion':
      return `supported versions: ${e.supported.join(', ')}`;
    case 'InvalidEnv':
      return e.variable;
    case 'DecodeFailure':
    case 'InvalidNetConf':
      return e.field;
    case 'AgentUnreachable':
    case 'PluginUnavailable':
      return e.socketPath;
    case 'AgentProtocol':
      return `HTTP ${e.status}`;
    case 'AgentRefused':
      return e.ipamTag;
    case 'PluginNotFound':
    case 'PluginTimeout':
    case 'PluginBroken':
      return e.plugin;
    case 'PluginFailed':
      return e.details;
    case 'Internal':
      return 'internal';
  }
};

/** The CNI error object the plugin prints on stdout (then exits non-zero). */
export interface CniErrorJson {
  cniVersion: string;
  /** One of CniErrorCode, or the code a delegated plugin answered. */
  code: number;
  msg: string;
  details: string;
}

export const toCniErrorJson = (cniVersion: string, e: CniError): CniErrorJson => ({
  cniVersion,
  code: cniErrorCode(e),
  msg: e.message,
  details: detailsOf(e),
});
