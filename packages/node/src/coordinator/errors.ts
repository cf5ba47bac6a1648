// Errors of the coordinator plugin: the shared CNI errors (environment, netconf, agent) plus what the
// coordinator itself can fail at. Tagged union; `message` derived from the fields; each variant has its CNI
// code (999 for a setup failure, as Spiderpool's plugin returns a plain Go error; 50 for STATUS).
import type { CniError, CniErrorJson } from '../cni/index.ts';
import { cniErrorCode } from '../cni/index.ts';
import type { IprouteError } from '../iproute/index.ts';

export type CoordinatorError =
  | CniError
  /** The agent is fine but SpiderCoordinator `default` is missing or not Synced (HTTP 500 from the agent). */
  | { _tag: 'CoordinatorNotReady'; detail: string; message: string }
  | { _tag: 'Unsupported'; what: string; message: string }
  /** A read or a change in the host or Pod netns failed; `rollbackErrors` empty: everything was undone. */
  | {
      _tag: 'SetupFailed';
      step: string;
      cause: IprouteError;
      rollbackErrors: IprouteError[];
      message: string;
    }
  | { _tag: 'IPConflict'; address: string; ifName: string; message: string }
  | { _tag: 'GatewayUnreachable'; gateway: string; ifName: string; message: string }
  /** STATUS (CNI 1.1): the agent does not answer its health check. */
  | { _tag: 'NotAvailable'; detail: string; message: string };

export type CoordinatorErrorTag = CoordinatorError['_tag'];

export const coordinatorNotReady = (detail: string): CoordinatorError => ({
  _tag: 'CoordinatorNotReady',
  detail,
  message: `coordinator config from spiderpool-agent is not usable: ${detail}`,
});

export const unsupported = (what: string): CoordinatorError => ({
  _tag: 'Unsupported',
  what,
  message: `coordinator: ${what} is not supported yet`,
});

export const setupFailed = (
  step: string,
  cause: IprouteError,
  rollbackErrors: IprouteError[] = [],
): CoordinatorError => ({
  _tag: 'SetupFailed',
  step,
  cause,
  rollbackErrors,
  message: `coordinator ${step} failed: ${cause.message}${
    rollbackErrors.length === 0
      ? ''
      : `; rollback incomplete: ${rollbackErrors.map((e) => e.message).join('; ')}`
  }`,
});

export const ipConflict = (address: string, ifName: string): CoordinatorError => ({
  _tag: 'IPConflict',
  address,
  ifName,
  message: `IP conflict: ${address} on ${ifName} is already used by another host on the link`,
});

export const gatewayUnreachable = (gateway: string, ifName: string): CoordinatorError => ({
  _tag: 'GatewayUnreachable',
  gateway,
  ifName,
  message: `gateway ${gateway} does not answer on ${ifName}`,
});

export const notAvailable = (detail: string): CoordinatorError => ({
  _tag: 'NotAvailable',
  detail,
  message: `coordinator is not available: ${detail}`,
});

const isCniError = (e: CoordinatorError): e is CniError =>
  [
    'IncompatibleVersion',
    'InvalidEnv',
    'DecodeFailure',
    'InvalidNetConf',
    'AgentUnreachable',
    'AgentProtocol',
    'AgentRefused',
    'Internal',
  ].includes(e._tag);

export const coordinatorErrorCode = (e: CoordinatorError): number => {
  if (isCniError(e)) return cniErrorCode(e);
  switch (e._tag) {
    case 'NotAvailable':
      return 50;
    case 'Unsupported':
    case 'CoordinatorNotReady':
    case 'SetupFailed':
    case 'IPConflict':
    case 'GatewayUnreachable':
      return 999;
  }
};

const detailsOf = (e: CoordinatorError): string => {
  switch (e._tag) {
    case 'SetupFailed':
      return e.step;
    case 'IPConflict':
      return e.address;
    case 'GatewayUnreachable':
      return e.gateway;
    case 'Unsupported':
      return e.what;
    case 'CoordinatorNotReady':
    case 'NotAvailable':
      return e.detail;
    default:
      return e._tag;
  }
};

export const toCoordinatorErrorJson = (
  cniVersion: string,
  e: CoordinatorError,
): Omit<CniErrorJson, 'code'> & { code: number } => ({
  cniVersion,
  code: coordinatorErrorCode(e),
  msg: e.message,
  details: detailsOf(e),
});
