// The `coordinator` CNI plugin (Spiderpool's, underlay mode): netconf + agent config merge, ADD / DEL with
// rollback, STATUS / GC (bin/coordinator runs main.ts's bundle).
export type { CoordinatorError, CoordinatorErrorTag } from './errors.ts';
export { coordinatorErrorCode, toCoordinatorErrorJson } from './errors.ts';
export type { Applier, CoordinatorTools, Exec, Side } from './exec.ts';
export { createApplier, createExec } from './exec.ts';
export {
  HOST_RULE_PREF,
  hostVethName,
  MANGLE_RULES,
  MARK,
  macFromPrefix,
  POD_VETH,
  REPLY_TABLE,
} from './names.ts';
export type { CoordinatorConf, CoordinatorMode, CoordinatorNetConf } from './netconf.ts';
export {
  COORDINATOR_CNI_VERSIONS,
  isCidr,
  mergeCoordinatorConf,
  parseCoordinatorNetConf,
  parseGoDuration,
} from './netconf.ts';
export type { CoordinatorPluginInput, CoordinatorPluginOutput } from './plugin.ts';
export { runCoordinatorPlugin } from './plugin.ts';
