export type { ClusterSettings } from './clusterSettings.ts';
export { DEFAULT_CLUSTER_SETTINGS } from './clusterSettings.ts';
export { cniConfError } from './cniNetConf.ts';
export type { IPOrCIDR } from './coordinatorSpec.ts';
export { parseIPOrCIDR, validateCoordinatorSpec } from './coordinatorSpec.ts';
export {
  defaultCoordinator,
  validateCoordinatorCreate,
  validateCoordinatorDelete,
  validateCoordinatorUpdate,
} from './coordinatorWebhook.ts';
export type { FieldError, FieldErrorType } from './fieldError.ts';
export {
  alreadyExists,
  child,
  duplicate,
  forbidden,
  formatFieldErrors,
  index,
  internalError,
  invalid,
  key,
  notFound,
  notSupported,
  renderFieldValue,
  required,
  tooLong,
} from './fieldError.ts';
export type { IPPoolDefaultContext } from './ippoolDefault.ts';
export { defaultIPPool, inheritSubnetProperties, subnetControllerRef } from './ippoolDefault.ts';
export { isAutoCreatedIPPool } from './ippoolRules.ts';
export type { PoolWebhookContext } from './ippoolSpecRules.ts';
export type { IPPoolWebhookContext } from './ippoolValidate.ts';
export { validateIPPoolCreate, validateIPPoolDelete, validateIPPoolUpdate } from './ippoolValidate.ts';
export type { InjectFlags } from './multusConfigCniRules.ts';
export { validateCniTypeConfig } from './multusConfigCniRules.ts';
export type { MultusConfigDefaultOptions } from './multusConfigDefault.ts';
export { defaultMultusConfig, defaultSmcCoordinator } from './multusConfigDefault.ts';
export type { MultusConfigValidationContext } from './multusConfigValidate.ts';
export {
  validateMultusConfigCreate,
  validateMultusConfigDelete,
  validateMultusConfigUpdate,
} from './multusConfigValidate.ts';
export type {
  PodInjectError,
  PodInjectResult,
  PodResourceInjectContext,
} from './podResourceInject.ts';
export { injectPodNetworkResources, multusConfigResourceName } from './podResourceInject.ts';
export type { ReservedIPWebhookContext } from './reservedIPWebhook.ts';
export {
  defaultReservedIP,
  validateReservedIPCreate,
  validateReservedIPDelete,
  validateReservedIPUpdate,
} from './reservedIPWebhook.ts';
export { defaultSubnet } from './subnetDefault.ts';
export type { SubnetWebhookContext } from './subnetValidate.ts';
export { validateSubnetCreate, validateSubnetDelete, validateSubnetUpdate } from './subnetValidate.ts';
