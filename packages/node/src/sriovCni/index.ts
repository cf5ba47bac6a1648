// The `sriov` CNI plugin (bin/sriov): netdevice VFs into Pod netns, IPAM through the `ipam.type` plugin.
export type { SriovResult } from './add.ts';
export { cmdAdd } from './add.ts';
export { announceCommand, announceHook } from './announce.ts';
export type { Ctx, Invoke, SriovWorld } from './context.ts';
export type { DeviceIdSources } from './deviceId.ts';
export { DEFAULT_DEVICE_INFO_DIR, readDeviceInfo, resolveDeviceId } from './deviceId.ts';
export type { SriovCniError } from './errors.ts';
export type { OnOff, SriovCniVersion, SriovNetConf, VfLinkState } from './netconf.ts';
export { parseSriovNetConf, SRIOV_CNI_VERSIONS } from './netconf.ts';
export type { SriovPluginInput, SriovPluginOutput } from './plugin.ts';
export { runSriovPlugin, toSriovErrorJson } from './plugin.ts';
export type { SriovStateRecord, VfOwner } from './stateRecord.ts';
export {
  DEFAULT_STATE_DIR,
  ownerPath,
  readOwner,
  readRecord,
  recordPath,
  STATE_RECORD_VERSION,
} from './stateRecord.ts';
export type { VfLock } from './vfLock.ts';
export { DEFAULT_LOCK_TIMEOUT_MS, lockVf } from './vfLock.ts';
export type { VfInfo } from './vfLookup.ts';
export { lookupVf } from './vfLookup.ts';
export type { VfSettings, VfSettingsOutcome } from './vfSettings.ts';
export {
  applyVfSettings,
  currentVfSettings,
  desiredVfSettings,
  restoreVfSettings,
  vfSetArgs,
} from './vfSettings.ts';
