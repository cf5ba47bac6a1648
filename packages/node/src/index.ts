// @spiderpool-ts/node: each area keeps an explicit barrel; this file only joins them (newer areas by name).
export * from './agent/index.ts';
export * from './chain/index.ts';
export * from './cni/index.ts';
export type {
  CoordinatorConf,
  CoordinatorError,
  CoordinatorErrorTag,
  CoordinatorMode,
  CoordinatorNetConf,
  CoordinatorPluginInput,
  CoordinatorPluginOutput,
  CoordinatorTools,
} from './coordinator/index.ts';
export {
  COORDINATOR_CNI_VERSIONS,
  coordinatorErrorCode,
  hostVethName,
  macFromPrefix,
  mergeCoordinatorConf,
  parseCoordinatorNetConf,
  runCoordinatorPlugin,
  toCoordinatorErrorJson,
} from './coordinator/index.ts';
export * from './iproute/index.ts';
export * from './plumbing/index.ts';
export * from './sriov/index.ts';
export type {
  Ctx,
  DeviceIdSources,
  Invoke,
  OnOff,
  SriovCniError,
  SriovCniVersion,
  SriovNetConf,
  SriovPluginInput,
  SriovPluginOutput,
  SriovResult,
  SriovStateRecord,
  SriovWorld,
  VfInfo,
  VfLinkState,
  VfLock,
  VfOwner,
  VfSettings,
  VfSettingsOutcome,
} from './sriovCni/index.ts';
export {
  announceCommand,
  announceHook,
  applyVfSettings,
  cmdAdd,
  currentVfSettings,
  DEFAULT_DEVICE_INFO_DIR,
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_STATE_DIR,
  desiredVfSettings,
  lockVf,
  lookupVf,
  ownerPath,
  parseSriovNetConf,
  readDeviceInfo,
  readOwner,
  readRecord,
  recordPath,
  resolveDeviceId,
  restoreVfSettings,
  runSriovPlugin,
  SRIOV_CNI_VERSIONS,
  STATE_RECORD_VERSION,
  toSriovErrorJson,
  vfSetArgs,
} from './sriovCni/index.ts';
