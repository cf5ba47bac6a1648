// crds/: the Spiderpool v2beta1 and sriov-network-operator v1 CustomResourceDefinitions built from TS, and a
// small YAML emitter for them.
export type { JSONSchemaProps } from './schema.ts';
export type { CustomResourceDefinition, PrinterColumn } from './spiderpoolCrds.ts';
export { SPIDERPOOL_GROUP, SPIDERPOOL_VERSION, spiderpoolCRDs } from './spiderpoolCrds.ts';
export { SPIDERPOOL_TS_VERSION, spiderpoolTsCRDs } from './spiderpoolTsCrds.ts';
export { SRIOV_GROUP, SRIOV_VERSION, sriovCRDs } from './sriovCrds.ts';
export { toYaml } from './yaml.ts';
