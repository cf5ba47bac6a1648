// SR-IOV on the host: discovery from sysfs, sriov_numvfs, device-plugin-style VF selection.

export type {
  DaemonError,
  NodeFindings,
  PfChange,
  Plan,
  PodUse,
  ReconcileOutcome,
  SriovConfigDaemon,
  SriovConfigDaemonOptions,
} from './daemon/index.ts';
export {
  planChanges,
  podsUsingResources,
  readNodeInterfaces,
  startSriovConfigDaemon,
} from './daemon/index.ts';
export { discoverSriov } from './discover.ts';
export type { SriovError, SriovErrorTag } from './errors.ts';
export {
  invalidSelector,
  malformedEntry,
  notAPhysicalFunction,
  numVfsOutOfRange,
  sysfsUnreadable,
  sysfsWriteFailed,
} from './errors.ts';
export type { NumVfsChange, SetNumVfsOptions, WriteAttr } from './numVfs.ts';
export { setNumVfs } from './numVfs.ts';
export type { ResourcePool, ResourcePoolConfig, VfSelection, VfSelector } from './selectVfs.ts';
export { selectResourcePools, selectVfs, validateVfSelector } from './selectVfs.ts';
export type { FixturePf, FixtureVf } from './sysfsFixture.ts';
export { seedPf, writeFixtureDevice, writeFixturePf } from './sysfsFixture.ts';
export { isPciAddress } from './sysfsRead.ts';
export type { LinkState, SriovDiscovery, SriovPf, SriovVf, SysfsOptions } from './types.ts';
export type { PfSelectorItem, VfIndexEntry } from './vfIndexSelector.ts';
export {
  parseVfIndexSelector,
  selectedIndices,
  splitPfSelectorItem,
  vfIndexMatches,
} from './vfIndexSelector.ts';
