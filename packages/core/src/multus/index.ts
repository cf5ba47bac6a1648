export type { MultusError } from './errors.ts';
export { invalidChainCNIJson, invalidCustomCNI, missingCniConfig, unknownCniType } from './errors.ts';
export { generateNetAttachDef, marshalCniConfList, netAttachDefName } from './generateNetAttachDef.ts';
export {
  coordinatorConf,
  ibSriovConf,
  ifacerConf,
  ipamConf,
  ipoibConf,
  ipvlanConf,
  macvlanConf,
  masterName,
  ovsConf,
  rdmaConf,
  sriovConf,
  tuningConf,
  vlanConf,
} from './pluginConfs.ts';
