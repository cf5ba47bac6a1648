// @spiderpool-ts/node: each area keeps an explicit barrel; this file only joins them.
export * from './agent/index.ts';
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
