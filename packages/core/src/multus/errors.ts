// Errors of NAD generation. Each mirrors a case where Spiderpool's generator returns an error (or would
// dereference a nil pointer, which a validated SpiderMultusConfig never has).

export type MultusError =
  | { readonly _tag: 'InvalidChainCNIJson'; index: number; input: string; cause: unknown; message: string }
  | { readonly _tag: 'InvalidCustomCNI'; input: string; cause: unknown; message: string }
  | { readonly _tag: 'UnknownCniType'; cniType: string; message: string }
  | { readonly _tag: 'MissingCniConfig'; cniType: string; field: string; message: string };

const reason = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause));

export const invalidChainCNIJson = (index: number, input: string, cause: unknown): MultusError => ({
  _tag: 'InvalidChainCNIJson',
  index,
  input,
  cause,
  message: `failed to unmarshal chain cni config ${input}: ${reason(cause)}`,
});

export const invalidCustomCNI = (input: string, cause: unknown): MultusError => ({
  _tag: 'InvalidCustomCNI',
  input,
  cause,
  message: `customCniConfig isn't a valid JSON encoding: ${reason(cause)}`,
});

export const unknownCniType = (cniType: string): MultusError => ({
  _tag: 'UnknownCniType',
  cniType,
  message: `unrecognized CNI type ${cniType}`,
});

export const missingCniConfig = (cniType: string, field: string): MultusError => ({
  _tag: 'MissingCniConfig',
  cniType,
  field,
  message: `cniType ${cniType} needs spec.${field}`,
});
