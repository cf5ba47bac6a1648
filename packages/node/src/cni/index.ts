// The `spiderpool` IPAM CNI plugin: environment, network config, results and errors per CNI version, the
// agent transport, and the plugin as a function (bin/spiderpool runs ipamPluginMain.ts).
export type { AgentCall, AgentReply, AgentTransport } from './agentClient.ts';
export { DEFAULT_AGENT_TIMEOUT_MS, unixSocketTransport } from './agentClient.ts';
export type { CniCommand, CniEnv, EnvSource, PodRef } from './env.ts';
export { checkIfName, parseCniArgs, parseCniEnv } from './env.ts';
export type { CniError, CniErrorCode, CniErrorJson, CniErrorTag } from './errors.ts';
export {
  cniErrorCode,
  decodeFailure,
  incompatibleVersion,
  internalError,
  invalidEnv,
  invalidNetConf,
  pluginBroken,
  pluginFailed,
  pluginNotFound,
  pluginTimeout,
  toCniErrorJson,
} from './errors.ts';
export type { InvokePluginOptions, PluginAnswer, PluginCommand } from './invokePlugin.ts';
export { DEFAULT_PLUGIN_TIMEOUT_MS, findPlugin, invokePlugin } from './invokePlugin.ts';
export type { IpamNetConf, SpiderpoolIpamConf } from './netconf.ts';
export { DEFAULT_IPAM_SOCKET_PATH, parseIpamNetConf } from './netconf.ts';
export type { PluginInput, PluginOutput } from './plugin.ts';
export { runIpamPlugin, toAgentRequest } from './plugin.ts';
export type { BuildResultOptions, CniInterface, CniIpConfig, CniResult } from './result.ts';
export { buildCniResult } from './result.ts';
export type { CniVersion, VersionInfo } from './version.ts';
export {
  checkVersion,
  ipsCarryVersion,
  isSupportedVersion,
  LATEST_CNI_VERSION,
  SUPPORTED_CNI_VERSIONS,
  versionInfo,
} from './version.ts';
