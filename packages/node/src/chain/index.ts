export type { AttachmentKey, CachedAttachment } from './cache.ts';
export {
  CACHE_KIND,
  DEFAULT_CACHE_DIR,
  decodeCachedAttachment,
  readCachedAttachment,
  resultCachePath,
} from './cache.ts';
export type { ChainCommand, ChainError, ChainErrorTag } from './errors.ts';
export type { PluginCall } from './invoke.ts';
export { CHAIN_DEFAULT_DEADLINE_MS, findChainPlugin, invokeChainPlugin } from './invoke.ts';
export type { JsonObject, JsonValue } from './json.ts';
export type { AttachPodRequest, PodAttachment } from './multus/attachPod.ts';
export { attachPod, kubeletCniArgs } from './multus/attachPod.ts';
export type { PickedNetwork, PickInput } from './multus/pick.ts';
export { pickNetworks } from './multus/pick.ts';
export type { NetworkSelection } from './multus/selection.ts';
export {
  ANNO_DEFAULT_NETWORK,
  ANNO_NETWORKS,
  ANNO_RESOURCE_NAME,
  parseNetworkSelection,
} from './multus/selection.ts';
export type { NetworkConfigList, PluginConf } from './netconf.ts';
export { buildPluginStdin, loadNetworkConfig } from './netconf.ts';
export type { ChainOutcome, ChainRequest, ValidAttachment } from './runChain.ts';
export { runChain } from './runChain.ts';
export { CHAIN_CNI_VERSIONS } from './version.ts';
