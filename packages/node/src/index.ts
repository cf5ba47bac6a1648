// @spiderpool-ts/node: each area keeps an explicit barrel; this file only joins them.
export * from './agent/index.ts';
export * from './cni/index.ts';
// The device plugin, by name.
export type {
  AllocateRequest,
  AllocateResponse,
  ApiDevice,
  ContainerAllocateResponse,
  DeviceHealth,
  DevicePlugin,
  DevicePluginConfig,
  DevicePluginError,
  DevicePluginErrorTag,
  DevicePluginOptions,
  ListAndWatchResponse,
  PciDeviceInfo,
  PoolDevices,
  PoolStatus,
  PreferredAllocationRequest,
  PreferredAllocationResponse,
  RegisterRequest,
  ResourceEntry,
  StartDevicePluginOptions,
} from './deviceplugin/index.ts';
export {
  allocationEnvs,
  DEFAULT_DEVICE_INFO_DIR,
  DEFAULT_DEVICE_PLUGIN_DIR,
  DEFAULT_RESOURCE_PREFIX,
  DEVICE_INFO_VERSION,
  DEVICE_PLUGIN_API_VERSION,
  deviceInfoPath,
  KUBELET_SOCKET_NAME,
  loadDevicePluginConfig,
  parseDevicePluginConfig,
  parseDevicePluginConfigJson,
  pciDeviceEnvName,
  pciDeviceInfo,
  pciDeviceInfoEnvName,
  pluginSocketName,
  preferDevices,
  removeDeviceInfoFiles,
  scanPools,
  startDevicePlugin,
  writeDeviceInfoFiles,
} from './deviceplugin/index.ts';
export * from './iproute/index.ts';
export * from './plumbing/index.ts';
export * from './sriov/index.ts';
