// crds/: the Spiderpool v2beta1 CustomResourceDefinitions built from TS, and a small YAML emitter for them.
export type { JSONSchemaProps } from './schema.ts';
export type { CustomResourceDefinition, PrinterColumn } from './spiderpoolCrds.ts';
export { SPIDERPOOL_GROUP, SPIDERPOOL_VERSION, spiderpoolCRDs } from './spiderpoolCrds.ts';
export { toYaml } from './yaml.ts';
