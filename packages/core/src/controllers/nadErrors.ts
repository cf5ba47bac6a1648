// Errors and events of the NetworkAttachmentDefinition controller. Tagged; `message` derived from the fields.
import type { MultusError } from '../multus/index.ts';
import type { StoreError } from '../store/index.ts';

export type NadControllerError =
  | {
      /** A NAD of that name exists and is not controlled by this SpiderMultusConfig: left untouched. */
      _tag: 'NadNotOwned';
      namespace: string;
      name: string;
      multusConfig: string;
      /** `Kind/name` of its controller, or undefined when it has none. */
      owner: string | undefined;
      message: string;
    }
  | {
      /** The SpiderMultusConfig cannot be turned into a NAD (the existing NAD, if any, is kept). */
      _tag: 'InvalidMultusConfig';
      namespace: string;
      name: string;
      cause: MultusError;
      message: string;
    }
  | { _tag: 'NadStore'; cause: StoreError; message: string };

export const nadNotOwned = (
  namespace: string,
  name: string,
  multusConfig: string,
  owner: string | undefined,
): NadControllerError => ({
  _tag: 'NadNotOwned',
  namespace,
  name,
  multusConfig,
  owner,
  message: `NetworkAttachmentDefinition ${namespace}/${name} is ${
    owner === undefined ? 'not controlled by any object' : `controlled by ${owner}`
  }, not by SpiderMultusConfig ${namespace}/${multusConfig}: not overwritten`,
});

export const invalidMultusConfig = (
  namespace: string,
  name: string,
  cause: MultusError,
): NadControllerError => ({
  _tag: 'InvalidMultusConfig',
  namespace,
  name,
  cause,
  message: `SpiderMultusConfig ${namespace}/${name}: cannot generate its NetworkAttachmentDefinition: ${cause.message}`,
});

export const nadStore = (cause: StoreError): NadControllerError => ({
  _tag: 'NadStore',
  cause,
  message: cause.message,
});
