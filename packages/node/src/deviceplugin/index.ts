// The SR-IOV device plugin: kubelet's device plugin API v1beta1 over gRPC on unix sockets.
export type { DevicePluginConfig, ResourceEntry } from './config.ts';
export {
  DEFAULT_RESOURCE_PREFIX,
  loadDevicePluginConfig,
  parseDevicePluginConfig,
  parseDevicePluginConfigJson,
} from './config.ts';
export { removeDeviceInfoFiles, writeDeviceInfoFiles } from './deviceInfoFiles.ts';
export type { DevicePluginError, DevicePluginErrorTag } from './errors.ts';
export type { PoolDevices } from './inventory.ts';
export { scanPools } from './inventory.ts';
export type {
  AllocateRequest,
  AllocateResponse,
  ApiDevice,
  ContainerAllocateResponse,
  DeviceHealth,
  DevicePluginOptions,
  ListAndWatchResponse,
  PreferredAllocationRequest,
  PreferredAllocationResponse,
  RegisterRequest,
} from './messages.ts';
export type { PciDeviceInfo } from './naming.ts';
export {
  allocationEnvs,
  DEFAULT_DEVICE_INFO_DIR,
  DEVICE_INFO_VERSION,
  deviceInfoPath,
  pciDeviceEnvName,
  pciDeviceInfo,
  pciDeviceInfoEnvName,
  pluginSocketName,
} from './naming.ts';
export { preferDevices } from './poolServer.ts';
export {
  DEFAULT_DEVICE_PLUGIN_DIR,
  DEVICE_PLUGIN_API_VERSION,
  KUBELET_SOCKET_NAME,
} from './proto.ts';
export type { DevicePlugin, PoolStatus, StartDevicePluginOptions } from './startDevicePlugin.ts';
export { startDevicePlugin } from './startDevicePlugin.ts';
